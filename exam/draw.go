package exam

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Draw sections. A section may, besides or instead of its listed
// questions, draw Count questions from the organization's bank: those
// carrying any of Tags (every tag when Tags is empty) and of Type (any
// type when empty). Publishing freezes the matching bank questions, as
// copies, into the section's Pool in the version; each attempt draws its
// questions from the pools once, at start, from its own seed, and keeps
// their ids (attempts.drawn). Everything that reads an attempt's questions
// (view, saves, scoring, detail, regrade) reads the version through
// ForAttempt, which puts the drawn questions into their sections.

// limitDrawCount caps Draw.Count: no attempt holds more than 500 questions.
const limitDrawCount = 500

// Draw is a section's random draw from the bank.
type Draw struct {
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
	Type  string   `json:"type,omitempty"`
}

func validateDraw(p *problems, path string, d *Draw) {
	switch {
	case d.Count < 1:
		p.add(pathField(path, "count"), "out_of_range", P{"min": 1}, "must be at least 1")
	case d.Count > limitDrawCount:
		p.add(pathField(path, "count"), "out_of_range", P{"max": limitDrawCount}, "must be at most %d", limitDrawCount)
	}
	checkTags(p, pathField(path, "tags"), d.Tags)
	if d.Type != "" && !slices.Contains(knownQuestionTypes, d.Type) {
		p.add(pathField(path, "type"), "invalid_value", P{"allowed": knownQuestionTypes}, "unknown question type %q; use one of %s", abbreviate(d.Type), strings.Join(knownQuestionTypes, ", "))
	}
}

// HasDraws reports whether any section of d draws.
func (d *Document) HasDraws() bool {
	for i := range d.Sections {
		if d.Sections[i].Draw != nil {
			return true
		}
	}
	return false
}

// AllQuestions calls fn for every question of d that any attempt may hold:
// the listed ones and those of the frozen pools, in document order. Staff
// views of a version (statistics, results columns, reviews, key
// amendments) look questions up through it.
func (d *Document) AllQuestions(fn func(s *Section, q *Question)) {
	for si := range d.Sections {
		s := &d.Sections[si]
		for qi := range s.Questions {
			fn(s, &s.Questions[qi])
		}
		for qi := range s.Pool {
			fn(s, &s.Pool[qi])
		}
	}
}

// FindAnyQuestion returns the question id of d, listed or in a pool, or nil.
func (d *Document) FindAnyQuestion(id string) *Question {
	var out *Question
	d.AllQuestions(func(_ *Section, q *Question) {
		if out == nil && q.ID == id {
			out = q
		}
	})
	return out
}

// drawMax is what the draw of section s adds to an attempt's maximum: its
// count times the (common) maximum of its pool; 0 before the pool is
// frozen.
func (s *Section) drawMax() float64 {
	if s.Draw == nil || len(s.Pool) == 0 {
		return 0
	}
	return float64(s.Draw.Count) * s.Pool[0].MaxPoints()
}

// DrawnIDs are the ids of the questions an attempt drew, in drawing order
// (section by section); stored as a JSON array in attempts.drawn.
type DrawnIDs []string

// Scan reads attempts.drawn (jsonb, maybe null).
func (d *DrawnIDs) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*d = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("exam: drawn ids from %T", src)
	}
	return json.Unmarshal(b, (*[]string)(d))
}

// GormDataType lets GORM map the field (a slice type needs naming).
func (DrawnIDs) GormDataType() string { return "jsonb" }

// Value writes attempts.drawn: null when nothing was drawn.
func (d DrawnIDs) Value() (driver.Value, error) {
	if d == nil {
		return nil, nil
	}
	b, err := json.Marshal([]string(d))
	return string(b), err
}

// DrawQuestions makes an attempt's draw from its seed: Count distinct
// questions of each draw section's frozen pool, in random order. Pools are
// disjoint (see freezePools), so no question is drawn twice. Nil when d
// draws nothing. It runs on every start: each pick costs O(1), whatever
// the pool's size (see sample).
func (d *Document) DrawQuestions(seed int64) DrawnIDs {
	var out DrawnIDs
	for si := range d.Sections {
		s := &d.Sections[si]
		if s.Draw == nil {
			continue
		}
		r := seededRand(seed, "draw:"+s.ID)
		for _, i := range sample(r, len(s.Pool), s.Draw.Count) {
			out = append(out, s.Pool[i].ID)
		}
	}
	return out
}

// sample returns min(k, n) distinct indexes of 0 … n-1 in random order:
// the first k steps of a Fisher–Yates shuffle of 0 … n-1, with the
// positions it has swapped kept in a map instead of the whole list in a
// slice, so that drawing 5 of 1,000 touches 5 entries, not 1,000.
func sample(r *rand.Rand, n, k int) []int {
	k = min(k, n)
	out := make([]int, 0, k)
	moved := make(map[int]int, k) // position → the index it holds now
	at := func(i int) int {
		if v, ok := moved[i]; ok {
			return v
		}
		return i
	}
	for i := range k {
		j := i + r.IntN(n-i)
		out = append(out, at(j))
		// Position i is never read again; position j takes its index.
		moved[j] = at(i)
	}
	return out
}

