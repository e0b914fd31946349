package exam

import (
	"crypto/sha256"
	"encoding/json"
)

// viewJSON is the candidate view of one version for one track, encoded
// once: every section and question as JSON fragments around the parts an
// attempt's seed decides (the order of questions and of options). Building
// an attempt's view is then a matter of appending bytes in the attempt's
// order, instead of building and reflecting over 50 questions on every
// resume. The fragments are encoded from CandidateSection and
// CandidateQuestion, the types without key fields, so the property that a
// key cannot leak holds here too; appendView's output equals
// json.Marshal(CandidateView(...)) (see viewjson_test.go).
type viewJSON struct {
	shuffleQuestions bool
	shuffleOptions   bool
	sections         []viewSection
	// digest identifies the view's content: with an attempt's seed it
	// names the view that attempt sees (its ETag uses it).
	digest [sha256.Size]byte
}

type viewSection struct {
	id        string
	head      []byte // {"id":…,"title":…,"instructions":…,"questions":[
	questions []viewQuestion
}

type viewQuestion struct {
	id      string
	head    []byte   // {"id":…,"type":…,"prompt":…[,"points":…]
	options [][]byte // each {"key":…,"text":…}
	tail    []byte   // [,"blank_count":…][,"per_correct":…,…]}
}

// newViewJSON encodes d's view for track.
func newViewJSON(d *Document, track string) (*viewJSON, error) {
	v := &viewJSON{shuffleQuestions: d.ShuffleQuestions, shuffleOptions: d.ShuffleOptions}
	// The view in the document's order; appendView applies an attempt's.
	plain := *d
	plain.ShuffleQuestions, plain.ShuffleOptions = false, false
	for _, cs := range CandidateView(&plain, track, 0) {
		head, err := json.Marshal(struct {
			ID           string `json:"id"`
			Title        string `json:"title"`
			Instructions string `json:"instructions"`
		}{cs.ID, cs.Title, cs.Instructions})
		if err != nil {
			return nil, err
		}
		vs := viewSection{id: cs.ID, head: append(head[:len(head)-1], `,"questions":[`...)}
		for _, cq := range cs.Questions {
			head, err := json.Marshal(struct {
				ID     string   `json:"id"`
				Type   string   `json:"type"`
				Prompt string   `json:"prompt"`
				Points *float64 `json:"points,omitempty"`
			}{cq.ID, cq.Type, cq.Prompt, cq.Points})
			if err != nil {
				return nil, err
			}
			tail, err := json.Marshal(struct {
				BlankCount int      `json:"blank_count,omitempty"`
				PerCorrect *float64 `json:"per_correct,omitempty"`
				PerWrong   *float64 `json:"per_wrong,omitempty"`
				Floor      *float64 `json:"floor,omitempty"`
			}{cq.BlankCount, cq.PerCorrect, cq.PerWrong, cq.Floor})
			if err != nil {
				return nil, err
			}
			vq := viewQuestion{id: cq.ID, head: head[:len(head)-1], tail: []byte{'}'}}
			if len(tail) > 2 { // not {}
				vq.tail = append([]byte{','}, tail[1:]...)
			}
			for _, o := range cq.Options {
				b, err := json.Marshal(o)
				if err != nil {
					return nil, err
				}
				vq.options = append(vq.options, b)
			}
			vs.questions = append(vs.questions, vq)
		}
		v.sections = append(v.sections, vs)
	}
	h := sha256.New()
	h.Write([]byte{boolByte(v.shuffleQuestions), boolByte(v.shuffleOptions)})
	h.Write(v.appendView(nil, 0))
	h.Sum(v.digest[:0])
	return v, nil
}

// appendView appends the JSON of the view an attempt with seed sees.
func (v *viewJSON) appendView(dst []byte, seed int64) []byte {
	dst = append(dst, '[')
	var order, opts []int
	for si := range v.sections {
		s := &v.sections[si]
		if si > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, s.head...)
		order = identityPermutation(order, len(s.questions))
		if v.shuffleQuestions {
			r := seededRand(seed, s.id)
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		for k, qi := range order {
			q := &s.questions[qi]
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, q.head...)
			if len(q.options) > 0 {
				opts = identityPermutation(opts, len(q.options))
				if v.shuffleOptions {
					r := seededRand(seed, q.id)
					r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
				}
				dst = append(dst, `,"options":[`...)
				for n, oi := range opts {
					if n > 0 {
						dst = append(dst, ',')
					}
					dst = append(dst, q.options[oi]...)
				}
				dst = append(dst, ']')
			}
			dst = append(dst, q.tail...)
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, ']')
}

// identityPermutation fills buf with 0 … n-1, the order of an unshuffled list.
func identityPermutation(buf []int, n int) []int {
	buf = buf[:0]
	for i := range n {
		buf = append(buf, i)
	}
	return buf
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
