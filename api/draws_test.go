package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// drawBank fills the bank of the session's organization with n single
// choice questions tagged tag, each worth points, key "A", and returns
// their ids.
func drawBank(a *app, token, tag string, n int, points float64) []string {
	a.t.Helper()
	qs := make([]map[string]any, n)
	for i := range qs {
		q := bankSC(fmt.Sprintf("%s 第 %d 题：客户来电投诉时首先应当？", tag, i+1), tag)
		q["points"] = points
		qs[i] = q
	}
	var out struct {
		Items []bankItem `json:"items"`
	}
	a.must(http.StatusCreated, "POST", "/api/v1/bank/questions/batch", map[string]any{"questions": qs}, token).Decode(a.t, &out)
	ids := make([]string, len(out.Items))
	for i, q := range out.Items {
		ids[i] = q.ID
	}
	return ids
}

// drawExam is an exam with one listed true/false question (2 points, tag
// 沟通) and a section drawing count questions tagged 投诉处理.
func drawExam(count int) map[string]any {
	return map[string]any{"title": "客服经理笔试（抽题）", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{
			map[string]any{"title": "判断", "questions": []any{
				map[string]any{"type": "true_false", "prompt": "投诉应当当天回复。", "answer": true, "points": 2, "tags": []string{"沟通"}},
			}},
			map[string]any{"title": "投诉处理（抽题）", "questions": []any{},
				"draw": map[string]any{"count": count, "tags": []string{"投诉处理"}, "type": "single_choice"}},
		}}
}

// drawnCandidate invites email to exam id and starts the attempt.
func drawnCandidate(a *app, token, examID, email string) (cand, attemptResp) {
	a.t.Helper()
	inv := a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations", map[string]any{"candidate_name": email, "candidate_email": email}, token).JSON()
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
	c := cand{invitationID: inv["id"].(string), inviteToken: inv["token"].(string), token: ses["access_token"].(string)}
	att := a.startAttempt(c)
	return c, att
}

func sectionIDs(att attemptResp, si int) []string {
	var ids []string
	for _, q := range att.Sections[si].Questions {
		ids = append(ids, q["id"].(string))
	}
	return ids
}

type drawDetail struct {
	Score     float64 `json:"score"`
	MaxScore  float64 `json:"max_score"`
	Questions []struct {
		QuestionID    string   `json:"question_id"`
		SectionID     string   `json:"section_id"`
		Prompt        string   `json:"prompt"`
		Tags          []string `json:"tags"`
		PointsAwarded *float64 `json:"points_awarded"`
		MaxPoints     float64  `json:"max_points"`
	} `json:"questions"`
	Tags []struct {
		Tag           string  `json:"tag"`
		PointsAwarded float64 `json:"points_awarded"`
		MaxPoints     float64 `json:"max_points"`
	} `json:"tags"`
}

