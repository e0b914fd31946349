package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"examd/audit"
)

// auditActions lists the changes recorded about target after its
// creation, oldest first (invitation.created is checked in audit_test.go).
func (a *app) auditActions(orgID, target string) []audit.Entry {
	a.t.Helper()
	es, err := audit.ForTarget(a.db, orgID, target)
	if err != nil {
		a.t.Fatal(err)
	}
	out := es[:0]
	for _, e := range es {
		if e.Action != audit.InvitationCreated {
			out = append(out, e)
		}
	}
	return out
}

func TestNewLinkReplacesTheOldToken(t *testing.T) {
	a := parallelApp(t)
	s, rec, rev := a.team("Acme", "acme.test")
	other := a.signup("Other", "link@other.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 0))
	c := a.candidate(s.AccessToken, id, "manager")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token)

	var l struct{ ID, Token, Link string }
	a.must(200, "POST", "/api/v1/invitations/"+c.invitationID+"/link", nil, rec.AccessToken).Decode(t, &l)
	if l.ID != c.invitationID || l.Token == "" || l.Token == c.inviteToken || l.Link != "http://exams.test/take/"+l.Token {
		t.Fatalf("new link: %+v", l)
	}
	// The old link is dead at once; the new one opens the same attempt.
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": c.inviteToken}, ""); r.Status != 401 || r.Code() != "invalid_invitation" {
		t.Fatalf("old token: %d %s", r.Status, r.Body)
	}
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": l.Token}, "").JSON()
	inv := ses["invitation"].(map[string]any)
	if inv["id"] != c.invitationID || inv["status"] != "in_progress" {
		t.Fatalf("session with the new token: %v", ses)
	}
	// An empty JSON object is a body-less POST too; anything else is 400.
	a.must(200, "POST", "/api/v1/invitations/"+c.invitationID+"/link", "{}", s.AccessToken)
	a.must(400, "POST", "/api/v1/invitations/"+c.invitationID+"/link", `{"token": "mine"}`, s.AccessToken)
	a.must(403, "POST", "/api/v1/invitations/"+c.invitationID+"/link", nil, rev.AccessToken)
	a.must(404, "POST", "/api/v1/invitations/"+c.invitationID+"/link", nil, other.AccessToken)
	a.must(404, "POST", "/api/v1/invitations/not-a-uuid/link", nil, s.AccessToken)

	// A revoked invitation gets no new link.
	c2 := a.candidate(s.AccessToken, id, "supervisor")
	a.must(204, "DELETE", "/api/v1/invitations/"+c2.invitationID, nil, s.AccessToken)
	if r := a.do("POST", "/api/v1/invitations/"+c2.invitationID+"/link", nil, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Fatalf("link for a revoked invitation: %d %s", r.Status, r.Body)
	}

	es := a.auditActions(s.User.Organization.ID, "invitation:"+c.invitationID)
	if len(es) != 2 || es[0].Action != "invitation.link_issued" || es[0].Name != "recruiter rec@acme.test" || es[0].Role != "recruiter" {
		t.Fatalf("audit: %+v", es)
	}
	for _, e := range es {
		if strings.Contains(string(e.Details), l.Token) {
			t.Fatalf("the audit log holds a token: %s", e.Details)
		}
	}
}

