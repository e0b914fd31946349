package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"examd/grading"
)

// The ranking of a position reads every attempt at once; each of its rows
// must say what the attempt's own detail says: status, scores, passed,
// submit time and per-tag scores, for attempts of both tracks, in progress,
// submitted with an essay waiting, and graded, with drawn questions, across
// two exams of the position.
func TestPositionCandidatesAgreeWithAttemptDetail(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "rank@acme.test")
	tok := s.AccessToken
	pid := a.must(http.StatusCreated, "POST", "/api/v1/positions", map[string]any{"title": "客服主管"}, tok).JSON()["id"].(string)
	for i := 0; i < 3; i++ {
		a.must(http.StatusCreated, "POST", "/api/v1/bank/questions", map[string]any{"type": "true_false",
			"prompt": fmt.Sprintf("题库判断 %d", i), "answer": i%2 == 0, "points": 2, "tags": []string{"抽题", "沟通"}}, tok)
	}
	doc := func(title string) map[string]any {
		return map[string]any{"title": title, "time_limit_seconds": 600, "pass_score": 4, "position_id": pid,
			"tracks": []string{"manager", "supervisor"},
			"sections": []any{
				map[string]any{"title": "一", "questions": []any{
					map[string]any{"type": "true_false", "prompt": "投诉当天回复。", "answer": true, "points": 2, "tags": []string{"投诉处理"}, "tracks": []string{"manager"}},
					map[string]any{"type": "single_choice", "prompt": "先做什么？", "options": []any{map[string]any{"key": "a", "text": "道歉"}, map[string]any{"key": "b", "text": "争辩"}},
						"answer": "a", "points": 3, "tags": []string{"沟通", "投诉处理"}},
					map[string]any{"type": "essay", "prompt": "谈谈团队。", "points": 5, "tags": []string{"团队管理", "沟通"}},
				}},
				map[string]any{"title": "二", "questions": []any{}, "draw": map[string]any{"count": 2, "tags": []string{"抽题"}}},
			}}
	}
	e1, e2 := a.grPublish(tok, doc("主管笔试 A")), a.grPublish(tok, doc("主管笔试 B"))
	answers := func(c grCandidate, right bool) map[string]any {
		var att attemptResp
		a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.Token).Decode(t, &att)
		out := map[string]any{}
		for _, sec := range att.Sections {
			for _, q := range sec.Questions {
				switch q["type"] {
				case "true_false":
					out[q["id"].(string)] = map[string]any{"value": right}
				case "single_choice":
					out[q["id"].(string)] = map[string]any{"choice": map[bool]string{true: "a", false: "b"}[right]}
				case "essay":
					out[q["id"].(string)] = map[string]any{"text": "开会"}
				}
			}
		}
		return out
	}
	var attempts []string
	for i, st := range []struct {
		exam   string
		track  string
		right  bool
		submit bool
		review float64 // < 0: the essay is not reviewed
	}{
		{e1.ID, "manager", true, true, 4.5},
		{e1.ID, "supervisor", false, true, -1},
		{e1.ID, "manager", true, false, -1},
		{e2.ID, "supervisor", true, true, 1},
		{e2.ID, "manager", false, true, 0},
	} {
		c := a.grStart(tok, st.exam, fmt.Sprintf("候选人%d", i), fmt.Sprintf("c%d@acme.test", i), st.track)
		a.grAnswer(c, answers(c, st.right))
		if st.submit {
			a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.Token)
		}
		if st.review >= 0 {
			item, code := a.grClaimItem(tok, map[string]any{"exam_id": st.exam})
			if code != 200 {
				t.Fatalf("claim: %d", code)
			}
			a.must(200, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": st.review}, tok)
		}
		attempts = append(attempts, c.AttemptID)
	}

	var ranking struct {
		Items []grading.PositionCandidate `json:"items"`
	}
	a.must(200, "GET", "/api/v1/positions/"+pid+"/candidates", nil, tok).Decode(t, &ranking)
	if len(ranking.Items) != len(attempts) {
		t.Fatalf("%d rows for %d attempts", len(ranking.Items), len(attempts))
	}
	prev := 1e9
	for i, row := range ranking.Items {
		d, _ := a.grDetail(tok, row.AttemptID)
		want := grading.PositionCandidate{AttemptID: d.ID, ExamID: d.ExamID, ExamTitle: row.ExamTitle, CandidateName: d.CandidateName,
			CandidateEmail: d.CandidateEmail, Status: d.Status, Score: d.Score, MaxScore: d.MaxScore, Passed: d.Passed,
			SubmittedAt: d.SubmittedAt, Tags: d.Tags}
		if got, w := jsonOf(t, row), jsonOf(t, want); got != w {
			t.Errorf("row %d:\n%s\nthe attempt's detail says\n%s", i, got, w)
		}
		// Best score first, the attempt in progress (no score) last.
		switch {
		case row.Score == nil && i != len(ranking.Items)-1:
			t.Errorf("row %d has no score but is not last", i)
		case row.Score != nil && *row.Score > prev:
			t.Errorf("row %d scores %v after %v", i, *row.Score, prev)
		case row.Score != nil:
			prev = *row.Score
		}
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
