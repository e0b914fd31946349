package api

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"sync"
	"testing"

	"examd/exam"
)

// Helpers of the double-marking tests carry a dm prefix.

// dmExam is an exam of n essays worth points each, marked by markers with
// tolerance; its rubric splits the points into 60 % and 40 %.
func dmExam(title string, n int, points float64, markers int, tolerance float64) map[string]any {
	doc := grEssayExam(title, n, points)
	for _, q := range doc["sections"].([]any)[0].(map[string]any)["questions"].([]any) {
		q.(map[string]any)["rubric"] = []any{
			map[string]any{"criterion": "substance", "points": points * 0.6},
			map[string]any{"criterion": "clarity", "points": points * 0.4},
		}
	}
	doc["review"] = map[string]any{"markers": markers, "tolerance": tolerance}
	return doc
}

type dmModerationClaim struct {
	grClaim
	Moderation *struct {
		Marks []struct {
			Points   float64 `json:"points"`
			Criteria []struct {
				Index  int     `json:"index"`
				Points float64 `json:"points"`
			} `json:"criteria"`
			Comment string `json:"comment"`
		} `json:"marks"`
		Tolerance float64 `json:"tolerance"`
	} `json:"moderation"`
}

type dmSetup struct {
	a                *app
	admin, recruiter session
	reviewers        []session
	exam             exam.Exam
	cands            []grCandidate
}

// newDMSetup runs the test in parallel on its own app: an organization with
// an admin, a recruiter, the given number of reviewers and doc published,
// which the given number of candidates have answered.
func newDMSetup(t *testing.T, doc map[string]any, candidates, reviewers int) *dmSetup {
	t.Helper()
	a := parallelApp(t)
	s := &dmSetup{a: a}
	s.admin = a.signup("Double Org", "admin@double.test")
	s.recruiter = a.staff(s.admin.AccessToken, "recruiter", "rec@double.test")
	for i := 0; i < reviewers; i++ {
		s.reviewers = append(s.reviewers, a.staff(s.admin.AccessToken, "reviewer", fmt.Sprintf("rev%d@double.test", i)))
	}
	s.exam = a.grPublish(s.recruiter.AccessToken, doc)
	for i := 0; i < candidates; i++ {
		who := fmt.Sprintf("cand%03d", i)
		s.cands = append(s.cands, a.grTake(s.recruiter.AccessToken, s.exam.ID, "候选人"+who, who+"@cand.test", "", grEssays(s.exam, who)))
	}
	return s
}

func (s *dmSetup) attempt(i int) map[string]any {
	return s.a.must(200, "GET", "/api/v1/attempts/"+s.cands[i].AttemptID, nil, s.recruiter.AccessToken).JSON()
}

func (s *dmSetup) score(tok, id string, body map[string]any) {
	s.a.t.Helper()
	s.a.must(200, "POST", "/api/v1/reviews/"+id+"/score", body, tok)
}

