package api

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"examd/exam"
)

type cand struct {
	invitationID string
	inviteToken  string
	token        string
}

// candidate invites someone to a published exam and opens their session.
func (a *app) candidate(staffToken, examID, track string) cand {
	a.t.Helper()
	body := map[string]any{"candidate_name": "候选人 " + track, "candidate_email": "c-" + track + "@cand.test"}
	if track != "" {
		body["track"] = track
	}
	inv := a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations", body, staffToken).JSON()
	if inv["status"] != "pending" || !strings.HasSuffix(inv["link"].(string), "/take/"+inv["token"].(string)) {
		a.t.Fatalf("invitation: %v", inv)
	}
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
	return cand{invitationID: inv["id"].(string), inviteToken: inv["token"].(string), token: ses["access_token"].(string)}
}

// startedAttempt is the setup many candidate tests share: an organization
// signs up with email, publishes doc and invites a candidate on track, who
// starts the attempt. It returns the admin's session, the exam's id, the
// candidate and the started attempt.
func (a *app) startedAttempt(email string, doc any, track string) (session, string, cand, attemptResp) {
	a.t.Helper()
	s, id, c := a.invitedCandidate(email, doc, track)
	return s, id, c, a.startAttempt(c)
}

// invitedCandidate is startedAttempt up to the invitation: the candidate
// has a session and has not started.
func (a *app) invitedCandidate(email string, doc any, track string) (session, string, cand) {
	a.t.Helper()
	s := a.signup("Acme", email)
	id := a.publishedExam(s.AccessToken, doc)
	return s, id, a.candidate(s.AccessToken, id, track)
}

// startAttempt starts c's attempt (201) and returns it as the candidate
// sees it.
func (a *app) startAttempt(c cand) attemptResp {
	a.t.Helper()
	var att attemptResp
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token).Decode(a.t, &att)
	return att
}

// publishedExam creates and publishes doc and returns its id.
func (a *app) publishedExam(token string, doc any) string {
	a.t.Helper()
	e := a.draftExam(token, doc)
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, token)
	return e.ID
}

// draftExam creates doc (201), a draft, and returns it as the API shows it.
func (a *app) draftExam(token string, doc any) examResp {
	a.t.Helper()
	var e examResp
	a.must(201, "POST", "/api/v1/exams", doc, token).Decode(a.t, &e)
	return e
}

// attemptResp is the attempt as the API shows it (exam.Attempt), with its
// sections and responses parsed as the candidate's page reads them. For
// decoding only: encoding one would take exam.Attempt's MarshalJSON.
type attemptResp struct {
	exam.Attempt
	Sections []struct {
		ID        string           `json:"id"`
		Questions []map[string]any `json:"questions"`
	} `json:"sections"`
	Responses map[string]struct {
		Response json.RawMessage `json:"response"`
		Seq      int64           `json:"seq"`
	} `json:"responses"`
}

func (r attemptResp) question(typ string) map[string]any {
	for _, s := range r.Sections {
		for _, q := range s.Questions {
			if q["type"] == typ {
				return q
			}
		}
	}
	return nil
}

// canaryExam has keys, accepted answers, reference answers and rubric text
// that are unusual strings, so any leak is found by a plain search.
func canaryExam() map[string]any {
	return map[string]any{
		"title": "Canary", "time_limit_seconds": 600, "pass_score": 1, "shuffle_options": true, "shuffle_questions": true,
		"show_score_to_candidate": true,
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "fill_in", "prompt": "blank {{1}}", "blanks": []any{map[string]any{"accepted": []string{"CANARYACCEPTED1"}, "points": 1}}},
			map[string]any{"type": "single_choice", "prompt": "pick", "options": []any{
				map[string]any{"key": "CANARYKEYA", "text": "x"}, map[string]any{"key": "zz", "text": "y"}}, "answer": "CANARYKEYA", "points": 1},
			map[string]any{"type": "multiple_choice", "prompt": "many", "options": []any{
				map[string]any{"key": "CANARYKEYM", "text": "x"}, map[string]any{"key": "yy", "text": "y"}, map[string]any{"key": "ww", "text": "w"}},
				"answers": []string{"CANARYKEYM"}, "scoring": map[string]any{"per_correct": 1, "per_wrong": 0.5, "floor": 0}},
			map[string]any{"type": "true_false", "prompt": "tf", "answer": true, "points": 1},
			map[string]any{"type": "essay", "prompt": "essay", "points": 2, "reference_answer": "CANARYREFERENCE",
				"rubric": []any{map[string]any{"criterion": "CANARYRUBRIC", "points": 1}}},
		}}},
	}
}

