package api

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"examd/exam"
)

// Helpers of the grading tests carry a gr prefix: other test files of this
// package are written concurrently and must not collide with them.

// grPublish creates doc as token's user, publishes it and returns the exam
// as created (with every section and question id).
func (a *app) grPublish(token string, doc any) exam.Exam {
	a.t.Helper()
	var e exam.Exam
	a.must(201, "POST", "/api/v1/exams", doc, token).Decode(a.t, &e)
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, token)
	return e
}

// grCandidate is a candidate with an invitation and a candidate token.
type grCandidate struct {
	InvitationID string
	AttemptID    string
	Token        string
}

// grStart invites a candidate, opens a session and starts the attempt.
func (a *app) grStart(staffToken, examID, name, email, track string) grCandidate {
	a.t.Helper()
	body := map[string]any{"candidate_name": name, "candidate_email": email}
	if track != "" {
		body["track"] = track
	}
	inv := a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations", body, staffToken).JSON()
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
	c := grCandidate{InvitationID: inv["id"].(string), Token: ses["access_token"].(string)}
	att := a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.Token).JSON()
	c.AttemptID = att["id"].(string)
	return c
}

// grAnswer saves each response (question id → response object) with seq 1.
func (a *app) grAnswer(c grCandidate, answers map[string]any) {
	a.t.Helper()
	ids := make([]string, 0, len(answers))
	for id := range answers {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+id, map[string]any{"response": answers[id], "seq": 1}, c.Token)
	}
}

// grTake starts, answers and submits.
func (a *app) grTake(staffToken, examID, name, email, track string, answers map[string]any) grCandidate {
	a.t.Helper()
	c := a.grStart(staffToken, examID, name, email, track)
	a.grAnswer(c, answers)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.Token)
	return c
}

// grForeignQueue is a second organization, "Other Org", whose one essay
// exam "Foreign" a candidate has taken: one review item that no other
// organization may see. It returns that organization's admin and the exam.
func (a *app) grForeignQueue() (session, exam.Exam) {
	a.t.Helper()
	admin := a.signup("Other Org", "admin@other.test")
	rec := a.staff(admin.AccessToken, "recruiter", "rec@other.test")
	foreign := a.grPublish(rec.AccessToken, grEssayExam("Foreign", 1, 1))
	a.grTake(rec.AccessToken, foreign.ID, "外人", "x@other.test", "", grEssays(foreign, "x"))
	return admin, foreign
}

// grEssayExam is an exam of n essays worth points each.
func grEssayExam(title string, n int, points float64) map[string]any {
	qs := make([]any, n)
	for i := range qs {
		qs[i] = map[string]any{"type": "essay", "prompt": fmt.Sprintf("Essay %d of %s", i+1, title), "points": points,
			"reference_answer": "REFERENCE " + title, "rubric": []any{map[string]any{"criterion": "clear", "points": points}}}
	}
	return map[string]any{"title": title, "time_limit_seconds": 3600, "pass_score": points,
		"sections": []any{map[string]any{"title": "Essays", "questions": qs}}}
}

func grQuestionIDs(e exam.Exam) []string {
	var ids []string
	e.Questions(func(_, _ int, _ *exam.Section, q *exam.Question) { ids = append(ids, q.ID) })
	return ids
}

// grEssays answers every question of e with a text naming the candidate
// and the question, so a test can tell items apart through the blind view.
func grEssays(e exam.Exam, who string) map[string]any {
	m := map[string]any{}
	for i, id := range grQuestionIDs(e) {
		m[id] = map[string]any{"text": fmt.Sprintf("answer %d by %s", i+1, who)}
	}
	return m
}

type grClaim struct {
	ID        string `json:"id"`
	ExamTitle string `json:"exam_title"`
	Question  struct {
		Prompt          string            `json:"prompt"`
		Points          float64           `json:"points"`
		ReferenceAnswer string            `json:"reference_answer"`
		Rubric          []exam.RubricItem `json:"rubric"`
	} `json:"question"`
	Response struct {
		Text string `json:"text"`
	} `json:"response"`
	LeaseExpiresAt time.Time `json:"lease_expires_at"`
}

