package exam

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"
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

// viewCache keeps the encoded views of the documents the version cache
// hands out, by document (a new document after an amendment or a refresh
// gets a new entry) and track.
type viewCache struct {
	mu sync.Mutex
	m  map[viewKey]*viewJSON
}

type viewKey struct {
	doc   *Document
	track string
}

// viewCacheMax bounds the cache (an entry is a few tens of kilobytes);
// when full it starts over.
const viewCacheMax = 200

func (c *viewCache) get(d *Document, track string) (*viewJSON, error) {
	k := viewKey{d, track}
	c.mu.Lock()
	v := c.m[k]
	c.mu.Unlock()
	if v != nil {
		return v, nil
	}
	v, err := newViewJSON(d, track)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= viewCacheMax {
		c.m = make(map[viewKey]*viewJSON)
	}
	c.m[k] = v
	c.mu.Unlock()
	return v, nil
}

// MarshalJSON writes the attempt by hand, in the field order and format of
// encoding/json: its sections are JSON already (see viewJSON), and
// encoding/json would re-validate them byte by byte on every resume.
func (a *Attempt) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(a.Sections)+len(a.Responses)+512)
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, a.Status)
	b = append(b, `,"started_at":`...)
	b = appendJSONTime(b, a.StartedAt)
	b = append(b, `,"deadline":`...)
	b = appendJSONTime(b, a.Deadline)
	b = append(b, `,"server_time":`...)
	b = appendJSONTime(b, a.ServerTime)
	b = append(b, `,"submitted_at":`...)
	if a.SubmittedAt == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONTime(b, *a.SubmittedAt)
	}
	b = append(b, `,"grace_seconds":`...)
	b = strconv.AppendInt(b, int64(a.GraceSecs), 10)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, a.Title)
	b = append(b, `,"sections":`...)
	if a.Sections == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, a.Sections...)
	}
	b = append(b, `,"responses":`...)
	if a.Responses == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, a.Responses...)
	}
	return append(b, '}'), nil
}

func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONString quotes s as encoding/json does (HTML-safe).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendCompactJSON appends src, JSON as PostgreSQL writes it (valid, with
// spaces around separators), as encoding/json would write it: white space
// outside strings dropped, and <, >, &, U+2028 and U+2029 escaped inside
// strings. It is not a validator: src must be valid JSON.
func appendCompactJSON(dst, src []byte) []byte {
	const hex = "0123456789abcdef"
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !inString {
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			case '"':
				inString = true
			}
			dst = append(dst, c)
			continue
		}
		switch {
		case c == '\\':
			dst = append(dst, c)
			if i+1 < len(src) {
				i++
				dst = append(dst, src[i])
			}
		case c == '"':
			inString = false
			dst = append(dst, c)
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