func TestDoubleMarkingMeanWithinTolerance(t *testing.T) {
	s := newDMSetup(t, dmExam("Mean", 1, 10, 2, 1), 1, 3)
	a := s.a
	r1, r2, r3 := s.reviewers[0].AccessToken, s.reviewers[1].AccessToken, s.reviewers[2].AccessToken
	if st := a.grStats(s.admin.AccessToken, ""); st != (grStats{Pending: 2}) {
		t.Fatalf("one essay marked twice should queue 2 items: %+v", st)
	}
	c1, st := a.grClaimItem(r1, nil)
	if st != 200 {
		t.Fatalf("first claim: %d", st)
	}
	s.score(r1, c1.ID, map[string]any{"points": 6, "comment": "FIRST-MARKER-COMMENT"})
	// The only item left is the other copy of the essay r1 marked.
	if _, st := a.grClaimItem(r1, nil); st != 204 {
		t.Fatalf("r1 must never get the second copy of its essay: claim = %d", st)
	}
	if got := s.attempt(0)["status"]; got != "grading" {
		t.Fatalf("after one mark the attempt is %v, want grading", got)
	}
	r := a.must(200, "POST", "/api/v1/reviews/claim", nil, r2)
	var c2 dmModerationClaim
	r.Decode(t, &c2)
	if c2.ID == c1.ID || c2.Response.Text != c1.Response.Text {
		t.Fatalf("r2 should get the other copy of the same essay: %s/%q vs %s/%q", c2.ID, c2.Response.Text, c1.ID, c1.Response.Text)
	}
	if c2.Moderation != nil || strings.Contains(string(r.Body), "FIRST-MARKER-COMMENT") {
		t.Fatalf("the second marker sees the first mark: %s", r.Body)
	}
	s.score(r2, c2.ID, map[string]any{"points": 6.5, "criteria": []any{map[string]any{"index": 0, "points": 4.5}, map[string]any{"index": 1, "points": 2}}})
	if _, st := a.grClaimItem(r3, nil); st != 204 {
		t.Fatalf("nothing is left to mark: claim = %d", st)
	}
	if _, st := a.grClaimItem(s.admin.AccessToken, map[string]any{"moderation": true}); st != 204 {
		t.Fatalf("marks within tolerance need no moderation: claim = %d", st)
	}
	at := s.attempt(0)
	if at["status"] != "graded" || at["score"] != 6.25 {
		t.Fatalf("attempt = status %v score %v, want graded 6.25 (the mean of 6 and 6.5)", at["status"], at["score"])
	}
	// The results see the final score only.
	res := a.must(200, "GET", "/api/v1/exams/"+s.exam.ID+"/results", nil, s.recruiter.AccessToken).JSON()
	row := res["items"].([]any)[0].(map[string]any)
	if row["score"] != 6.25 {
		t.Fatalf("results row score = %v, want 6.25", row["score"])
	}
	// A reviewer cannot revise the mean, nor anyone a mark once graded.
	if r := a.do("PUT", "/api/v1/reviews/"+c1.ID+"/score", map[string]any{"points": 1}, r1); r.Status != 409 {
		t.Fatalf("revising a mark of a graded attempt: %d %s", r.Status, r.Body)
	}
}

func TestDoubleMarkingModerationBeyondTolerance(t *testing.T) {
	s := newDMSetup(t, dmExam("Moderate", 1, 10, 2, 1), 1, 3)
	a := s.a
	r1, r2, r3 := s.reviewers[0].AccessToken, s.reviewers[1].AccessToken, s.reviewers[2].AccessToken
	c1, _ := a.grClaimItem(r1, nil)
	s.score(r1, c1.ID, map[string]any{"points": 3, "comment": "thin"})
	c2, _ := a.grClaimItem(r2, nil)
	s.score(r2, c2.ID, map[string]any{"points": 8, "comment": "thorough",
		"criteria": []any{map[string]any{"index": 0, "points": 5}, map[string]any{"index": 1, "points": 3}}})
	if at := s.attempt(0); at["status"] != "grading" {
		t.Fatalf("marks 3 and 8 with tolerance 1 await moderation, attempt is %v", at["status"])
	}
	if _, st := a.grClaimItem(r3, nil); st != 204 {
		t.Fatalf("a reviewer's claim must not hand out the moderation: %d", st)
	}
	if r := a.do("POST", "/api/v1/reviews/claim", map[string]any{"moderation": true}, r3); r.Status != 403 {
		t.Fatalf("a reviewer asking to moderate: %d %s", r.Status, r.Body)
	}
	r := a.must(200, "POST", "/api/v1/reviews/claim", map[string]any{"moderation": true}, s.admin.AccessToken)
	var m dmModerationClaim
	r.Decode(t, &m)
	if m.Moderation == nil || len(m.Moderation.Marks) != 2 || m.Moderation.Tolerance != 1 {
		t.Fatalf("the moderator should see both marks and the tolerance: %s", r.Body)
	}
	got := map[float64]string{}
	for _, mk := range m.Moderation.Marks {
		got[mk.Points] = mk.Comment
	}
	if got[3] != "thin" || got[8] != "thorough" {
		t.Fatalf("marks and comments = %v", got)
	}
	if len(m.Question.Rubric) != 2 || m.Question.ReferenceAnswer == "" || m.Response.Text != c1.Response.Text {
		t.Fatalf("the moderator sees the rubric, reference answer and essay: %s", r.Body)
	}
	// The moderator's points are checked like any score.
	if r := a.do("POST", "/api/v1/reviews/"+m.ID+"/score", map[string]any{"points": 11}, s.admin.AccessToken); r.Status != 422 {
		t.Fatalf("moderating with 11 of 10 points: %d", r.Status)
	}
	s.score(s.admin.AccessToken, m.ID, map[string]any{"points": 5.5, "comment": "moderated"})
	at := s.attempt(0)
	if at["status"] != "graded" || at["score"] != 5.5 {
		t.Fatalf("attempt after moderation: %v %v, want graded 5.5", at["status"], at["score"])
	}
	var n int64
	if err := a.db.Raw(`SELECT count(*) FROM audit_log WHERE action = 'essay.moderated' AND target = ?`, "review_item:"+m.ID).Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("audit records of the moderation: %d (%v)", n, err)
	}
	ag := a.must(200, "GET", "/api/v1/reviews/agreement?exam_id="+s.exam.ID, nil, s.admin.AccessToken).JSON()
	if ag["pairs"] != 1.0 || ag["moderated"] != 1.0 || ag["mean_abs_difference"] != 5.0 || ag["icc"] != nil {
		t.Fatalf("agreement = %v", ag)
	}
}