func TestNoKeyReachesTheCandidate(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "leak@acme.test")
	id := a.publishedExam(s.AccessToken, canaryExam())
	inv := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]string{"candidate_name": "C", "candidate_email": "c@c.test"}, s.AccessToken).JSON()
	var bodies [][]byte
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "")
	bodies = append(bodies, ses.Body)
	tok := ses.JSON()["access_token"].(string)
	start := a.must(201, "POST", "/api/v1/candidate/attempt", nil, tok)
	bodies = append(bodies, start.Body)
	var att attemptResp
	start.Decode(t, &att)
	if mc := att.question("multiple_choice"); mc["points"] != nil || mc["per_wrong"].(float64) != 0.5 {
		t.Fatalf("multiple choice view: %v", mc)
	}
	seq := int64(0)
	for _, sec := range att.Sections {
		for _, qq := range sec.Questions {
			seq++
			var resp any
			switch qq["type"] {
			case "fill_in":
				resp = map[string]any{"blanks": []string{"CANARYACCEPTED1"}}
			case "single_choice":
				resp = map[string]any{"choice": "zz"}
			case "multiple_choice":
				resp = map[string]any{"choices": []string{"yy"}}
			case "true_false":
				resp = map[string]any{"value": false}
			case "essay":
				resp = map[string]any{"text": "my essay"}
			}
			bodies = append(bodies, a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qq["id"].(string), map[string]any{"response": resp, "seq": seq}, tok).Body)
		}
	}
	bodies = append(bodies, a.must(200, "GET", "/api/v1/candidate/attempt", nil, tok).Body)
	bodies = append(bodies, a.must(200, "POST", "/api/v1/candidate/attempt", nil, tok).Body)
	bodies = append(bodies, a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, tok).Body)
	bodies = append(bodies, a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, tok).Body)
	bodies = append(bodies, a.must(200, "GET", "/api/v1/candidate/attempt", nil, tok).Body)
	bodies = append(bodies, a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").Body)
	forbidden := []string{`"answer"`, `"answers"`, `"accepted"`, `"correct"`, `"reference_answer"`, `"rubric"`, `"scoring"`,
		"CANARYREFERENCE", "CANARYRUBRIC"}
	for i, b := range bodies {
		for _, f := range forbidden {
			if strings.Contains(string(b), f) {
				t.Errorf("response %d contains %s: %s", i, f, truncate(b))
			}
		}
	}
	// The key values themselves: the single-choice key is also an option key
	// (it must be shown), so check the canaries that are key-only.
	for i, b := range bodies {
		s := string(b)
		// The candidate typed CANARYACCEPTED1 into the blank, so it may be
		// echoed as their own response; it must never appear anywhere else.
		s = strings.ReplaceAll(s, `"blanks":["CANARYACCEPTED1"]`, "")
		if strings.Contains(s, "CANARYACCEPTED1") {
			t.Errorf("response %d shows an accepted answer: %s", i, truncate(b))
		}
	}
}

func TestStartIsIdempotentUnderConcurrency(t *testing.T) {
	a := parallelApp(t)
	_, _, c := a.invitedCandidate("conc@acme.test", smallExam(600, 30), "manager")
	var wg sync.WaitGroup
	ids := make([]string, 20)
	codes := make([]int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := a.do("POST", "/api/v1/candidate/attempt", nil, c.token)
			codes[i] = r.Status
			ids[i], _ = r.JSON()["id"].(string)
		}(i)
	}
	wg.Wait()
	created := 0
	for i := range ids {
		if ids[i] == "" || ids[i] != ids[0] {
			t.Fatalf("start %d: %d %q vs %q", i, codes[i], ids[i], ids[0])
		}
		if codes[i] == 201 {
			created++
		}
	}
	var n int64
	a.db.Raw("SELECT count(*) FROM attempts").Scan(&n)
	if n != 1 || created != 1 {
		t.Fatalf("%d attempts, %d answered 201", n, created)
	}
}