func (a *app) grClaimItem(token string, body any) (*grClaim, int) {
	a.t.Helper()
	r := a.do("POST", "/api/v1/reviews/claim", body, token)
	if r.Status == 204 {
		return nil, 204
	}
	if r.Status != 200 {
		return nil, r.Status
	}
	var c grClaim
	r.Decode(a.t, &c)
	return &c, 200
}

type grStats struct {
	Pending int `json:"pending"`
	Claimed int `json:"claimed"`
	Done    int `json:"done"`
}

func (a *app) grStats(token, query string) grStats {
	a.t.Helper()
	return getAs[grStats](a, token, "/api/v1/reviews/stats"+query)
}

// grReviewSetup: an organization with a recruiter and an exam of essays
// taken by candidates.
type grReviewSetup struct {
	a         *app
	admin     session
	recruiter session
	exam      exam.Exam
	cands     []grCandidate
}

// newReviewSetup runs the test in parallel on its own app: an organization
// with an admin, a recruiter and a published exam of the given number of
// essays, which the given number of candidates have answered.
func newReviewSetup(t *testing.T, essays, candidates int) *grReviewSetup {
	t.Helper()
	a := parallelApp(t)
	s := &grReviewSetup{a: a}
	s.admin = a.signup("Review Org", "admin@review.test")
	s.recruiter = a.staff(s.admin.AccessToken, "recruiter", "rec@review.test")
	s.exam = a.grPublish(s.recruiter.AccessToken, grEssayExam("Essays", essays, 5))
	for i := 0; i < candidates; i++ {
		who := fmt.Sprintf("cand%02d", i)
		s.cands = append(s.cands, a.grTake(s.recruiter.AccessToken, s.exam.ID, "候选人"+who, who+"@cand.test", "", grEssays(s.exam, who)))
	}
	return s
}

// reviewer adds a reviewer name@review.test to the organization and returns
// their access token.
func (s *grReviewSetup) reviewer(name string) string {
	s.a.t.Helper()
	return s.a.staff(s.admin.AccessToken, "reviewer", name+"@review.test").AccessToken
}

