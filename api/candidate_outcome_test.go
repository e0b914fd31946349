package api

import (
	"strings"
	"testing"
)

// explainedExam has an explanation with a canary on every question type.
func explainedExam(show bool) map[string]any {
	ex := func(typ string) string { return "CANARYEXPLAIN-" + typ }
	return map[string]any{
		"title": "Explained", "time_limit_seconds": 600, "show_explanations": show, "shuffle_options": true,
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "tf", "answer": true, "points": 1, "explanation": ex("true_false")},
			map[string]any{"type": "single_choice", "prompt": "pick", "options": []any{
				map[string]any{"key": "a", "text": "A"}, map[string]any{"key": "b", "text": "B"}}, "answer": "b", "points": 2, "explanation": ex("single_choice")},
			map[string]any{"type": "multiple_choice", "prompt": "many", "options": []any{
				map[string]any{"key": "a", "text": "A"}, map[string]any{"key": "b", "text": "B"}, map[string]any{"key": "c", "text": "C"}},
				"answers": []string{"a", "b"}, "explanation": ex("multiple_choice")},
			map[string]any{"type": "fill_in", "prompt": "two and two make {{1}}", "blanks": []any{map[string]any{"accepted": []string{"4"}, "points": 1}},
				"explanation": ex("fill_in")},
			map[string]any{"type": "essay", "prompt": "essay", "points": 4, "explanation": ex("essay")},
		}}},
	}
}

type outcomeAttempt struct {
	Status   string `json:"status"`
	Sections []struct {
		Questions []struct {
			ID            string   `json:"id"`
			Type          string   `json:"type"`
			Explanation   *string  `json:"explanation"`
			PointsAwarded *float64 `json:"points_awarded"`
			FullMarks     *bool    `json:"full_marks"`
		} `json:"questions"`
	} `json:"sections"`
}

// takeExplained answers: true_false right, single_choice wrong, one of the
// two right options of the multiple_choice, the blank right, some essay text.
// It returns every candidate response body before submission and the submit's.
func (a *app) takeExplained(token string) (before [][]byte, submit []byte) {
	a.t.Helper()
	start := a.must(201, "POST", "/api/v1/candidate/attempt", nil, token)
	before = append(before, start.Body)
	var att attemptResp
	start.Decode(a.t, &att)
	answers := map[string]any{
		"true_false": map[string]any{"value": true}, "single_choice": map[string]any{"choice": "a"},
		"multiple_choice": map[string]any{"choices": []string{"a"}}, "fill_in": map[string]any{"blanks": []string{"4"}},
		"essay": map[string]any{"text": "an answer"},
	}
	for typ, r := range answers {
		q := att.question(typ)
		before = append(before, a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+q["id"].(string), map[string]any{"response": r, "seq": 1}, token).Body)
	}
	before = append(before, a.must(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "blur"}, token).Body)
	before = append(before, a.must(200, "GET", "/api/v1/candidate/attempt", nil, token).Body)
	before = append(before, a.must(200, "POST", "/api/v1/candidate/attempt", nil, token).Body)
	return before, a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, token).Body
}

func noOutcomeIn(t *testing.T, what string, bodies ...[]byte) {
	t.Helper()
	for i, b := range bodies {
		for _, f := range []string{"CANARYEXPLAIN", `"explanation"`, `"points_awarded"`, `"full_marks"`} {
			if strings.Contains(string(b), f) {
				t.Errorf("%s, response %d contains %s: %s", what, i, f, truncate(b))
			}
		}
	}
}