func TestConcurrentSavesKeepTheHighestSeq(t *testing.T) {
	a := parallelApp(t)
	_, _, c, att := a.startedAttempt("seq@acme.test", smallExam(600, 30), "manager")
	essay := att.question("essay")["id"].(string)
	seqs := rand.Perm(50)
	var wg sync.WaitGroup
	for _, sq := range seqs {
		wg.Add(1)
		go func(sq int) {
			defer wg.Done()
			r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+essay, map[string]any{"response": map[string]string{"text": fmt.Sprintf("version %d", sq+1)}, "seq": sq + 1}, c.token)
			if r.Status != 200 {
				t.Errorf("save %d: %d %s", sq+1, r.Status, r.Body)
			}
		}(sq)
	}
	wg.Wait()
	var row struct {
		Response string
		Seq      int64
	}
	a.db.Raw("SELECT response::text AS response, seq FROM answers WHERE question_id = ?", essay).Scan(&row)
	if row.Seq != 50 || !strings.Contains(row.Response, "version 50") {
		t.Fatalf("stored %+v", row)
	}
	// A stale save changes nothing and reports the stored seq.
	r := a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+essay, map[string]any{"response": map[string]string{"text": "old"}, "seq": 3}, c.token).JSON()
	if r["seq"].(float64) != 50 {
		t.Fatalf("stale save answered %v", r)
	}
	a.db.Raw("SELECT response::text AS response, seq FROM answers WHERE question_id = ?", essay).Scan(&row)
	if !strings.Contains(row.Response, "version 50") {
		t.Fatal("stale save overwrote")
	}
}

func TestSaveRejectsBadResponses(t *testing.T) {
	a := parallelApp(t)
	_, _, c, att := a.startedAttempt("bad@acme.test", smallExam(600, 30), "supervisor")
	mc := att.question("multiple_choice")["id"].(string)
	put := func(body string) *resp {
		return a.do("PUT", "/api/v1/candidate/attempt/answers/"+mc, body, c.token)
	}
	cases := []struct {
		body   string
		status int
	}{
		{`{"response": {"choices": ["a", "h"]}, "seq": 1}`, 422},
		{`{"response": {"choice": "a"}, "seq": 1}`, 422},
		{`{"response": {"choices": "a"}, "seq": 1}`, 422},
		{`{"response": {"choices": ["a"]}, "seq": 0}`, 422},
		{`{"response": {"choices": ["a"]}, "seq": 1.5}`, 422},
		{`{"response": {"choices": ["a"]}, "seq": "1"}`, 400},
		{`{"response": {"choices": ["a"]}, "seq": 1, "extra": 1}`, 400},
		{`{"response": {"choices": ["a"]}`, 400},
	}
	for _, tc := range cases {
		if r := put(tc.body); r.Status != tc.status {
			t.Errorf("%s: %d %s", tc.body, r.Status, r.Body)
		}
	}
	var n int64
	a.db.Raw("SELECT count(*) FROM answers").Scan(&n)
	if n != 0 {
		t.Fatalf("bad saves stored %d rows", n)
	}
	if r := put(`{"response": {"choices": []}, "seq": 1}`); r.Status != 200 {
		t.Fatalf("empty choices: %d %s", r.Status, r.Body)
	}
	// A manager-only question is not the supervisor's to answer.
	manager := ""
	a.db.Raw(`SELECT q->>'id' FROM exam_versions, jsonb_array_elements(document->'sections') s, jsonb_array_elements(s->'questions') q
		WHERE q->'tracks' ? 'manager'`).Scan(&manager)
	if r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+manager, `{"response": {"text": "x"}, "seq": 1}`, c.token); r.Status != 404 {
		t.Fatalf("other track's question: %d", r.Status)
	}
}