func TestReviewConcurrentClaimsTakeEachItemOnce(t *testing.T) {
	const reviewers, candidates, essays = 10, 10, 20 // 200 items
	s := newReviewSetup(t, essays, candidates)
	a := s.a
	if st := a.grStats(s.admin.AccessToken, ""); st != (grStats{Pending: 200}) {
		t.Fatalf("stats before: %+v", st)
	}
	tokens := make([]string, reviewers)
	for i := range tokens {
		tokens[i] = s.reviewer(fmt.Sprintf("rev%d", i))
	}

	var mu sync.Mutex
	claimedBy := map[string]int{} // item → reviewer
	texts := map[string]bool{}
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 1000; n++ {
				r := a.do("POST", "/api/v1/reviews/claim", nil, tok)
				if r.Status == 204 {
					return
				}
				if r.Status != 200 {
					t.Errorf("reviewer %d: claim: %d %s", i, r.Status, r.Body)
					return
				}
				var c grClaim
				if err := json.Unmarshal(r.Body, &c); err != nil {
					t.Errorf("claim body: %v", err)
					return
				}
				mu.Lock()
				if prev, dup := claimedBy[c.ID]; dup {
					t.Errorf("item %s claimed by reviewer %d and again by %d", c.ID, prev, i)
				}
				claimedBy[c.ID] = i
				texts[c.Response.Text] = true
				mu.Unlock()
				if sr := a.do("POST", "/api/v1/reviews/"+c.ID+"/score", map[string]any{"points": 1, "comment": "ok"}, tok); sr.Status != 200 {
					t.Errorf("reviewer %d: score %s: %d %s", i, c.ID, sr.Status, sr.Body)
					return
				}
			}
			t.Errorf("reviewer %d never saw 204", i)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if len(claimedBy) != 200 || len(texts) != 200 {
		t.Fatalf("claimed %d distinct items with %d distinct texts, want 200", len(claimedBy), len(texts))
	}
	perReviewer := map[int]int{}
	for _, r := range claimedBy {
		perReviewer[r]++
	}
	t.Logf("items per reviewer: %v", perReviewer)
	if st := a.grStats(s.admin.AccessToken, ""); st != (grStats{Done: 200}) {
		t.Fatalf("stats after: %+v", st)
	}
	// Every attempt is graded: 20 essays × 1 point, pass score 5.
	var res struct {
		Items []map[string]any `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+s.exam.ID+"/results", nil, s.recruiter.AccessToken).Decode(t, &res)
	if len(res.Items) != candidates {
		t.Fatalf("results: %d items", len(res.Items))
	}
	for _, it := range res.Items {
		if it["status"] != "graded" || it["score"] != 20.0 || it["manual_score"] != 20.0 || it["auto_score"] != 0.0 ||
			it["max_score"] != 100.0 || it["passed"] != true {
			t.Errorf("result: %v", it)
		}
	}
}

func TestReviewLeaseExpiryAndScoringRules(t *testing.T) {
	s := newReviewSetup(t, 2, 1) // two items
	a := s.a
	alice, bob := s.reviewer("alice"), s.reviewer("bob")

	first, st := a.grClaimItem(alice, nil)
	if st != 200 {
		t.Fatalf("claim: %d", st)
	}
	if d := time.Until(first.LeaseExpiresAt); d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("lease expires in %v, want 15 minutes", d)
	}
	// Claiming again before scoring returns the same item and lease.
	again, _ := a.grClaimItem(alice, map[string]any{"exam_id": s.exam.ID})
	if again == nil || again.ID != first.ID || !again.LeaseExpiresAt.Equal(first.LeaseExpiresAt) {
		t.Fatalf("second claim = %+v, want the held item %s", again, first.ID)
	}
	// Bob gets the other item; then nothing is left.
	second, _ := a.grClaimItem(bob, nil)
	if second == nil || second.ID == first.ID {
		t.Fatalf("bob's claim = %+v", second)
	}
	if st := a.grStats(alice, "?exam_id="+s.exam.ID); st != (grStats{Claimed: 2}) {
		t.Fatalf("stats: %+v", st)
	}
	carol := s.reviewer("carol")
	if _, st := a.grClaimItem(carol, nil); st != 204 {
		t.Fatalf("carol's claim: %d, want 204", st)
	}

	// Alice's lease runs out: the item returns to the queue and Carol takes it.
	if err := a.db.Exec(`UPDATE review_items SET lease_expires_at = now() - interval '1 second' WHERE id = ?`, first.ID).Error; err != nil {
		t.Fatal(err)
	}
	if st := a.grStats(alice, ""); st != (grStats{Pending: 1, Claimed: 1}) {
		t.Fatalf("stats after expiry: %+v", st)
	}
	took, _ := a.grClaimItem(carol, nil)
	if took == nil || took.ID != first.ID {
		t.Fatalf("carol's claim after expiry = %+v, want %s", took, first.ID)
	}
	r := a.must(409, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 3}, alice)
	if r.Code() != "lease_lost" {
		t.Fatalf("old holder's score: %s", r.Body)
	}
	// Bob cannot score Carol's item either, nor anyone an unclaimed one.
	if r := a.must(409, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 3}, bob); r.Code() != "lease_lost" {
		t.Fatalf("non-holder's score: %s", r.Body)
	}

	// Points: outside 0 … 5 or not a multiple of 0.5 are 422 on "points".
	for _, body := range []string{`{"points": 7.3}`, `{"points": 5.5}`, `{"points": -0.5}`, `{"points": 2.25}`, `{}`, `{"points": null}`} {
		r := a.must(422, "POST", "/api/v1/reviews/"+first.ID+"/score", body, carol)
		var e rvError
		r.Decode(t, &e)
		if e.Error.Code != "validation_failed" || len(e.Error.Details) != 1 || e.Error.Details[0].Field != "points" {
			t.Errorf("%s: %s", body, r.Body)
		}
	}
	for _, body := range []string{`{"points": "3"}`, `{"points": 3, "extra": 1}`, `{"points": 3`} {
		if r := a.do("POST", "/api/v1/reviews/"+first.ID+"/score", body, carol); r.Status != 400 {
			t.Errorf("%s: %d %s", body, r.Status, r.Body)
		}
	}
	a.must(404, "POST", "/api/v1/reviews/00000000-0000-0000-0000-000000000000/score", map[string]any{"points": 1}, carol)
	a.must(404, "POST", "/api/v1/reviews/not-a-uuid/score", map[string]any{"points": 1}, carol)

	// The holder scores (5 = the maximum is allowed); scoring twice is a conflict.
	a.must(200, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 5, "comment": "full marks"}, carol)
	if r := a.must(409, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 4}, carol); r.Code() != "conflict" {
		t.Fatalf("second score: %s", r.Body)
	}
	if r := a.must(409, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 4}, alice); r.Code() != "conflict" {
		t.Fatalf("score of a scored item: %s", r.Body)
	}
	// One essay of two scored: the attempt is still grading.
	detail := a.must(200, "GET", "/api/v1/attempts/"+s.cands[0].AttemptID, nil, s.recruiter.AccessToken).JSON()
	if detail["status"] != "grading" || detail["score"] != 5.0 || detail["passed"] != nil {
		t.Fatalf("after one score: %v", detail)
	}
	a.must(200, "POST", "/api/v1/reviews/"+second.ID+"/score", map[string]any{"points": 0.5}, bob)
	detail = a.must(200, "GET", "/api/v1/attempts/"+s.cands[0].AttemptID, nil, s.recruiter.AccessToken).JSON()
	if detail["status"] != "graded" || detail["score"] != 5.5 || detail["manual_score"] != 5.5 || detail["passed"] != true {
		t.Fatalf("after both scores: %v", detail)
	}
	if st := a.grStats(alice, ""); st != (grStats{Done: 2}) {
		t.Fatalf("stats at the end: %+v", st)
	}
	if _, st := a.grClaimItem(alice, nil); st != 204 {
		t.Fatalf("claim with an empty queue: %d", st)
	}
}

func TestReviewClaimIsBlind(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	a := s.a
	rev := s.reviewer("rev")
	r := a.must(200, "POST", "/api/v1/reviews/claim", nil, rev)
	var m map[string]any
	r.Decode(t, &m)
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	if got := keys(m); got != "exam_title,id,lease_expires_at,question,response" {
		t.Errorf("claim fields: %s", got)
	}
	if got := keys(m["question"].(map[string]any)); got != "points,prompt,reference_answer,rubric" {
		t.Errorf("question fields: %s", got)
	}
	if got := keys(m["response"].(map[string]any)); got != "text" {
		t.Errorf("response fields: %s", got)
	}
	c := s.cands[0]
	body := string(r.Body)
	for _, secret := range []string{"cand00@cand.test", "候选人cand00", c.AttemptID, c.InvitationID, s.recruiter.User.ID} {
		if strings.Contains(body, secret) {
			t.Errorf("claim view reveals %q: %s", secret, body)
		}
	}
	var cl grClaim
	r.Decode(t, &cl)
	if cl.ExamTitle != "Essays" || cl.Question.Prompt != "Essay 1 of Essays" || cl.Question.Points != 5 ||
		cl.Question.ReferenceAnswer != "REFERENCE Essays" || len(cl.Question.Rubric) != 1 || cl.Response.Text != "answer 1 by cand00" {
		t.Errorf("claim view: %s", body)
	}
}

func TestReviewAccessAndStats(t *testing.T) {
	s := newReviewSetup(t, 2, 2) // 4 items
	a := s.a
	rev := s.reviewer("rev")
	// A second exam of the same organization, taken by one candidate.
	other := a.grPublish(s.recruiter.AccessToken, grEssayExam("Second", 3, 2))
	a.grTake(s.recruiter.AccessToken, other.ID, "第二", "second@cand.test", "", grEssays(other, "second"))
	// An exam without review items.
	a.grPublish(s.recruiter.AccessToken, grEssayExam("Unused", 1, 1))

	// Another organization with its own queue.
	admin2, foreign := a.grForeignQueue()
	rev2 := a.staff(admin2.AccessToken, "reviewer", "rev@other.test").AccessToken

	// Claiming from one exam takes only its items.
	c, st := a.grClaimItem(rev, map[string]any{"exam_id": other.ID})
	if st != 200 || c.ExamTitle != "Second" {
		t.Fatalf("claim from Second: %d %+v", st, c)
	}
	var list struct {
		Items []struct {
			ExamID string `json:"exam_id"`
			Title  string `json:"title"`
			grStats
		} `json:"items"`
	}
	a.must(200, "GET", "/api/v1/reviews/exams", nil, rev).Decode(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("review exams: %+v", list)
	}
	got := map[string]grStats{}
	for _, it := range list.Items {
		got[it.Title] = it.grStats
	}
	if got["Essays"] != (grStats{Pending: 4}) || got["Second"] != (grStats{Pending: 2, Claimed: 1}) {
		t.Fatalf("review exams: %+v", got)
	}
	if st := a.grStats(rev, ""); st != (grStats{Pending: 6, Claimed: 1}) {
		t.Fatalf("org stats: %+v", st)
	}
	if st := a.grStats(rev, "?exam_id="+s.exam.ID); st != (grStats{Pending: 4}) {
		t.Fatalf("exam stats: %+v", st)
	}
	if st := a.grStats(rev2, ""); st != (grStats{Pending: 1}) {
		t.Fatalf("other org's stats: %+v", st)
	}

	// Bad exam ids: a malformed query value is 400; an unknown or foreign
	// exam is 404 in the query and in the claim's body.
	a.must(400, "GET", "/api/v1/reviews/stats?exam_id=nope", nil, rev)
	a.must(404, "GET", "/api/v1/reviews/stats?exam_id=00000000-0000-0000-0000-000000000000", nil, rev)
	a.must(404, "GET", "/api/v1/reviews/stats?exam_id="+foreign.ID, nil, rev)
	reviewer3 := s.reviewer("rev3")
	a.must(404, "POST", "/api/v1/reviews/claim", map[string]any{"exam_id": foreign.ID}, reviewer3)
	a.must(404, "POST", "/api/v1/reviews/claim", map[string]any{"exam_id": "nope"}, reviewer3)
	a.must(400, "POST", "/api/v1/reviews/claim", map[string]any{"exam_id": 7}, reviewer3)
	a.must(400, "POST", "/api/v1/reviews/claim", map[string]any{"exam": s.exam.ID}, reviewer3)
	// Another organization's reviewer cannot score our item: 404.
	a.must(404, "POST", "/api/v1/reviews/"+c.ID+"/score", map[string]any{"points": 1}, rev2)

	// Roles: recruiters do not review; admins may.
	a.must(403, "POST", "/api/v1/reviews/claim", nil, s.recruiter.AccessToken)
	a.must(403, "GET", "/api/v1/reviews/exams", nil, s.recruiter.AccessToken)
	a.must(401, "POST", "/api/v1/reviews/claim", nil, s.cands[0].Token)
	if _, st := a.grClaimItem(s.admin.AccessToken, map[string]any{"exam_id": s.exam.ID}); st != 200 {
		t.Fatalf("admin claim: %d", st)
	}
}

func TestReviewOneReviewerHoldsOneItem(t *testing.T) {
	s := newReviewSetup(t, 5, 2) // 10 items
	a := s.a
	rev := s.reviewer("rev")
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := a.do("POST", "/api/v1/reviews/claim", nil, rev)
			var c grClaim
			if r.Status != 200 || json.Unmarshal(r.Body, &c) != nil {
				t.Errorf("claim: %d %s", r.Status, r.Body)
				return
			}
			ids[i] = c.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("one reviewer's concurrent claims returned different items: %v", ids)
		}
	}
	if st := a.grStats(rev, ""); st != (grStats{Pending: 9, Claimed: 1}) {
		t.Fatalf("stats: %+v", st)
	}
}
