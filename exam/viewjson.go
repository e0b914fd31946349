package exam

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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
	// pool holds, for a document with draw sections, every question of
	// its frozen pools, encoded once, by id: an attempt's view is its
	// sections' listed questions followed by the drawn ones looked up
	// here, so a start or a resume of a drawn attempt encodes nothing and
	// never walks the pools.
	pool map[string]pooledQuestion
	// digest identifies the view's content, pools included: with an
	// attempt's seed (and its draw, fixed with its id) it names the view
	// that attempt sees (its ETag uses it).
	digest [sha256.Size]byte
}

type viewSection struct {
	id        string
	head      []byte // {"id":…,"title":…,"instructions":…,"questions":[
	questions []viewQuestion
	// draws marks a draw section: it is kept even when no listed question
	// is in the track, since the drawn ones join them.
	draws bool
}

type viewQuestion struct {
	id      string
	head    []byte   // {"id":…,"type":…,"prompt":…[,"points":…]
	options [][]byte // each {"key":…,"text":…}
	tail    []byte   // [,"blank_count":…][,"per_correct":…,…]}
}

// pooledQuestion is a pool question's fragments and the index (in
// viewJSON.sections) of the section that draws it.
type pooledQuestion struct {
	section int
	q       *viewQuestion
}

// newViewJSON encodes d's view for track, and when d draws, the questions
// of its pools.
func newViewJSON(d *Document, track string) (*viewJSON, error) {
	v := &viewJSON{shuffleQuestions: d.ShuffleQuestions, shuffleOptions: d.ShuffleOptions}
	// The view in the document's order; appendView applies an attempt's.
	// A draw section lists its pool after its own questions here (pool
	// questions serve every track), and the two are split below.
	plain := *d
	plain.ShuffleQuestions, plain.ShuffleOptions = false, false
	draws := d.HasDraws()
	if draws {
		v.pool = map[string]pooledQuestion{}
		plain.Sections = make([]Section, len(d.Sections))
		for si, s := range d.Sections {
			if s.Draw != nil {
				s.Questions = append(slices.Clip(s.Questions), s.Pool...)
			}
			plain.Sections[si] = s
		}
	}
	for si := range plain.Sections {
		// Section by section, to know which section of d each one is.
		one := plain
		one.Sections = plain.Sections[si : si+1]
		view := CandidateView(&one, track, 0)
		if len(view) == 0 {
			continue
		}
		cs, ds := &view[0], &d.Sections[si]
		head, err := json.Marshal(struct {
			ID           string `json:"id"`
			Title        string `json:"title"`
			Instructions string `json:"instructions"`
		}{cs.ID, cs.Title, cs.Instructions})
		if err != nil {
			return nil, err
		}
		vs := viewSection{id: cs.ID, head: append(head[:len(head)-1], `,"questions":[`...), draws: ds.Draw != nil}
		listed := len(cs.Questions)
		if vs.draws {
			listed = 0
			for qi := range ds.Questions {
				if ds.Questions[qi].InTrack(track) {
					listed++
				}
			}
		}
		qs := make([]viewQuestion, len(cs.Questions))
		for qi := range cs.Questions {
			if qs[qi], err = encodeViewQuestion(&cs.Questions[qi]); err != nil {
				return nil, err
			}
		}
		vs.questions = qs[:listed:listed]
		for qi := listed; qi < len(qs); qi++ {
			v.pool[qs[qi].id] = pooledQuestion{section: len(v.sections), q: &qs[qi]}
		}
		v.sections = append(v.sections, vs)
	}
	v.digest = v.contentDigest()
	return v, nil
}

// contentDigest hashes everything appendView can write: the shuffle
// settings, the listed questions and every pool question (by id).
func (v *viewJSON) contentDigest() (sum [sha256.Size]byte) {
	h := sha256.New()
	h.Write([]byte{boolByte(v.shuffleQuestions), boolByte(v.shuffleOptions)})
	h.Write(v.appendView(nil, 0, nil))
	ids := slices.Sorted(maps.Keys(v.pool))
	for _, id := range ids {
		p := v.pool[id]
		fmt.Fprintf(h, "\x00%d\x00%s\x00", p.section, id)
		h.Write(p.q.head)
		for _, o := range p.q.options {
			h.Write([]byte{0})
			h.Write(o)
		}
		h.Write([]byte{0})
		h.Write(p.q.tail)
	}
	h.Sum(sum[:0])
	return sum
}

// encodeViewQuestion encodes cq as the fragments around its options.
func encodeViewQuestion(cq *CandidateQuestion) (viewQuestion, error) {
	head, err := json.Marshal(struct {
		ID     string   `json:"id"`
		Type   string   `json:"type"`
		Prompt string   `json:"prompt"`
		Points *float64 `json:"points,omitempty"`
	}{cq.ID, cq.Type, cq.Prompt, cq.Points})
	if err != nil {
		return viewQuestion{}, err
	}
	tail, err := json.Marshal(struct {
		BlankCount int      `json:"blank_count,omitempty"`
		PerCorrect *float64 `json:"per_correct,omitempty"`
		PerWrong   *float64 `json:"per_wrong,omitempty"`
		Floor      *float64 `json:"floor,omitempty"`
	}{cq.BlankCount, cq.PerCorrect, cq.PerWrong, cq.Floor})
	if err != nil {
		return viewQuestion{}, err
	}
	vq := viewQuestion{id: cq.ID, head: head[:len(head)-1], tail: []byte{'}'}}
	if len(tail) > 2 { // not {}
		vq.tail = append([]byte{','}, tail[1:]...)
	}
	for _, o := range cq.Options {
		b, err := json.Marshal(o)
		if err != nil {
			return viewQuestion{}, err
		}
		vq.options = append(vq.options, b)
	}
	return vq, nil
}

// appendView appends the JSON of the view an attempt with seed that drew
// drawn sees: equal to json.Marshal(CandidateView(d.ForAttempt(drawn),
// track, seed)).
func (v *viewJSON) appendView(dst []byte, seed int64, drawn DrawnIDs) []byte {
	dst = append(dst, '[')
	var qs []*viewQuestion
	var opts []int
	written := 0
	for si := range v.sections {
		s := &v.sections[si]
		qs = qs[:0]
		for qi := range s.questions {
			qs = append(qs, &s.questions[qi])
		}
		if s.draws {
			for _, id := range drawn {
				if p, ok := v.pool[id]; ok && p.section == si {
					qs = append(qs, p.q)
				}
			}
		}
		if len(qs) == 0 {
			continue // a draw section of an attempt that drew nothing
		}
		if written > 0 {
			dst = append(dst, ',')
		}
		written++
		dst = append(dst, s.head...)
		if v.shuffleQuestions {
			r := seededRand(seed, s.id)
			r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
		}
		for k, q := range qs {
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