// With a 2 s limit and no grace, a save at 3 s is refused and changes
// nothing, and the sweeper (run here as examd serve runs it) submits the
// attempt as a timeout.
func TestDeadlineRefusesLateSaves(t *testing.T) {
	a := parallelApp(t)
	_, _, c, att := a.startedAttempt("late@acme.test", smallExam(2, 0), "manager")
	if d := att.Deadline.Sub(att.StartedAt); d != 2*time.Second {
		t.Fatalf("deadline - start = %v", d)
	}
	tf := att.question("true_false")["id"].(string)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": false}, "seq": 1}, c.token)
	time.Sleep(3 * time.Second)
	r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": true}, "seq": 2}, c.token)
	if r.Status != 409 || r.Code() != "deadline_passed" {
		t.Fatalf("late save: %d %s", r.Status, r.Body)
	}
	var row struct {
		Seq      int64
		Response string
	}
	a.db.Raw("SELECT seq, response::text AS response FROM answers").Scan(&row)
	if row.Seq != 1 || !strings.Contains(row.Response, "false") {
		t.Fatalf("late save changed the answer: %+v", row)
	}
	n, err := a.sweep()
	if err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	var st struct {
		Status      string
		SubmittedBy string
	}
	a.db.Raw("SELECT status, submitted_by FROM attempts").Scan(&st)
	if st.SubmittedBy != "timeout" || (st.Status != "grading" && st.Status != "graded") {
		t.Fatalf("after sweep: %+v", st)
	}
	// Still 409 deadline_passed (not attempt_submitted) after the submit.
	r = a.do("PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": true}, "seq": 3}, c.token)
	if r.Code() != "deadline_passed" {
		t.Fatalf("save after timeout: %s", r.Body)
	}
	// The candidate's own submit now answers the same, idempotently.
	sub := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token).JSON()
	if sub["status"] != "submitted" {
		t.Fatalf("submit after timeout: %v", sub)
	}
}

func TestSubmitThenSaveAndIdempotentSubmit(t *testing.T) {
	a := parallelApp(t)
	_, _, c, att := a.startedAttempt("sub@acme.test", smallExam(600, 30), "supervisor")
	tf := att.question("true_false")["id"].(string)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": false}, "seq": 1}, c.token)
	first := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token).JSON()
	second := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token).JSON()
	if first["submitted_at"] != second["submitted_at"] || first["status"] != "submitted" {
		t.Fatalf("submit not idempotent: %v / %v", first, second)
	}
	r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]bool{"value": true}, "seq": 2}, c.token)
	if r.Status != 409 || r.Code() != "attempt_submitted" {
		t.Fatalf("save after submit: %d %s", r.Status, r.Body)
	}
	var by string
	a.db.Raw("SELECT submitted_by FROM attempts").Scan(&by)
	if by != "candidate" {
		t.Fatalf("submitted_by %q", by)
	}
	// Events are accepted only of the known types.
	a.must(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "blur", "at": time.Now().UTC()}, c.token)
	a.must(422, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "teleport", "at": time.Now().UTC()}, c.token)
	var ev struct {
		Type          string
		ClientAddress string
	}
	a.db.Raw("SELECT type, client_address FROM attempt_events").Scan(&ev)
	if ev.Type != "blur" || ev.ClientAddress != "192.0.2.10" {
		t.Fatalf("event: %+v", ev)
	}
}