func TestDoubleMarkingCriteriaValidation(t *testing.T) {
	s := newDMSetup(t, dmExam("Criteria", 1, 10, 2, 1), 1, 1)
	a := s.a
	tok := s.reviewers[0].AccessToken
	c, _ := a.grClaimItem(tok, nil)
	crit := func(pairs ...float64) []any {
		var out []any
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, map[string]any{"index": pairs[i], "points": pairs[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		body        map[string]any
		field, code string
	}{
		{"sum differs", map[string]any{"points": 7, "criteria": crit(0, 4, 1, 2)}, "criteria", "sum_mismatch"},
		{"index past the rubric", map[string]any{"points": 4, "criteria": crit(2, 4)}, "criteria[0].index", "out_of_range"},
		{"negative index", map[string]any{"points": 4, "criteria": crit(-1, 4)}, "criteria[0].index", "out_of_range"},
		{"over the criterion's max", map[string]any{"points": 7, "criteria": crit(0, 2, 1, 5)}, "criteria[1].points", "out_of_range"},
		{"not a half", map[string]any{"points": 4.25, "criteria": crit(0, 4.25)}, "points", "not_multiple_of_half"},
		{"missing index", map[string]any{"points": 4, "criteria": []any{map[string]any{"points": 4}}}, "criteria[0].index", "required"},
	} {
		r := a.do("POST", "/api/v1/reviews/"+c.ID+"/score", tc.body, tok)
		if r.Status != 422 {
			t.Fatalf("%s: status %d %s", tc.name, r.Status, r.Body)
		}
		if !dmHasDetail(r.JSON(), tc.field, tc.code) {
			t.Fatalf("%s: want %s/%s in %s", tc.name, tc.field, tc.code, r.Body)
		}
	}
	if st := a.grStats(s.admin.AccessToken, ""); st.Done != 0 {
		t.Fatalf("refused scores changed the queue: %+v", st)
	}
	s.score(tok, c.ID, map[string]any{"points": 7, "criteria": crit(0, 5, 1, 2)})
}

func dmHasDetail(body map[string]any, field, code string) bool {
	e, _ := body["error"].(map[string]any)
	ds, _ := e["details"].([]any)
	for _, d := range ds {
		m, _ := d.(map[string]any)
		if m["field"] == field && m["code"] == code {
			return true
		}
	}
	return false
}

func TestDoubleMarkingReviewSettingValidation(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("Setting Org", "admin@setting.test")
	for _, tc := range []struct {
		review      any
		field, code string
	}{
		{map[string]any{"markers": 3, "tolerance": 1}, "review.markers", "unknown_option"},
		{map[string]any{"tolerance": 1}, "review.markers", "required"},
		{map[string]any{"markers": 2, "tolerance": -1}, "review.tolerance", "out_of_range"},
		{map[string]any{"markers": 2, "tolerance": 0.3}, "review.tolerance", "not_multiple_of_half"},
	} {
		doc := grEssayExam("Setting", 1, 5)
		doc["review"] = tc.review
		r := a.do("POST", "/api/v1/exams", doc, admin.AccessToken)
		if r.Status != 422 || !dmHasDetail(r.JSON(), tc.field, tc.code) {
			t.Fatalf("review %v: %d %s, want 422 %s/%s", tc.review, r.Status, r.Body, tc.field, tc.code)
		}
	}
	// Absent, the setting is one marker: one item per essay.
	e := a.grPublish(admin.AccessToken, grEssayExam("Single", 2, 5))
	a.grTake(admin.AccessToken, e.ID, "One", "one@cand.test", "", grEssays(e, "one"))
	if st := a.grStats(admin.AccessToken, ""); st != (grStats{Pending: 2}) {
		t.Fatalf("single marking queues one item per essay: %+v", st)
	}
	doc := grEssayExam("Kept", 1, 5)
	doc["review"] = map[string]any{"markers": 2, "tolerance": 1.5}
	got := a.must(201, "POST", "/api/v1/exams", doc, admin.AccessToken).JSON()
	if rv, _ := got["review"].(map[string]any); rv["markers"] != 2.0 || rv["tolerance"] != 1.5 {
		t.Fatalf("the review setting is kept: %v", got["review"])
	}
}

// TestDoubleMarkingAgreementICC checks GET /reviews/agreement on a worked
// example. First marker (rev0) then second marker (rev1), five essays of
// 10 points, tolerance 10 (all averaged):
//
//	essay   1   2   3   4   5     first-marker mean 8, second 7, grand 7.5
//	first   9   6   8   7   10
//	second  8   5   8   5   9
//
// Row means 8.5 5.5 8 6 9.5: SSR = 2·(1 + 4 + 0.25 + 2.25 + 4) = 23,
// MSR = 23/4 = 5.75. SSC = 5·(0.25 + 0.25) = 2.5 = MSC. SST = 11.25 + 15.25
// = 26.5, SSE = 26.5 − 23 − 2.5 = 1, MSE = 1/4 = 0.25.
// ICC(2,1) = (5.75 − 0.25) / (5.75 + 0.25 + 2·(2.5 − 0.25)/5) = 5.5/6.9
// = 0.7971. Mean |difference| = (1+1+0+2+1)/5 = 1; the first marker is
// +1 from the co-marker on average, the second −1.
func TestDoubleMarkingAgreementICC(t *testing.T) {
	s := newDMSetup(t, dmExam("ICC", 5, 10, 2, 10), 1, 2)
	a := s.a
	first := map[string]float64{}
	second := []float64{8, 5, 8, 5, 9}
	firstMarks := []float64{9, 6, 8, 7, 10}
	byEssay := map[string]int{}
	for i := 0; i < 5; i++ {
		c, st := a.grClaimItem(s.reviewers[0].AccessToken, nil)
		if st != 200 {
			t.Fatalf("first marker claim %d: %d", i, st)
		}
		byEssay[c.Question.Prompt] = i
		first[c.Question.Prompt] = firstMarks[i]
		s.score(s.reviewers[0].AccessToken, c.ID, map[string]any{"points": firstMarks[i]})
	}
	ag := func() map[string]any {
		return a.must(200, "GET", "/api/v1/reviews/agreement?exam_id="+s.exam.ID, nil, s.admin.AccessToken).JSON()
	}
	if g := ag(); g["pairs"] != 0.0 || g["icc"] != nil || g["mean_abs_difference"] != nil {
		t.Fatalf("no pairs yet: %v", g)
	}
	for i := 0; i < 5; i++ {
		c, st := a.grClaimItem(s.reviewers[1].AccessToken, nil)
		if st != 200 {
			t.Fatalf("second marker claim %d: %d", i, st)
		}
		s.score(s.reviewers[1].AccessToken, c.ID, map[string]any{"points": second[byEssay[c.Question.Prompt]]})
		if i == 3 {
			if g := ag(); g["pairs"] != 4.0 || g["icc"] != nil {
				t.Fatalf("4 pairs: icc must be null: %v", g)
			}
		}
	}
	g := ag()
	icc, _ := g["icc"].(float64)
	if g["pairs"] != 5.0 || math.Abs(icc-5.5/6.9) > 1e-9 || g["mean_abs_difference"] != 1.0 || g["moderated"] != 0.0 {
		t.Fatalf("agreement = %v, want pairs 5, icc %.6f, mean_abs_difference 1, moderated 0", g, 5.5/6.9)
	}
	revs := g["reviewers"].([]any)
	want := map[string]float64{s.reviewers[0].User.ID: 1, s.reviewers[1].User.ID: -1}
	if len(revs) != 2 {
		t.Fatalf("reviewers = %v", revs)
	}
	for _, r := range revs {
		m := r.(map[string]any)
		if m["marks"] != 5.0 || m["mean_difference"] != want[m["user_id"].(string)] || m["name"] == "" {
			t.Fatalf("reviewer line %v, want marks 5 and mean_difference %v", m, want[m["user_id"].(string)])
		}
	}
	// Another organization sees nothing of it.
	other := a.signup("Other Org", "admin@other.test")
	if r := a.do("GET", "/api/v1/reviews/agreement?exam_id="+s.exam.ID, nil, other.AccessToken); r.Status != 404 {
		t.Fatalf("another organization's agreement: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/reviews/agreement", nil, s.admin.AccessToken); r.Status != 400 {
		t.Fatalf("agreement without exam_id: %d", r.Status)
	}
	_ = first
}

// TestDoubleMarkingConcurrentReviewers races 8 reviewers over 500
// double-marked essays (10 candidates × 50 essays) through the router:
// no reviewer marks both copies of an essay, no item is marked twice, and
// every essay ends with exactly one final score (moderated by the admin
// where the marks lay beyond tolerance).
func TestDoubleMarkingConcurrentReviewers(t *testing.T) {
	if testing.Short() {
		t.Skip("500 essays")
	}
	s := newDMSetup(t, dmExam("Race", 50, 10, 2, 2), 10, 8)
	a := s.a
	var mu sync.Mutex
	scoredBy := map[string]int{}  // item → reviewer
	essayBy := map[string][]int{} // essay (text) → reviewers
	var wg sync.WaitGroup
	for i, rv := range s.reviewers {
		wg.Add(1)
		go func(i int, tok string) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(i)))
			for n := 0; n < 2000; n++ {
				r := a.do("POST", "/api/v1/reviews/claim", map[string]any{"exam_id": s.exam.ID}, tok)
				if r.Status == 204 {
					return
				}
				var c grClaim
				if r.Status != 200 || json.Unmarshal(r.Body, &c) != nil {
					t.Errorf("reviewer %d claim: %d %s", i, r.Status, r.Body)
					return
				}
				pts := float64(rng.Intn(21)) / 2
				if sr := a.do("POST", "/api/v1/reviews/"+c.ID+"/score", map[string]any{"points": pts}, tok); sr.Status != 200 {
					t.Errorf("reviewer %d score: %d %s", i, sr.Status, sr.Body)
					return
				}
				mu.Lock()
				if prev, dup := scoredBy[c.ID]; dup {
					t.Errorf("item %s scored by %d and %d", c.ID, prev, i)
				}
				scoredBy[c.ID] = i
				key := c.Question.Prompt + "|" + c.Response.Text
				for _, o := range essayBy[key] {
					if o == i {
						t.Errorf("reviewer %d marked both copies of %q", i, key)
					}
				}
				essayBy[key] = append(essayBy[key], i)
				mu.Unlock()
			}
		}(i, rv.AccessToken)
	}
	wg.Wait()
	if len(scoredBy) != 1000 || len(essayBy) != 500 {
		t.Fatalf("marked %d items of %d essays, want 1000 of 500", len(scoredBy), len(essayBy))
	}
	for {
		c, st := a.grClaimItem(s.admin.AccessToken, map[string]any{"moderation": true})
		if st == 204 {
			break
		}
		s.score(s.admin.AccessToken, c.ID, map[string]any{"points": 5})
	}
	var bad int64
	if err := a.db.Raw(`SELECT count(*) FROM (SELECT attempt_id, question_id FROM review_items
		WHERE exam_id = ? GROUP BY attempt_id, question_id
		HAVING count(*) FILTER (WHERE slot = 3 AND scored_at IS NOT NULL) <> 1 OR count(*) FILTER (WHERE slot IN (1, 2) AND scored_at IS NOT NULL) <> 2) x`,
		s.exam.ID).Scan(&bad).Error; err != nil || bad != 0 {
		t.Fatalf("%d essays without exactly one final score and two marks (%v)", bad, err)
	}
	for i := range s.cands {
		if at := s.attempt(i); at["status"] != "graded" {
			t.Fatalf("attempt %d is %v", i, at["status"])
		}
	}
}
