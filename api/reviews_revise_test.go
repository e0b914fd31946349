package api

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"examd/exam"
)

// Releasing, "my scored items", revising and per-criterion points. Helpers
// carry an rv prefix.

// rvError is an error body with its field details.
type rvError struct {
	Error struct {
		Code    string            `json:"code"`
		Details []exam.FieldError `json:"details"`
	} `json:"error"`
}

type rvMine struct {
	Items []struct {
		ID             string  `json:"id"`
		ExamID         string  `json:"exam_id"`
		QuestionPrompt string  `json:"question_prompt"`
		Points         float64 `json:"points"`
		MaxPoints      float64 `json:"max_points"`
		Criteria       []struct {
			Index  int     `json:"index"`
			Points float64 `json:"points"`
		} `json:"criteria"`
		Comment   string  `json:"comment"`
		ScoredAt  string  `json:"scored_at"`
		RevisedAt *string `json:"revised_at"`
		CanRevise bool    `json:"can_revise"`
		Response  struct {
			Text string `json:"text"`
		} `json:"response"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func (a *app) rvMine(token, query string) rvMine {
	a.t.Helper()
	return getAs[rvMine](a, token, "/api/v1/reviews/mine"+query)
}

// rvRubricExam: a true/false question worth 1.5 and two essays of 10
// points whose rubric is 4 + 6.
func rvRubricExam() map[string]any {
	essay := func(n int) map[string]any {
		return map[string]any{"type": "essay", "prompt": fmt.Sprintf("Rubric essay %d", n), "points": 10,
			"rubric": []any{map[string]any{"criterion": "names the risks", "points": 4}, map[string]any{"criterion": "gives a plan", "points": 6}}}
	}
	return map[string]any{"title": "Rubric exam", "time_limit_seconds": 3600, "pass_score": 13.5,
		"sections": []any{map[string]any{"title": "All", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "Sky is blue", "answer": true, "points": 1.5},
			essay(1), essay(2)}}}}
}

// rvTakeRubric publishes the rubric exam and has one candidate answer it
// (the true/false right).
func (s *grReviewSetup) rvTakeRubric(who string) (exam.Exam, grCandidate) {
	a := s.a
	e := a.grPublish(s.recruiter.AccessToken, rvRubricExam())
	ids := grQuestionIDs(e)
	c := a.grTake(s.recruiter.AccessToken, e.ID, "候选人"+who, who+"@cand.test", "", map[string]any{
		ids[0]: map[string]any{"value": true},
		ids[1]: map[string]any{"text": "first essay by " + who},
		ids[2]: map[string]any{"text": "second essay by " + who},
	})
	return e, c
}

func (a *app) rvAttempt(staff, attemptID string) map[string]any {
	a.t.Helper()
	return a.must(200, "GET", "/api/v1/attempts/"+attemptID, nil, staff).JSON()
}

func TestReviewReleaseHolderOnlyThenClaimable(t *testing.T) {
	s := newReviewSetup(t, 1, 3) // three items, oldest first: cand00, cand01, cand02
	a := s.a
	alice, bob := s.reviewer("alice"), s.reviewer("bob")

	first, _ := a.grClaimItem(alice, nil)
	if first == nil || first.Response.Text != "answer 1 by cand00" {
		t.Fatalf("alice's claim: %+v", first)
	}
	rel := "/api/v1/reviews/" + first.ID + "/release"
	// Only the holder releases.
	if r := a.must(409, "POST", rel, nil, bob); r.Code() != "lease_lost" {
		t.Fatalf("bob releases alice's item: %s", r.Body)
	}
	for _, body := range []string{`{"x": 1}`, `{`, `null`, `[]`} {
		if r := a.do("POST", rel, body, alice); r.Status != 400 {
			t.Errorf("release with body %s: %d %s", body, r.Status, r.Body)
		}
	}
	if st := a.grStats(alice, ""); st != (grStats{Pending: 2, Claimed: 1}) {
		t.Fatalf("bad releases changed the queue: %+v", st)
	}
	a.must(404, "POST", "/api/v1/reviews/00000000-0000-0000-0000-000000000000/release", nil, alice)
	a.must(404, "POST", "/api/v1/reviews/nope/release", nil, alice)
	other := a.signup("Other Org", "admin@other.test")
	if r := a.do("POST", rel, nil, other.AccessToken); r.Status != 404 {
		t.Fatalf("another organization's admin releases: %d %s", r.Status, r.Body)
	}

	a.must(204, "POST", rel, `{}`, alice)
	if st := a.grStats(alice, ""); st != (grStats{Pending: 3}) {
		t.Fatalf("stats after release: %+v", st)
	}
	if r := a.must(409, "POST", rel, nil, alice); r.Code() != "lease_lost" {
		t.Fatalf("releasing twice: %s", r.Body)
	}
	// Released = claimable by anyone at once: Bob, who never had it, gets
	// it first since it is the oldest.
	got, _ := a.grClaimItem(bob, nil)
	if got == nil || got.ID != first.ID {
		t.Fatalf("bob's claim after the release = %+v, want %s", got, first.ID)
	}
	a.must(204, "POST", rel, nil, bob)

	// Skip = release + claim: Alice moves on to the next item although the
	// one she released is older, and only when every waiting item is one
	// she released does she get them back, oldest first.
	second, _ := a.grClaimItem(alice, nil)
	if second == nil || second.Response.Text != "answer 1 by cand01" {
		t.Fatalf("alice's claim after skipping: %+v", second)
	}
	a.must(204, "POST", "/api/v1/reviews/"+second.ID+"/release", nil, alice)
	third, _ := a.grClaimItem(alice, nil)
	if third == nil || third.Response.Text != "answer 1 by cand02" {
		t.Fatalf("alice's claim after skipping twice: %+v", third)
	}
	a.must(204, "POST", "/api/v1/reviews/"+third.ID+"/release", nil, alice)
	back, _ := a.grClaimItem(alice, nil)
	if back == nil || back.ID != first.ID {
		t.Fatalf("alice's claim when only released items wait = %+v, want the oldest %s", back, first.ID)
	}
	// A scored item cannot be released.
	a.must(200, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 4}, alice)
	if r := a.must(409, "POST", rel, nil, alice); r.Code() != "conflict" {
		t.Fatalf("release of a scored item: %s", r.Body)
	}
	if st := a.grStats(alice, ""); st != (grStats{Pending: 2, Done: 1}) {
		t.Fatalf("stats at the end: %+v", st)
	}
}

func TestReviewMineListsOnlyMineBlind(t *testing.T) {
	s := newReviewSetup(t, 2, 2) // four items of two attempts
	a := s.a
	alice, bob := s.reviewer("alice"), s.reviewer("bob")

	if m := a.rvMine(alice, "?exam_id="+s.exam.ID); len(m.Items) != 0 || m.NextCursor != nil {
		t.Fatalf("mine before scoring: %+v", m)
	}
	score := func(token string, pts float64, comment string) string {
		c, st := a.grClaimItem(token, nil)
		if st != 200 {
			t.Fatalf("claim: %d", st)
		}
		a.must(200, "POST", "/api/v1/reviews/"+c.ID+"/score", map[string]any{"points": pts, "comment": comment}, token)
		return c.ID
	}
	a1 := score(alice, 1.5, "alice one") // cand00 essay 1
	b1 := score(bob, 2, "bob one")       // cand00 essay 2: cand00 graded
	a2 := score(alice, 3, "alice two")   // cand01 essay 1
	held, _ := a.grClaimItem(alice, nil) // cand01 essay 2, held, unscored
	m := a.rvMine(alice, "?exam_id="+s.exam.ID)
	if len(m.Items) != 2 || m.Items[0].ID != a2 || m.Items[1].ID != a1 || m.NextCursor != nil {
		t.Fatalf("alice's items: %+v", m)
	}
	it := m.Items[0]
	if it.Points != 3 || it.MaxPoints != 5 || it.Comment != "alice two" || !strings.HasPrefix(it.QuestionPrompt, "Essay ") ||
		it.ExamID != s.exam.ID || !strings.HasSuffix(it.Response.Text, " by cand01") || len(it.Criteria) != 0 || it.RevisedAt != nil || it.ScoredAt == "" {
		t.Errorf("alice's newest item: %+v", it)
	}
	// cand01 still has an essay waiting; cand00 is graded, so final.
	if !m.Items[0].CanRevise || m.Items[1].CanRevise {
		t.Errorf("can_revise: %v %v, want true false", m.Items[0].CanRevise, m.Items[1].CanRevise)
	}
	r := a.must(200, "GET", "/api/v1/reviews/mine?exam_id="+s.exam.ID, nil, alice)
	for _, c := range s.cands {
		for _, secret := range []string{c.AttemptID, c.InvitationID, "cand.test", "候选人", b1, held.ID} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("mine reveals %q: %s", secret, r.Body)
			}
		}
	}
	if m := a.rvMine(bob, ""); len(m.Items) != 1 || m.Items[0].ID != b1 {
		t.Fatalf("bob's items: %+v", m)
	}

	// Pages of one.
	p1 := a.rvMine(alice, "?limit=1")
	if len(p1.Items) != 1 || p1.Items[0].ID != a2 || p1.NextCursor == nil {
		t.Fatalf("first page: %+v", p1)
	}
	p2 := a.rvMine(alice, "?limit=1&cursor="+*p1.NextCursor)
	if len(p2.Items) != 1 || p2.Items[0].ID != a1 || p2.NextCursor != nil {
		t.Fatalf("second page: %+v", p2)
	}
	for _, q := range []string{"?exam_id=nope", "?limit=0", "?limit=501", "?limit=x", "?cursor=!!!", "?cursor=bm9wZQ"} {
		if r := a.do("GET", "/api/v1/reviews/mine"+q, nil, alice); r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("mine%s: %d %s", q, r.Status, r.Body)
		}
	}
	a.must(404, "GET", "/api/v1/reviews/mine?exam_id=00000000-0000-0000-0000-000000000000", nil, alice)
	// Another organization sees none of it, and not the exam either.
	other := a.signup("Other Org", "admin@other.test")
	a.must(404, "GET", "/api/v1/reviews/mine?exam_id="+s.exam.ID, nil, other.AccessToken)
	if m := a.rvMine(other.AccessToken, ""); len(m.Items) != 0 {
		t.Fatalf("other organization's mine: %+v", m)
	}
	// Recruiters do not review.
	a.must(403, "GET", "/api/v1/reviews/mine", nil, s.recruiter.AccessToken)
}

func TestReviewReviseOwnWhileGrading(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	a := s.a
	e, c := s.rvTakeRubric("rv")
	alice, bob := s.reviewer("alice"), s.reviewer("bob")
	rec := s.recruiter.AccessToken

	first, _ := a.grClaimItem(alice, map[string]any{"exam_id": e.ID})
	a.must(200, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 7, "comment": "ok",
		"criteria": []any{map[string]any{"index": 0, "points": 3}, map[string]any{"index": 1, "points": 4}}}, alice)
	d := a.rvAttempt(rec, c.AttemptID)
	if d["status"] != "grading" || d["auto_score"] != 1.5 || d["manual_score"] != 7.0 || d["score"] != 8.5 || d["passed"] != nil {
		t.Fatalf("after the first score: %v", d)
	}
	second, _ := a.grClaimItem(bob, map[string]any{"exam_id": e.ID})
	put := func(id string, body any, token string) *resp {
		return a.do("PUT", "/api/v1/reviews/"+id+"/score", body, token)
	}
	// Only its scorer revises; an unscored item has nothing to revise.
	if r := put(first.ID, map[string]any{"points": 9}, bob); r.Status != 403 || r.Code() != "forbidden" {
		t.Fatalf("bob revises alice's score: %d %s", r.Status, r.Body)
	}
	if r := put(second.ID, map[string]any{"points": 1}, bob); r.Status != 409 || r.Code() != "conflict" {
		t.Fatalf("revising an unscored item: %d %s", r.Status, r.Body)
	}
	if r := put(first.ID, map[string]any{"points": 10.5}, alice); r.Status != 422 {
		t.Fatalf("revising beyond the maximum: %d %s", r.Status, r.Body)
	}
	if r := put("00000000-0000-0000-0000-000000000000", map[string]any{"points": 1}, alice); r.Status != 404 {
		t.Fatalf("revising an unknown item: %d", r.Status)
	}
	// POST score again stays a conflict, and changes nothing.
	if r := a.must(409, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 1}, alice); r.Code() != "conflict" {
		t.Fatalf("second POST score: %s", r.Body)
	}
	if d := a.rvAttempt(rec, c.AttemptID); d["manual_score"] != 7.0 || d["score"] != 8.5 {
		t.Fatalf("refused revisions changed the attempt: %v", d)
	}

	r := a.must(200, "PUT", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 8.5, "comment": "better on reading again",
		"criteria": []any{map[string]any{"index": 1, "points": 4.5}, map[string]any{"index": 0, "points": 4}}}, alice)
	var out struct {
		Points    float64 `json:"points"`
		Comment   string  `json:"comment"`
		RevisedAt *string `json:"revised_at"`
		Criteria  []struct {
			Index  int     `json:"index"`
			Points float64 `json:"points"`
		} `json:"criteria"`
	}
	r.Decode(t, &out)
	if out.Points != 8.5 || out.Comment != "better on reading again" || out.RevisedAt == nil || len(out.Criteria) != 2 || out.Criteria[0].Index != 1 {
		t.Fatalf("revision answer: %s", r.Body)
	}
	d = a.rvAttempt(rec, c.AttemptID)
	if d["status"] != "grading" || d["manual_score"] != 8.5 || d["score"] != 10.0 || d["passed"] != nil {
		t.Fatalf("after the revision: %v", d)
	}
	m := a.rvMine(alice, "?exam_id="+e.ID)
	if len(m.Items) != 1 || m.Items[0].Points != 8.5 || m.Items[0].Comment != "better on reading again" || m.Items[0].RevisedAt == nil ||
		len(m.Items[0].Criteria) != 2 || m.Items[0].Criteria[1].Index != 0 || m.Items[0].Criteria[1].Points != 4 || !m.Items[0].CanRevise {
		t.Fatalf("mine after the revision: %+v", m)
	}
	// Dropping the criteria is allowed: the score is then a total only.
	a.must(200, "PUT", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 8}, alice)
	if d := a.rvAttempt(rec, c.AttemptID); d["manual_score"] != 8.0 || d["score"] != 9.5 {
		t.Fatalf("after the second revision: %v", d)
	}

	// The last essay scored: the attempt is graded and its scores final.
	a.must(200, "POST", "/api/v1/reviews/"+second.ID+"/score", map[string]any{"points": 4}, bob)
	d = a.rvAttempt(rec, c.AttemptID)
	if d["status"] != "graded" || d["manual_score"] != 12.0 || d["score"] != 13.5 || d["passed"] != true {
		t.Fatalf("graded: %v", d)
	}
	if r := put(first.ID, map[string]any{"points": 2}, alice); r.Status != 409 || r.Code() != "conflict" {
		t.Fatalf("revising a final score: %d %s", r.Status, r.Body)
	}
	if d := a.rvAttempt(rec, c.AttemptID); d["score"] != 13.5 || d["passed"] != true {
		t.Fatalf("a refused revision changed the graded attempt: %v", d)
	}
	if m := a.rvMine(alice, ""); len(m.Items) != 1 || m.Items[0].CanRevise || m.Items[0].Points != 8 {
		t.Fatalf("mine once final: %+v", m)
	}
}

func TestReviewScoreCriteriaRules(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	a := s.a
	ex, _ := s.rvTakeRubric("cr")
	alice := s.reviewer("alice")
	item, _ := a.grClaimItem(alice, map[string]any{"exam_id": ex.ID})
	path := "/api/v1/reviews/" + item.ID + "/score"
	crit := func(pairs ...float64) []any {
		var out []any
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, map[string]any{"index": pairs[i], "points": pairs[i+1]})
		}
		return out
	}
	cases := []struct {
		name   string
		points float64
		crit   any
		want   []string // field:code
	}{
		{"sum below the points", 7, crit(0, 3, 1, 3), []string{"criteria:sum_mismatch"}},
		{"sum above the points", 2, crit(0, 1, 1, 2), []string{"criteria:sum_mismatch"}},
		{"over a criterion's maximum", 7, crit(0, 5, 1, 2), []string{"criteria[0].points:out_of_range"}},
		{"negative", 0, crit(0, -1, 1, 1), []string{"criteria[0].points:out_of_range"}},
		{"index past the rubric", 1, crit(2, 1), []string{"criteria[0].index:out_of_range"}},
		{"negative index", 1, crit(-1, 1), []string{"criteria[0].index:out_of_range"}},
		{"index twice", 2, crit(0, 1, 0, 1), []string{"criteria[1].index:duplicate"}},
		{"not halves", 2.5, crit(0, 1.25, 1, 1.25), []string{"criteria[0].points:not_multiple_of_half", "criteria[1].points:not_multiple_of_half"}},
		{"index missing", 1, []any{map[string]any{"points": 1}}, []string{"criteria[0].index:required"}},
		{"points missing", 1, []any{map[string]any{"index": 0}}, []string{"criteria[0].points:required"}},
	}
	for _, tc := range cases {
		r := a.do("POST", path, map[string]any{"points": tc.points, "criteria": tc.crit}, alice)
		if r.Status != 422 {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			continue
		}
		var e rvError
		r.Decode(t, &e)
		var got []string
		for _, d := range e.Error.Details {
			got = append(got, d.Field+":"+d.Code)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: details %v, want %v", tc.name, got, tc.want)
		}
	}
	// The sum's message names both numbers, for people.
	r := a.must(422, "POST", path, map[string]any{"points": 7, "criteria": crit(0, 3, 1, 3)}, alice)
	var e rvError
	r.Decode(t, &e)
	if p := e.Error.Details[0].Params; p["sum"] != 6.0 || p["points"] != 7.0 {
		t.Errorf("sum_mismatch params: %s", r.Body)
	}
	for _, body := range []string{`{"points": 1, "criteria": [{"index": "0", "points": 1}]}`, `{"points": 1, "criteria": [{"index": 0, "points": 1, "x": 1}]}`,
		`{"points": 1, "criteria": {"index": 0}}`, `{"points": 1, "criteria": [{"index": 0.5, "points": 1}]}`} {
		if r := a.do("POST", path, body, alice); r.Status != 400 {
			t.Errorf("%s: %d %s", body, r.Status, r.Body)
		}
	}
	// Nothing of that was recorded; the lease still stands.
	if st := a.grStats(alice, "?exam_id="+ex.ID); st != (grStats{Pending: 1, Claimed: 1}) {
		t.Fatalf("refused scores changed the queue: %+v", st)
	}
	// A good split is kept with the score: a subset of the rubric is fine.
	r = a.must(200, "POST", path, map[string]any{"points": 6, "criteria": crit(1, 6)}, alice)
	if !strings.Contains(string(r.Body), `"criteria":[{"index":1,"points":6}]`) {
		t.Errorf("score answer: %s", r.Body)
	}
	if m := a.rvMine(alice, ""); len(m.Items) != 1 || len(m.Items[0].Criteria) != 1 || m.Items[0].Criteria[0].Points != 6 {
		t.Fatalf("mine: %+v", m)
	}

	// A question without a rubric takes no criteria.
	plain := a.grPublish(s.recruiter.AccessToken, map[string]any{"title": "Plain", "time_limit_seconds": 60,
		"sections": []any{map[string]any{"title": "S", "questions": []any{map[string]any{"type": "essay", "prompt": "Why?", "points": 3}}}}})
	a.grTake(s.recruiter.AccessToken, plain.ID, "P", "p@cand.test", "", map[string]any{grQuestionIDs(plain)[0]: map[string]any{"text": "because"}})
	pi, _ := a.grClaimItem(alice, map[string]any{"exam_id": plain.ID})
	r = a.must(422, "POST", "/api/v1/reviews/"+pi.ID+"/score", map[string]any{"points": 1, "criteria": crit(0, 1)}, alice)
	r.Decode(t, &e)
	if len(e.Error.Details) != 1 || e.Error.Details[0].Field != "criteria" || e.Error.Details[0].Code != "too_many" {
		t.Errorf("criteria without a rubric: %s", r.Body)
	}
	a.must(200, "POST", "/api/v1/reviews/"+pi.ID+"/score", map[string]any{"points": 1, "criteria": []any{}}, alice)
}

// A revision racing the attempt's last first score: whichever wins, the
// attempt ends graded with its total equal to its stored points, and a
// revision that lost the race changed nothing.
func TestReviewReviseRacesLastScore(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	a := s.a
	alice, bob := s.reviewer("alice"), s.reviewer("bob")
	for round := 0; round < 6; round++ {
		e, c := s.rvTakeRubric(fmt.Sprintf("race%d", round))
		first, _ := a.grClaimItem(alice, map[string]any{"exam_id": e.ID})
		a.must(200, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 2}, alice)
		second, _ := a.grClaimItem(bob, map[string]any{"exam_id": e.ID})
		var wg sync.WaitGroup
		var revised, scored *resp
		wg.Add(2)
		go func() {
			defer wg.Done()
			revised = a.do("PUT", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 7}, alice)
		}()
		go func() {
			defer wg.Done()
			scored = a.do("POST", "/api/v1/reviews/"+second.ID+"/score", map[string]any{"points": 3}, bob)
		}()
		wg.Wait()
		if scored.Status != 200 {
			t.Fatalf("round %d: last score: %d %s", round, scored.Status, scored.Body)
		}
		want := 1.5 + 2 + 3
		switch revised.Status {
		case 200:
			want = 1.5 + 7 + 3
		case 409:
		default:
			t.Fatalf("round %d: revision: %d %s", round, revised.Status, revised.Body)
		}
		d := a.rvAttempt(s.recruiter.AccessToken, c.AttemptID)
		if d["status"] != "graded" || d["score"] != want {
			t.Fatalf("round %d: revision %d, attempt %v, want graded with %v", round, revised.Status, d, want)
		}
	}
}