func TestCandidateIsolation(t *testing.T) {
	a := parallelApp(t)
	s, id, c1 := a.invitedCandidate("iso@a.test", smallExam(600, 30), "manager")
	c2 := a.candidate(s.AccessToken, id, "supervisor")
	// A candidate token on staff routes: 401 (wrong audience).
	for _, p := range []string{"/api/v1/me", "/api/v1/exams", "/api/v1/exams/" + id + "/invitations", "/api/v1/reviews/stats"} {
		if r := a.do("GET", p, nil, c1.token); r.Status != 401 && r.Status != 403 {
			t.Errorf("candidate on %s: %d", p, r.Status)
		}
	}
	// A staff token on candidate routes: 401.
	if r := a.do("GET", "/api/v1/candidate/attempt", nil, s.AccessToken); r.Status != 401 {
		t.Errorf("staff on candidate route: %d", r.Status)
	}
	att1 := a.startAttempt(c1)
	// c2 has not started: it cannot see c1's attempt, and saving c1's
	// question through c2's token finds nothing.
	if r := a.do("GET", "/api/v1/candidate/attempt", nil, c2.token); r.Status != 404 {
		t.Errorf("c2 reads an attempt: %d %s", r.Status, r.Body)
	}
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c2.token)
	essay1 := att1.question("essay")["id"].(string) // manager-only essay
	if r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+essay1, map[string]any{"response": map[string]string{"text": "x"}, "seq": 1}, c2.token); r.Status != 404 {
		t.Errorf("c2 saves into c1's question: %d", r.Status)
	}
	// Organization B cannot list or revoke A's invitations.
	b := a.signup("B", "iso@b.test")
	if r := a.do("GET", "/api/v1/exams/"+id+"/invitations", nil, b.AccessToken); r.Status != 404 {
		t.Errorf("B lists A's invitations: %d", r.Status)
	}
	if r := a.do("DELETE", "/api/v1/invitations/"+c1.invitationID, nil, b.AccessToken); r.Status != 404 {
		t.Errorf("B revokes A's invitation: %d", r.Status)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).Decode(t, &list)
	if len(list.Items) != 2 || list.Items[0]["status"] != "in_progress" {
		t.Fatalf("A's invitations: %v", list.Items)
	}
	for _, it := range list.Items {
		if _, ok := it["token"]; ok {
			t.Fatal("listing shows a token")
		}
	}
}

func TestInvitationsRules(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("A", "inv@a.test")
	e := a.draftExam(s.AccessToken, smallExam(600, 30))
	r := a.do("POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]string{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager"}, s.AccessToken)
	if r.Status != 409 || r.Code() != "exam_not_published" {
		t.Fatalf("unpublished: %d %s", r.Status, r.Body)
	}
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, s.AccessToken)
	r = a.do("POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]string{"candidate_name": "", "candidate_email": "nope"}, s.AccessToken)
	if r.Status != 422 || len(r.JSON()["error"].(map[string]any)["details"].([]any)) != 3 {
		t.Fatalf("invalid invitation: %d %s", r.Status, r.Body)
	}
	// A list is all or none, with per-item paths.
	r = a.do("POST", "/api/v1/exams/"+e.ID+"/invitations", []map[string]string{
		{"candidate_name": "张三", "candidate_email": "z@c.test", "track": "manager"},
		{"candidate_name": "李四", "candidate_email": "l@c.test", "track": "ceo"}}, s.AccessToken)
	if r.Status != 422 || !strings.Contains(string(r.Body), `"[1].track"`) {
		t.Fatalf("list with a bad item: %d %s", r.Status, r.Body)
	}
	var created struct {
		Items []map[string]any `json:"items"`
	}
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", []map[string]string{
		{"candidate_name": "张三", "candidate_email": "z@c.test", "track": "manager"},
		{"candidate_name": "李四", "candidate_email": "l@c.test", "track": "supervisor"}}, s.AccessToken).Decode(t, &created)
	if len(created.Items) != 2 || created.Items[0]["exam_version"].(float64) != 1 {
		t.Fatalf("list: %v", created.Items)
	}
	// Revoke a pending one: its token stops working.
	a.must(204, "DELETE", "/api/v1/invitations/"+created.Items[0]["id"].(string), nil, s.AccessToken)
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": created.Items[0]["token"].(string)}, ""); r.Status != 401 || r.Code() != "invalid_invitation" {
		t.Fatalf("revoked token: %d %s", r.Status, r.Body)
	}
	// A started one cannot be revoked.
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": created.Items[1]["token"].(string)}, "").JSON()
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, ses["access_token"].(string))
	if r := a.do("DELETE", "/api/v1/invitations/"+created.Items[1]["id"].(string), nil, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Fatalf("revoke started: %d %s", r.Status, r.Body)
	}
	// Windows: not open yet, closed.
	future := time.Now().Add(time.Hour).UTC()
	past := time.Now().Add(-time.Hour).UTC()
	notYet := a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": "N", "candidate_email": "n@c.test", "track": "manager", "opens_at": future}, s.AccessToken).JSON()
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": notYet["token"].(string)}, ""); r.Status != 403 || r.Code() != "not_open" {
		t.Fatalf("not open: %d %s", r.Status, r.Body)
	}
	closed := a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": "N", "candidate_email": "n@c.test", "track": "manager", "opens_at": past.Add(-time.Hour), "closes_at": past}, s.AccessToken).JSON()
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": closed["token"].(string)}, ""); r.Status != 403 || r.Code() != "window_closed" {
		t.Fatalf("closed: %d %s", r.Status, r.Body)
	}
	// A window closing before the time limit caps the deadline.
	soon := time.Now().Add(90 * time.Second).UTC().Truncate(time.Second)
	capped := a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": "N", "candidate_email": "n@c.test", "track": "manager", "closes_at": soon}, s.AccessToken).JSON()
	ses = a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": capped["token"].(string)}, "").JSON()
	var att attemptResp
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, ses["access_token"].(string)).Decode(t, &att)
	if !att.Deadline.Equal(soon) {
		t.Fatalf("deadline %v, want closes_at %v", att.Deadline, soon)
	}
}