// ForAttempt returns the version d as an attempt that drew drawn sees it:
// each draw section lists its own questions followed by the ones drawn from
// its pool (in drawing order), and no section draws or holds a pool any
// more. A document that draws nothing is returned as it is. d is not
// modified (it may be a cached one); the copy shares its questions.
func (d *Document) ForAttempt(drawn DrawnIDs) *Document {
	if !d.HasDraws() {
		return d
	}
	want := make(map[string]int, len(drawn))
	for i, id := range drawn {
		want[id] = i
	}
	c := *d
	c.Sections = make([]Section, len(d.Sections))
	for si, s := range d.Sections {
		if s.Draw != nil {
			picked := make([]Question, 0, s.Draw.Count)
			for _, q := range s.Pool {
				if _, ok := want[q.ID]; ok {
					picked = append(picked, q)
				}
			}
			slices.SortFunc(picked, func(a, b Question) int { return want[a.ID] - want[b.ID] })
			s.Questions = append(slices.Clip(s.Questions), picked...)
			s.Draw, s.Pool = nil, nil
		}
		c.Sections[si] = s
	}
	return &c
}

// FindAttemptQuestion is FindQuestion on d.ForAttempt(drawn) without
// building that document: a listed question is found as FindQuestion finds
// it, a pool question only if the attempt drew it. Autosave calls it for
// every save, and a drawing version's pools may hold thousands of questions.
func (d *Document) FindAttemptQuestion(id, track string, drawn DrawnIDs) *Question {
	if q := d.FindQuestion(id, track); q != nil || !d.HasDraws() || !slices.Contains(drawn, id) {
		return q
	}
	for si := range d.Sections {
		s := &d.Sections[si]
		if s.Draw == nil {
			continue
		}
		for qi := range s.Pool {
			if q := &s.Pool[qi]; q.ID == id {
				if q.InTrack(track) {
					return q
				}
				return nil
			}
		}
	}
	return nil
}

// freezePools fills the Pool of each draw section of d (a draft about to be
// published by orgID) with copies of the bank questions matching its draw
// now, read through tx. A bank question matching two draw sections belongs
// to the first one's pool only, so the pools are disjoint and no attempt
// can draw one question twice. A pool smaller than its count, or whose
// questions differ in maximum points (the draw would not be fair), is a
// *ValidationError naming the section.
func freezePools(tx *gorm.DB, orgID string, d *Document) error {
	var p problems
	taken := map[string]bool{}
	for si := range d.Sections {
		s := &d.Sections[si]
		s.Pool = nil
		if s.Draw == nil {
			continue
		}
		q := `SELECT id::text, question FROM bank_questions WHERE org_id = ?`
		args := []any{orgID}
		if len(s.Draw.Tags) > 0 {
			q += ` AND tags && ARRAY(SELECT jsonb_array_elements_text(?::jsonb))`
			b, err := json.Marshal(s.Draw.Tags)
			if err != nil {
				return err
			}
			args = append(args, string(b))
		}
		if s.Draw.Type != "" {
			q += ` AND type = ?`
			args = append(args, s.Draw.Type)
		}
		var rows []struct {
			ID       string
			Question []byte
		}
		if err := tx.Raw(q+` ORDER BY created_at, id`, args...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read pool: %w", err)
		}
		path := pathField(pathIndex("sections", si), "draw")
		var maxes []float64
		for _, r := range rows {
			if taken[r.ID] {
				continue
			}
			taken[r.ID] = true
			var bq Question
			if err := json.Unmarshal(r.Question, &bq); err != nil {
				return fmt.Errorf("bank question %s: %w", r.ID, err)
			}
			// The frozen copy answers to the bank question's id; a draw
			// serves every track.
			bq.ID, bq.BankID, bq.Tracks = r.ID, r.ID, nil
			NormalizeQuestion(&bq)
			s.Pool = append(s.Pool, bq)
			if m := bq.MaxPoints(); !slices.Contains(maxes, m) {
				maxes = append(maxes, m)
			}
		}
		switch {
		case len(s.Pool) < s.Draw.Count:
			p.add(pathField(path, "count"), "too_few", P{"min": s.Draw.Count, "pool": len(s.Pool)},
				"section %q draws %d questions but the bank has %d matching", abbreviate(s.Title), s.Draw.Count, len(s.Pool))
		case len(maxes) > 1:
			slices.Sort(maxes)
			p.add(path, "unequal_points", P{"points": maxes},
				"the questions section %q draws from differ in maximum points (%s to %s); a draw is fair only when they are equal",
				abbreviate(s.Title), FormatPoints(maxes[0]), FormatPoints(maxes[len(maxes)-1]))
		}
	}
	return p.err("the exam cannot be published")
}