func TestDrawSectionsDrawPerAttemptAndKeepTheFrozenPool(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "draw@acme.test")
	tok := s.AccessToken
	pool := drawBank(a, tok, "投诉处理", 20, 2)
	drawBank(a, tok, "团队管理", 3, 2) // another tag: never drawn
	// Another organization's questions with the same tag stay out.
	other := a.signup("Other", "draw@other.test")
	foreign := drawBank(a, other.AccessToken, "投诉处理", 5, 2)

	e := a.draftExam(tok, drawExam(5))
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, tok)
	// The exam list counts the draw's 5 beside the 1 listed question.
	var list struct {
		Items []struct {
			ID            string `json:"id"`
			QuestionCount int    `json:"question_count"`
		} `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams", nil, tok).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != e.ID || list.Items[0].QuestionCount != 6 {
		t.Fatalf("exam list: %+v, want one exam of 6 questions", list.Items)
	}

	var ver struct {
		Exam struct {
			Sections []struct {
				ID   string `json:"id"`
				Pool []struct {
					ID     string `json:"id"`
					Prompt string `json:"prompt"`
					BankID string `json:"bank_id"`
				} `json:"pool"`
			} `json:"sections"`
		} `json:"exam"`
	}
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1", nil, tok).Decode(t, &ver)
	frozen := ver.Exam.Sections[1].Pool
	var frozenIDs []string
	prompt := map[string]string{}
	for _, q := range frozen {
		frozenIDs = append(frozenIDs, q.ID)
		prompt[q.ID] = q.Prompt
		if q.BankID != q.ID {
			t.Fatalf("frozen copy %s has bank_id %q", q.ID, q.BankID)
		}
	}
	if slices.Sort(frozenIDs); !slices.Equal(frozenIDs, slices.Sorted(slices.Values(pool))) {
		t.Fatalf("pool %v, want the 20 tagged questions %v", frozenIDs, pool)
	}
	// The invitee learns the attempt's size: 1 listed + 5 drawn, 12 points.
	inv := a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": "看", "candidate_email": "look@cand.test"}, tok).JSON()
	info := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
	if ex, _ := info["exam"].(map[string]any); ex == nil || ex["question_count"] != 6.0 || ex["max_score"] != 12.0 {
		t.Fatalf("candidate's exam summary: %v", info["exam"])
	}

	c1, att1 := drawnCandidate(a, tok, e.ID, "one@cand.test")
	c2, att2 := drawnCandidate(a, tok, e.ID, "two@cand.test")
	d1, d2 := sectionIDs(att1, 1), sectionIDs(att2, 1)
	if len(d1) != 5 || len(d2) != 5 || len(att1.Sections[0].Questions) != 1 {
		t.Fatalf("drawn %v and %v; listed %v", d1, d2, att1.Sections[0].Questions)
	}
	for _, id := range append(slices.Clone(d1), d2...) {
		if !slices.Contains(pool, id) || slices.Contains(foreign, id) {
			t.Fatalf("drawn %s is not a question of the pool", id)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(d1)))) != 5 {
		t.Fatalf("a question drawn twice: %v", d1)
	}
	if slices.Equal(slices.Sorted(slices.Values(d1)), slices.Sorted(slices.Values(d2))) {
		t.Fatalf("two attempts drew the same questions from a pool of 20: %v", d1)
	}
	// Resume, and a repeated start, show the same questions in the same order.
	var again attemptResp
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c1.token).Decode(t, &again)
	if !slices.Equal(sectionIDs(again, 1), d1) {
		t.Fatalf("resume shows %v, started with %v", sectionIDs(again, 1), d1)
	}
	a.must(200, "POST", "/api/v1/candidate/attempt", nil, c1.token).Decode(t, &again)
	if !slices.Equal(sectionIDs(again, 1), d1) {
		t.Fatalf("second start shows %v, started with %v", sectionIDs(again, 1), d1)
	}

	// A save to a pool question this attempt did not draw is refused and
	// stores nothing; to a drawn one it is kept.
	var undrawn string
	for _, id := range pool {
		if !slices.Contains(d1, id) {
			undrawn = id
			break
		}
	}
	before := countRows(a, "answers")
	a.must(http.StatusNotFound, "PUT", "/api/v1/candidate/attempt/answers/"+undrawn, map[string]any{"response": map[string]string{"choice": "A"}, "seq": 1}, c1.token)
	if countRows(a, "answers") != before {
		t.Fatal("a refused save stored an answer")
	}
	// Candidate 1: true/false right, three drawn right (A), two wrong (B).
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att1.Sections[0].Questions[0]["id"].(string), map[string]any{"response": map[string]any{"value": true}, "seq": 1}, c1.token)
	for i, id := range d1 {
		choice := "A"
		if i >= 3 {
			choice = "B"
		}
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+id, map[string]any{"response": map[string]string{"choice": choice}, "seq": 1}, c1.token)
	}
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c1.token)

	// The bank changes after publishing: one drawn question is edited (a
	// new prompt and key), another deleted. The version keeps its copies.
	edited, deleted := d1[0], d1[4]
	changed := bankSC("改过的题目", "投诉处理")
	changed["answer"] = "B"
	a.must(200, "PUT", "/api/v1/bank/questions/"+edited, changed, tok)
	a.must(http.StatusNoContent, "DELETE", "/api/v1/bank/questions/"+deleted, nil, tok)
	a.must(http.StatusNotFound, "GET", "/api/v1/bank/questions/"+deleted, nil, tok)
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1", nil, tok).Decode(t, &ver)
	if len(ver.Exam.Sections[1].Pool) != 20 {
		t.Fatalf("pool after the bank changed: %d questions", len(ver.Exam.Sections[1].Pool))
	}
	for _, q := range ver.Exam.Sections[1].Pool {
		if q.Prompt != prompt[q.ID] {
			t.Fatalf("frozen %s changed from %q to %q", q.ID, prompt[q.ID], q.Prompt)
		}
	}
	// Candidate 2 still gets the frozen questions (and may answer any it
	// drew, the deleted one included).
	for _, q := range att2.Sections[1].Questions {
		if q["prompt"] != prompt[q["id"].(string)] {
			t.Fatalf("candidate 2 sees %q for %s", q["prompt"], q["id"])
		}
	}
	for _, id := range d2 {
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+id, map[string]any{"response": map[string]string{"choice": "A"}, "seq": 1}, c2.token)
	}
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c2.token)

	// Scores: 2 + 3 × 2 = 8 of 12, scored by the frozen key (the bank's new
	// key B for the edited question does not count).
	var det drawDetail
	a.must(200, "GET", "/api/v1/attempts/"+att1.ID, nil, tok).Decode(t, &det)
	if det.Score != 8 || det.MaxScore != 12 || len(det.Questions) != 6 {
		t.Fatalf("attempt 1: score %v of %v, %d questions", det.Score, det.MaxScore, len(det.Questions))
	}
	for i, q := range det.Questions[1:] {
		if q.QuestionID != d1[i] || q.SectionID != ver.Exam.Sections[1].ID || q.Prompt != prompt[q.QuestionID] || q.MaxPoints != 2 {
			t.Fatalf("detail question %d: %+v, drawn %s", i, q, d1[i])
		}
		want := 2.0
		if i >= 3 {
			want = 0
		}
		if q.PointsAwarded == nil || *q.PointsAwarded != want {
			t.Fatalf("drawn %s scored %v, want %v", q.QuestionID, q.PointsAwarded, want)
		}
	}
	// Per tag: the sum over the questions carrying it.
	if fmt.Sprint(det.Tags) != "[{沟通 2 2} {投诉处理 6 10}]" {
		t.Fatalf("tags %+v", det.Tags)
	}

	// Amending the key of a drawn question (to B) regrades the attempts
	// that drew it, and only those.
	wrong := d1[3]
	var am grAmendResult
	a.must(200, "PUT", "/api/v1/exams/"+e.ID+"/versions/1/questions/"+wrong+"/key", map[string]any{"answer": "B"}, tok).Decode(t, &am)
	wantChanged := []string{fmt.Sprintf("%s 8 10", att1.ID)}
	if slices.Contains(d2, wrong) {
		// Candidate 2 left the true/false question: 10 of 12, all drawn right.
		wantChanged = append(wantChanged, fmt.Sprintf("%s 10 8", att2.ID))
	}
	var got []string
	for _, c := range am.Changed {
		got = append(got, fmt.Sprintf("%s %v %v", c.AttemptID, c.OldScore, c.NewScore))
	}
	slices.Sort(got)
	slices.Sort(wantChanged)
	if am.Regraded != 2 || !slices.Equal(got, wantChanged) {
		t.Fatalf("amendment: regraded %d, changed %v, want %v", am.Regraded, got, wantChanged)
	}
	a.must(200, "GET", "/api/v1/attempts/"+att1.ID, nil, tok).Decode(t, &det)
	if det.Score != 10 || det.Tags[1].PointsAwarded != 8 {
		t.Fatalf("after the amendment: score %v, tags %+v", det.Score, det.Tags)
	}

	// Results CSV: a column per section, then one per tag.
	r := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/results.csv", nil, tok)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(r.Body), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if n := len(head); n < 4 || !slices.Equal(head[n-4:], []string{"判断", "投诉处理（抽题）", "tag: 沟通", "tag: 投诉处理"}) {
		t.Fatalf("CSV header %v", head)
	}
	for _, row := range rows[1:] {
		if row[1] == att1.ID && !slices.Equal(row[len(row)-4:], []string{"2", "8", "2", "8"}) {
			t.Fatalf("CSV row of attempt 1: %v", row)
		}
	}

	// Statistics: each drawn question counts the attempts that drew it.
	var st struct {
		Attempts  int `json:"attempts"`
		Questions []struct {
			QuestionID string `json:"question_id"`
			Attempts   int    `json:"attempts"`
		} `json:"questions"`
	}
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1/statistics", nil, tok).Decode(t, &st)
	had := map[string]int{}
	for _, q := range st.Questions {
		had[q.QuestionID] = q.Attempts
	}
	if st.Attempts != 2 || len(st.Questions) != 21 {
		t.Fatalf("statistics: %d attempts, %d questions", st.Attempts, len(st.Questions))
	}
	for _, id := range pool {
		want := 0
		if slices.Contains(d1, id) {
			want++
		}
		if slices.Contains(d2, id) {
			want++
		}
		if had[id] != want {
			t.Fatalf("statistics: %s had by %d attempts, want %d", id, had[id], want)
		}
	}
}

func TestDrawSectionBadInputChangesNothing(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "bad-draw@acme.test")
	tok := s.AccessToken
	withDraw := func(draw map[string]any) map[string]any {
		d := drawExam(1)
		d["sections"].([]any)[1].(map[string]any)["draw"] = draw
		return d
	}
	for _, c := range []struct {
		name  string
		doc   map[string]any
		field string
		code  string
	}{
		{"count 0", withDraw(map[string]any{"count": 0, "tags": []string{"投诉处理"}}), "sections[1].draw.count", "out_of_range"},
		{"count 501", withDraw(map[string]any{"count": 501, "tags": []string{"投诉处理"}}), "sections[1].draw.count", "out_of_range"},
		{"empty tag", withDraw(map[string]any{"count": 2, "tags": []string{""}}), "sections[1].draw.tags[0]", "required"},
		{"unknown type", withDraw(map[string]any{"count": 2, "type": "oral"}), "sections[1].draw.type", "invalid_value"},
		{"a pool in a draft", func() map[string]any {
			d := drawExam(1)
			d["sections"].([]any)[1].(map[string]any)["pool"] = []any{map[string]any{"type": "true_false", "prompt": "x", "answer": true, "points": 1}}
			return d
		}(), "sections[1].pool", "unknown_field"},
	} {
		r := a.must(422, "POST", "/api/v1/exams", c.doc, tok)
		var body struct {
			Error struct {
				Details []struct {
					Field string `json:"field"`
					Code  string `json:"code"`
				} `json:"details"`
			} `json:"error"`
		}
		r.Decode(t, &body)
		if len(body.Error.Details) == 0 || body.Error.Details[0].Field != c.field || body.Error.Details[0].Code != c.code {
			t.Errorf("%s: %s, want %s %s", c.name, r.Body, c.field, c.code)
		}
	}
	if n := countRows(a, "exams"); n != 0 {
		t.Fatalf("%d exams stored from bad drafts", n)
	}

	publishFails := func(doc map[string]any, field, code string) {
		t.Helper()
		e := a.draftExam(tok, doc)
		r := a.must(422, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, tok)
		if !strings.Contains(string(r.Body), `"field":"`+field+`"`) || !strings.Contains(string(r.Body), `"code":"`+code+`"`) ||
			!strings.Contains(string(r.Body), "投诉处理（抽题）") {
			t.Fatalf("publish: %s, want %s %s naming the section", r.Body, field, code)
		}
		if got := a.must(200, "GET", "/api/v1/exams/"+e.ID, nil, tok).JSON(); got["status"] != "draft" {
			t.Fatalf("exam after a refused publish: %v", got["status"])
		}
	}
	// An empty pool, then one smaller than the count.
	publishFails(drawExam(1), "sections[1].draw.count", "too_few")
	drawBank(a, tok, "投诉处理", 3, 2)
	publishFails(drawExam(4), "sections[1].draw.count", "too_few")
	// Unequal maximum points in the pool.
	drawBank(a, tok, "投诉处理", 1, 3)
	publishFails(drawExam(2), "sections[1].draw", "unequal_points")
	if n := countRows(a, "exam_versions"); n != 0 {
		t.Fatalf("%d versions frozen by refused publishes", n)
	}
}