func TestInvitationTokenRateLimit(t *testing.T) {
	a := parallelApp(t)
	for i := 0; i < 30; i++ {
		r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": fmt.Sprintf("guess-%d", i)}, "", withHeader("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i)))
		if r.Status != 401 || r.Code() != "invalid_invitation" {
			t.Fatalf("guess %d: %d %s", i, r.Status, r.Body)
		}
	}
	r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": "guess-31"}, "")
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("31st guess: %d %s", r.Status, r.Body)
	}
}

// With shuffling on, each attempt draws its order once: every resume shows
// the same order, and different candidates get different orders.
func TestShuffleIsStablePerAttempt(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "shuffle@acme.test")
	opts := []any{}
	for _, k := range "abcdefghij" {
		opts = append(opts, map[string]any{"key": string(k), "text": "option " + string(k)})
	}
	qs := []any{}
	for i := 0; i < 10; i++ {
		qs = append(qs, map[string]any{"type": "single_choice", "prompt": fmt.Sprintf("Q%d", i), "options": opts, "answer": "a", "points": 1})
	}
	id := a.publishedExam(s.AccessToken, map[string]any{"title": "Shuffled", "time_limit_seconds": 600, "pass_score": 0,
		"shuffle_questions": true, "shuffle_options": true, "sections": []any{map[string]any{"title": "S", "questions": qs}}})
	order := func(r attemptResp) string {
		var b strings.Builder
		for _, q := range r.Sections[0].Questions {
			b.WriteString(q["prompt"].(string) + ":")
			for _, o := range q["options"].([]any) {
				b.WriteString(o.(map[string]any)["key"].(string))
			}
			b.WriteString(" ")
		}
		return b.String()
	}
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		c := a.candidate(s.AccessToken, id, "")
		var first, again, resumed attemptResp
		a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &first)
		a.must(200, "POST", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &again)
		// A fresh session (another tab, a reload) resumes the same order.
		ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": c.inviteToken}, "").JSON()
		a.must(200, "GET", "/api/v1/candidate/attempt", nil, ses["access_token"].(string)).Decode(t, &resumed)
		if order(first) != order(again) || order(first) != order(resumed) {
			t.Fatalf("order changed on resume:\n%s\n%s\n%s", order(first), order(again), order(resumed))
		}
		seen[order(first)] = true
	}
	if len(seen) < 2 {
		t.Fatal("three attempts drew the same order of 10 questions with 10 options each")
	}
	if strings.HasPrefix(func() string {
		for k := range seen {
			return k
		}
		return ""
	}(), "Q0:abcdefghij Q1:abcdefghij") {
		t.Fatal("not shuffled")
	}
}
