package exam

import (
	"encoding/json"
)

// OutcomeQuestion is a question as the candidate sees it after submitting,
// when the exam shows explanations: the question without its key, plus its
// explanation and what the response earned. It reveals no key either:
// full_marks says only whether the candidate's own answer earned the
// maximum.
type OutcomeQuestion struct {
	CandidateQuestion
	Explanation   string   `json:"explanation"`
	PointsAwarded *float64 `json:"points_awarded"`
	FullMarks     *bool    `json:"full_marks"`
}

// OutcomeSection is a section of the outcome view.
type OutcomeSection struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Instructions string            `json:"instructions"`
	Questions    []OutcomeQuestion `json:"questions"`
}

// outcomeView encodes the sections of a submitted attempt with each
// question's explanation, points awarded and full marks, in the attempt's
// own order (the same as its view while in progress). It is built per
// request, unlike the cached in-progress view: it is read once or twice an
// attempt, after the attempt is over.
func outcomeView(d *Document, track string, seed int64, points map[string]float64) (json.RawMessage, error) {
	byID := make(map[string]*Question)
	d.Questions(func(_, _ int, _ *Section, q *Question) { byID[q.ID] = q })
	view := CandidateView(d, track, seed)
	out := make([]OutcomeSection, 0, len(view))
	for _, cs := range view {
		os := OutcomeSection{ID: cs.ID, Title: cs.Title, Instructions: cs.Instructions, Questions: make([]OutcomeQuestion, 0, len(cs.Questions))}
		for _, cq := range cs.Questions {
			oq := OutcomeQuestion{CandidateQuestion: cq}
			if q := byID[cq.ID]; q != nil {
				oq.Explanation = q.Explanation
				if p, ok := points[cq.ID]; ok {
					full := p >= q.MaxPoints()
					oq.PointsAwarded, oq.FullMarks = &p, &full
				}
			}
			os.Questions = append(os.Questions, oq)
		}
		out = append(out, os)
	}
	return json.Marshal(out)
}
