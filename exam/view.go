package exam

import (
	"hash/fnv"
	"math/rand/v2"
)

// The candidate's view is built from these types, which have no key fields
// at all: a key cannot leak through a forgotten `json:"-"`.

// CandidateSection is a section as a candidate sees it.
type CandidateSection struct {
	ID           string              `json:"id"`
	Title        string              `json:"title"`
	Instructions string              `json:"instructions"`
	Questions    []CandidateQuestion `json:"questions"`
}

// CandidateQuestion is a question without its key. A multiple_choice
// question carries its scoring rule instead of points (points would tell how
// many options are right).
type CandidateQuestion struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	Prompt     string            `json:"prompt"`
	Points     *float64          `json:"points,omitempty"`
	Options    []CandidateOption `json:"options,omitempty"`
	BlankCount int               `json:"blank_count,omitempty"`
	PerCorrect *float64          `json:"per_correct,omitempty"`
	PerWrong   *float64          `json:"per_wrong,omitempty"`
	Floor      *float64          `json:"floor,omitempty"`
}

// CandidateOption is an option's key and text.
type CandidateOption struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// seededRand returns a generator fixed by the attempt's seed and a salt, so
// that the same attempt always sees the same order.
func seededRand(seed int64, salt string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(salt))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// CandidateView builds the sections a candidate of track sees, in the order
// drawn once for this attempt (from seed) when shuffling is on.
func CandidateView(d *Document, track string, seed int64) []CandidateSection {
	out := make([]CandidateSection, 0, len(d.Sections))
	for si := range d.Sections {
		s := &d.Sections[si]
		cs := CandidateSection{ID: s.ID, Title: s.Title, Instructions: s.Instructions}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			if !q.InTrack(track) {
				continue
			}
			cq := CandidateQuestion{ID: q.ID, Type: q.Type, Prompt: q.Prompt}
			switch q.Type {
			case TypeMultipleChoice:
				sc := q.EffectiveScoring()
				cq.PerCorrect, cq.PerWrong, cq.Floor = &sc.PerCorrect, &sc.PerWrong, &sc.Floor
			default:
				p := q.MaxPoints()
				cq.Points = &p
			}
			if q.Type == TypeFillIn {
				cq.BlankCount = len(q.Blanks)
			}
			if len(q.Options) > 0 {
				cq.Options = make([]CandidateOption, len(q.Options))
				for i, o := range q.Options {
					cq.Options[i] = CandidateOption{Key: o.Key, Text: o.Text}
				}
				if d.ShuffleOptions {
					r := seededRand(seed, q.ID)
					r.Shuffle(len(cq.Options), func(i, j int) { cq.Options[i], cq.Options[j] = cq.Options[j], cq.Options[i] })
				}
			}
			cs.Questions = append(cs.Questions, cq)
		}
		if len(cs.Questions) == 0 {
			continue
		}
		if d.ShuffleQuestions {
			r := seededRand(seed, s.ID)
			r.Shuffle(len(cs.Questions), func(i, j int) { cs.Questions[i], cs.Questions[j] = cs.Questions[j], cs.Questions[i] })
		}
		out = append(out, cs)
	}
	return out
}

// FindQuestion returns the question id of the document when a candidate of
// track may answer it, else nil.
func (d *Document) FindQuestion(id, track string) *Question {
	for si := range d.Sections {
		for qi := range d.Sections[si].Questions {
			q := &d.Sections[si].Questions[qi]
			if q.ID == id {
				if q.InTrack(track) {
					return q
				}
				return nil
			}
		}
	}
	return nil
}
