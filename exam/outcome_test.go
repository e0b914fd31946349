package exam

import (
	"encoding/json"
	"testing"
)

// The outcome view shows the attempt's questions and options in the order
// the candidate saw them, with the candidate fields unchanged, and only
// what the attempt earned besides: the thank-you page numbers questions as
// the exam page did.
func TestOutcomeViewKeepsTheAttemptsOrder(t *testing.T) {
	d := viewDoc(true, true)
	d.Sections[1].Questions[2].Explanation = "因为 <b>"
	for _, seed := range []int64{1, 42, -7} {
		v, err := newViewJSON(d, "supervisor")
		if err != nil {
			t.Fatal(err)
		}
		var during []CandidateSection
		if err := json.Unmarshal(v.appendView(nil, seed, nil), &during); err != nil {
			t.Fatal(err)
		}
		points := map[string]float64{"q1-2": 2, "q1-3": 0.5}
		raw, err := outcomeView(d, "supervisor", seed, points)
		if err != nil {
			t.Fatal(err)
		}
		var after []OutcomeSection
		if err := json.Unmarshal(raw, &after); err != nil {
			t.Fatal(err)
		}
		if len(after) != len(during) {
			t.Fatalf("seed %d: %d sections after, %d during", seed, len(after), len(during))
		}
		for si := range during {
			if len(after[si].Questions) != len(during[si].Questions) {
				t.Fatalf("seed %d section %d: %d questions after, %d during", seed, si, len(after[si].Questions), len(during[si].Questions))
			}
			for qi, cq := range during[si].Questions {
				oq := after[si].Questions[qi]
				a, _ := json.Marshal(oq.CandidateQuestion)
				b, _ := json.Marshal(cq)
				if string(a) != string(b) {
					t.Fatalf("seed %d: question %d.%d after %s, during %s", seed, si, qi, a, b)
				}
				switch oq.ID {
				case "q1-2": // earned its maximum
					if oq.Explanation != "因为 <b>" || oq.PointsAwarded == nil || *oq.PointsAwarded != 2 || oq.FullMarks == nil || !*oq.FullMarks {
						t.Errorf("q1-2: %+v", oq)
					}
				case "q1-3": // 0.5 of 2
					if oq.PointsAwarded == nil || *oq.PointsAwarded != 0.5 || oq.FullMarks == nil || *oq.FullMarks {
						t.Errorf("q1-3: %+v", oq)
					}
				default: // no points known: an essay awaiting review
					if oq.PointsAwarded != nil || oq.FullMarks != nil || oq.Explanation != "" {
						t.Errorf("%s: %+v", oq.ID, oq)
					}
				}
			}
		}
	}
}