func TestExplanationsAfterSubmissionOnly(t *testing.T) {
	a := parallelApp(t)
	d := oaLoad(t)
	s := a.signup("Acme", "explain@acme.test")
	id := a.publishedExam(s.AccessToken, explainedExam(true))

	// The recruiter's document keeps both fields.
	ex := a.must(200, "GET", "/api/v1/exams/"+id, nil, s.AccessToken).JSON()
	if ex["show_explanations"] != true || !strings.Contains(string(a.must(200, "GET", "/api/v1/exams/"+id, nil, s.AccessToken).Body), "CANARYEXPLAIN-essay") {
		t.Fatalf("draft lost show_explanations or an explanation: %v", ex)
	}

	c := a.candidate(s.AccessToken, id, "")
	sess := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": c.inviteToken}, "").Body
	before, submit := a.takeExplained(c.token)
	noOutcomeIn(t, "in progress", append(before, sess, submit)...)

	var out outcomeAttempt
	a.oaCall(d, 200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &out)
	if out.Status != "grading" {
		t.Fatalf("status %s, want grading (the essay waits)", out.Status)
	}
	type want struct {
		points *float64
		full   *bool
	}
	f := func(v float64) *float64 { return &v }
	b := func(v bool) *bool { return &v }
	wants := map[string]want{
		"true_false": {f(1), b(true)}, "single_choice": {f(0), b(false)}, "multiple_choice": {f(1), b(false)},
		"fill_in": {f(1), b(true)}, "essay": {nil, nil},
	}
	check := func(wants map[string]want) {
		t.Helper()
		n := 0
		for _, sec := range out.Sections {
			for _, q := range sec.Questions {
				n++
				w := wants[q.Type]
				if q.Explanation == nil || *q.Explanation != "CANARYEXPLAIN-"+q.Type {
					t.Errorf("%s: explanation %v", q.Type, q.Explanation)
				}
				if (w.points == nil) != (q.PointsAwarded == nil) || (w.points != nil && *w.points != *q.PointsAwarded) {
					t.Errorf("%s: points_awarded %v, want %v", q.Type, show(q.PointsAwarded), show(w.points))
				}
				if (w.full == nil) != (q.FullMarks == nil) || (w.full != nil && *w.full != *q.FullMarks) {
					t.Errorf("%s: full_marks %v, want %v", q.Type, show(q.FullMarks), show(w.full))
				}
			}
		}
		if n != 5 {
			t.Fatalf("%d questions after submission", n)
		}
	}
	check(wants)

	// Once the essay is reviewed, its points show too, and a client
	// holding the copy from before the review gets them (not a 304).
	tag := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Header.Get("ETag")
	a.must(304, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag))
	var item struct {
		ID string `json:"id"`
	}
	a.must(200, "POST", "/api/v1/reviews/claim", map[string]string{"exam_id": id}, s.AccessToken).Decode(t, &item)
	a.must(200, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": 4, "comment": "good"}, s.AccessToken)
	a.oaCall(d, 200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &out)
	wants["essay"] = want{f(4), b(true)}
	check(wants)
	out = outcomeAttempt{}
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag)).Decode(t, &out)
	check(wants)
}

func TestNoExplanationsWhenTheExamHidesThem(t *testing.T) {
	a := parallelApp(t)
	_, _, c := a.invitedCandidate("hidden@acme.test", explainedExam(false), "")
	before, submit := a.takeExplained(c.token)
	after := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Body
	noOutcomeIn(t, "show_explanations false", append(before, submit, after)...)
}

func TestExplanationLength(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "long@acme.test")
	doc := explainedExam(true)
	qs := doc["sections"].([]any)[0].(map[string]any)["questions"].([]any)
	qs[3].(map[string]any)["explanation"] = strings.Repeat("解", 20001)
	r := a.do("POST", "/api/v1/exams", doc, s.AccessToken)
	if r.Status != 422 || !strings.Contains(string(r.Body), `"sections[0].questions[3].explanation"`) {
		t.Fatalf("a 20,001-character explanation: %d %s", r.Status, truncate(r.Body))
	}
	qs[3].(map[string]any)["explanation"] = strings.Repeat("解", 20000)
	a.must(201, "POST", "/api/v1/exams", doc, s.AccessToken)
}

func show[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