func TestPatchInvitationMovesARunningDeadlineOnEveryServer(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	s, id, c, att := a.startedAttempt("patch@acme.test", smallExam(2, 0), "manager")
	// Server a has the attempt cached from the start and from a read.
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token)

	var inv struct {
		ExtraTimeSeconds int        `json:"extra_time_seconds"`
		Deadline         *time.Time `json:"deadline"`
		Status           string     `json:"status"`
	}
	b.must(200, "PATCH", "/api/v1/invitations/"+c.invitationID, map[string]any{"extra_time_seconds": 600}, s.AccessToken).Decode(t, &inv)
	want := att.StartedAt.Add(602 * time.Second)
	if inv.ExtraTimeSeconds != 600 || inv.Deadline == nil || !inv.Deadline.Equal(want) || inv.Status != "in_progress" {
		t.Fatalf("patched invitation: %+v, want deadline %v", inv, want)
	}
	var again attemptResp
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &again)
	if !again.Deadline.Equal(want) {
		t.Fatalf("server a still shows deadline %v, want %v", again.Deadline, want)
	}
	// Past the original two seconds a save still lands, on either server.
	time.Sleep(2500 * time.Millisecond)
	tf := att.question("true_false")["id"].(string)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": false}, "seq": 1}, c.token)
	if n, err := a.sweep(); err != nil || n != 0 {
		t.Fatalf("the sweeper submitted an extended attempt: %d %v", n, err)
	}

	// closes_at caps the deadline of the running attempt too.
	closes := time.Now().Add(-time.Second).UTC().Truncate(time.Second)
	a.must(200, "PATCH", "/api/v1/invitations/"+c.invitationID, map[string]any{"closes_at": closes.Format(time.RFC3339)}, s.AccessToken).Decode(t, &inv)
	if !inv.Deadline.Equal(closes) {
		t.Fatalf("deadline after closes_at: %v, want %v", inv.Deadline, closes)
	}
	if r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": true}, "seq": 2}, c.token); r.Code() != "deadline_passed" {
		t.Fatalf("save after the window closed: %d %s", r.Status, r.Body)
	}

	// Bad input is refused and changes nothing.
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"extra_time_seconds": -1}`, 422},
		{`{"extra_time_seconds": 1.5}`, 422},
		{`{"extra_time_seconds": 604801}`, 422},
		{`{}`, 422},
		{`{"closes_at": "tomorrow"}`, 422},
		{`{"extra_time_seconds": "60"}`, 400},
		{`{"extra": 60}`, 400},
	} {
		if r := a.do("PATCH", "/api/v1/invitations/"+c.invitationID, tc.body, s.AccessToken); r.Status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.body, r.Status, r.Body, tc.status)
		}
	}
	es := a.auditActions(s.User.Organization.ID, "invitation:"+c.invitationID)
	if len(es) != 2 || es[0].Action != "invitation.changed" {
		t.Fatalf("audit: %+v", es)
	}
	var det struct {
		Before          map[string]any `json:"before"`
		After           map[string]any `json:"after"`
		AttemptDeadline map[string]any `json:"attempt_deadline"`
	}
	if err := json.Unmarshal(es[0].Details, &det); err != nil || det.Before["extra_time_seconds"] != 0.0 || det.After["extra_time_seconds"] != 600.0 || det.AttemptDeadline == nil {
		t.Fatalf("audit details: %s", es[0].Details)
	}

	// Extra time given before the start counts from the start.
	c2 := a.candidate(s.AccessToken, id, "supervisor")
	a.must(200, "PATCH", "/api/v1/invitations/"+c2.invitationID, map[string]any{"extra_time_seconds": 30}, s.AccessToken)
	att2 := a.startAttempt(c2)
	if d := att2.Deadline.Sub(att2.StartedAt); d != 32*time.Second {
		t.Fatalf("deadline - start with 30 s extra = %v", d)
	}
	other := a.signup("Other", "patch@other.test")
	a.must(404, "PATCH", "/api/v1/invitations/"+c2.invitationID, map[string]any{"extra_time_seconds": 30}, other.AccessToken)
	c3 := a.candidate(s.AccessToken, id, "manager")
	a.must(204, "DELETE", "/api/v1/invitations/"+c3.invitationID, nil, s.AccessToken)
	if r := a.do("PATCH", "/api/v1/invitations/"+c3.invitationID, map[string]any{"extra_time_seconds": 30}, s.AccessToken); r.Status != 409 {
		t.Fatalf("patch of a revoked invitation: %d %s", r.Status, r.Body)
	}
}

func TestReopenATimedOutAttempt(t *testing.T) {
	a := parallelApp(t)
	s, rec, rev := a.team("Acme", "reopen.test")
	id := a.publishedExam(s.AccessToken, smallExam(2, 0))
	c := a.candidate(s.AccessToken, id, "manager")
	att := a.startAttempt(c)
	tf := att.question("true_false")["id"].(string)
	essay := att.question("essay")["id"].(string)
	save := func(q string, resp any, seq int) *resp {
		return a.do("PUT", "/api/v1/candidate/attempt/answers/"+q, map[string]any{"response": resp, "seq": seq}, c.token)
	}
	if r := save(tf, map[string]bool{"value": true}, 1); r.Status != 200 { // wrong: the key is false
		t.Fatal(r.Status, string(r.Body))
	}
	if r := save(essay, map[string]string{"text": "服务与培训"}, 1); r.Status != 200 {
		t.Fatal(r.Status, string(r.Body))
	}
	time.Sleep(2500 * time.Millisecond)
	if n, err := a.sweep(); err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	// The reviewer scores the essay before the reopen.
	item := a.must(200, "POST", "/api/v1/reviews/claim", nil, rev.AccessToken).JSON()
	a.must(200, "POST", "/api/v1/reviews/"+item["id"].(string)+"/score", map[string]any{"points": 6, "comment": "ok"}, rev.AccessToken)

	var before struct {
		Status      string   `json:"status"`
		SubmittedBy string   `json:"submitted_by"`
		AutoScore   *float64 `json:"auto_score"`
		Score       *float64 `json:"score"`
	}
	a.must(200, "GET", "/api/v1/attempts/"+att.ID, nil, s.AccessToken).Decode(t, &before)
	if before.Status != "graded" || before.SubmittedBy != "timeout" || *before.AutoScore != 0 || *before.Score != 6 {
		t.Fatalf("before the reopen: %+v", before)
	}

	path := "/api/v1/attempts/" + att.ID + "/reopen"
	a.must(403, "POST", path, map[string]any{"extra_seconds": 300, "reason": "power cut"}, rec.AccessToken)
	for _, body := range []string{`{"extra_seconds": 0, "reason": "x"}`, `{"extra_seconds": 60, "reason": "  "}`, `{"reason": "x"}`, `{"extra_seconds": 60}`} {
		if r := a.do("POST", path, body, s.AccessToken); r.Status != 422 {
			t.Errorf("%s: %d %s", body, r.Status, r.Body)
		}
	}
	a.must(400, "POST", path, `{"extra_seconds": 60, "reason": "x", "why": 1}`, s.AccessToken)

	var re struct {
		Status      string    `json:"status"`
		Deadline    time.Time `json:"deadline"`
		SubmittedAt *string   `json:"submitted_at"`
		Score       *float64  `json:"score"`
		Questions   []struct {
			QuestionID string          `json:"question_id"`
			Response   json.RawMessage `json:"response"`
		} `json:"questions"`
	}
	a.must(200, "POST", path, map[string]any{"extra_seconds": 300, "reason": "停电 power cut"}, s.AccessToken).Decode(t, &re)
	if re.Status != "in_progress" || re.SubmittedAt != nil || re.Score != nil || time.Until(re.Deadline) < 290*time.Second || time.Until(re.Deadline) > 310*time.Second {
		t.Fatalf("reopened: %+v", re)
	}
	kept := false
	for _, q := range re.Questions {
		kept = kept || (q.QuestionID == tf && strings.Contains(string(q.Response), "true"))
	}
	if !kept {
		t.Fatalf("saved answers lost: %+v", re.Questions)
	}
	if r := a.do("POST", path, map[string]any{"extra_seconds": 300, "reason": "again"}, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Fatalf("reopen of an attempt in progress: %d %s", r.Status, r.Body)
	}
	// The candidate's page sees the new deadline and saves again; the essay
	// is left as the reviewer scored it.
	var cur attemptResp
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &cur)
	if cur.Status != "in_progress" || !cur.Deadline.Equal(re.Deadline) {
		t.Fatalf("candidate after reopen: %s %v, want %v", cur.Status, cur.Deadline, re.Deadline)
	}
	if r := save(tf, map[string]bool{"value": false}, 2); r.Status != 200 {
		t.Fatal(r.Status, string(r.Body))
	}
	sub := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token).JSON()
	if sub["status"] != "submitted" {
		t.Fatalf("submit: %v", sub)
	}
	var after struct {
		Status      string  `json:"status"`
		SubmittedBy string  `json:"submitted_by"`
		AutoScore   float64 `json:"auto_score"`
		ManualScore float64 `json:"manual_score"`
		Score       float64 `json:"score"`
		Passed      *bool   `json:"passed"`
	}
	a.must(200, "GET", "/api/v1/attempts/"+att.ID, nil, s.AccessToken).Decode(t, &after)
	if after.Status != "graded" || after.SubmittedBy != "candidate" || after.AutoScore != 1 || after.ManualScore != 6 || after.Score != 7 || after.Passed == nil || !*after.Passed {
		t.Fatalf("after the second submission: %+v", after)
	}
	var items int64
	a.db.Raw(`SELECT count(*) FROM review_items WHERE attempt_id = ?`, att.ID).Scan(&items)
	if items != 1 {
		t.Fatalf("%d review items, want the one scored", items)
	}
	// Submitted by the candidate now: no second reopen.
	if r := a.do("POST", path, map[string]any{"extra_seconds": 300, "reason": "again"}, s.AccessToken); r.Status != 409 {
		t.Fatalf("reopen of a candidate's submission: %d %s", r.Status, r.Body)
	}
	es := a.auditActions(s.User.Organization.ID, "attempt:"+att.ID)
	if len(es) != 1 || es[0].Action != "attempt.reopened" || !strings.Contains(string(es[0].Details), "停电 power cut") {
		t.Fatalf("audit: %+v", es)
	}
}

func TestReopenRequeuesAnEssayChangedSince(t *testing.T) {
	a := parallelApp(t)
	s, _, c, att := a.startedAttempt("requeue@acme.test", smallExam(2, 0), "manager")
	essay := att.question("essay")["id"].(string)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+essay, map[string]any{"response": map[string]string{"text": "first"}, "seq": 1}, c.token)
	time.Sleep(2500 * time.Millisecond)
	if n, err := a.sweep(); err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	item := a.must(200, "POST", "/api/v1/reviews/claim", nil, s.AccessToken).JSON()
	a.must(200, "POST", "/api/v1/reviews/"+item["id"].(string)+"/score", map[string]any{"points": 4, "comment": ""}, s.AccessToken)
	a.must(200, "POST", "/api/v1/attempts/"+att.ID+"/reopen", map[string]any{"extra_seconds": 120, "reason": "network"}, s.AccessToken)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+essay, map[string]any{"response": map[string]string{"text": "second, longer"}, "seq": 2}, c.token)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)
	var after struct {
		Status string   `json:"status"`
		Score  *float64 `json:"score"`
	}
	a.must(200, "GET", "/api/v1/attempts/"+att.ID, nil, s.AccessToken).Decode(t, &after)
	if after.Status != "grading" {
		t.Fatalf("a changed essay must be reviewed again: %+v", after)
	}
	var rows []struct {
		Scored bool
	}
	a.db.Raw(`SELECT scored_at IS NOT NULL AS scored FROM review_items WHERE attempt_id = ?`, att.ID).Scan(&rows)
	if len(rows) != 1 || rows[0].Scored {
		t.Fatalf("review items: %+v", rows)
	}
	claimed := a.must(200, "POST", "/api/v1/reviews/claim", nil, s.AccessToken).JSON()
	if claimed["response"].(map[string]any)["text"] != "second, longer" {
		t.Fatalf("the reviewer sees %v", claimed["response"])
	}
}
