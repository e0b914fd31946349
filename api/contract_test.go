package api

import (
	"strings"
	"testing"
	"time"
)

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func wantKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: missing %q in %v", what, k, keysOf(m))
		}
	}
}

// TestContractSweep walks one exam through every v1 and v1.1 endpoint this
// package owns and checks the fields, statuses and error codes API.md names.
func TestContractSweep(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "probe@acme.test")
	wantKeys(t, "signup", a.do("POST", "/api/v1/signup", map[string]string{"organization": "B", "name": "n", "email": "p2@acme.test", "password": "correct horse battery"}, "").JSON(),
		"organization", "user", "access_token", "token_type", "expires_in", "refresh_token")
	me := a.must(200, "GET", "/api/v1/me", nil, s.AccessToken).JSON()
	wantKeys(t, "me", me, "id", "email", "name", "role", "organization")
	u := a.must(201, "POST", "/api/v1/users", map[string]string{"email": "r@acme.test", "name": "R", "password": "correct horse battery", "role": "recruiter"}, s.AccessToken).JSON()
	wantKeys(t, "user", u, "id", "email", "name", "role")
	lg := a.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": "probe@acme.test", "password": "correct horse battery"}, "").JSON()
	wantKeys(t, "login", lg, "access_token", "token_type", "expires_in", "refresh_token", "user")
	wantKeys(t, "login.user", lg["user"].(map[string]any), "id", "email", "name", "role", "organization")
	ex := a.must(201, "POST", "/api/v1/exams", smallExam(600, 30), s.AccessToken).JSON()
	id := ex["id"].(string)
	if ex["status"] != "draft" {
		t.Errorf("exam status %v", ex["status"])
	}
	g := a.must(200, "GET", "/api/v1/exams/"+id, nil, s.AccessToken).JSON()
	if g["latest_version"] != float64(0) {
		t.Errorf("latest_version %v", g["latest_version"])
	}
	// body on publish
	if r := a.do("POST", "/api/v1/exams/"+id+"/publish", `{"x":1}`, s.AccessToken); r.Status != 400 {
		t.Errorf("publish with unknown body field: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/exams/"+id+"/publish", `nope`, s.AccessToken); r.Status != 400 {
		t.Errorf("publish with bad json: %d %s", r.Status, r.Body)
	}
	p := a.must(201, "POST", "/api/v1/exams/"+id+"/publish", nil, s.AccessToken).JSON()
	wantKeys(t, "publish", p, "exam_id", "version", "published_at")
	v := a.must(200, "GET", "/api/v1/exams/"+id+"/versions/1", nil, s.AccessToken).JSON()
	wantKeys(t, "version", v, "exam_id", "version", "published_at", "exam", "amendments")
	if r := a.do("GET", "/api/v1/exams/"+id+"/versions/abc", nil, s.AccessToken); r.Status != 400 && r.Status != 404 {
		t.Errorf("versions/abc: %d", r.Status)
	}
	inv := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager"}, s.AccessToken).JSON()
	wantKeys(t, "invitation", inv, "id", "token", "link", "exam_version", "status")
	if r := a.do("POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test"}, s.AccessToken); r.Status != 422 {
		t.Errorf("invitation without track on tracked exam: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "not-an-email", "track": "manager"}, s.AccessToken); r.Status != 422 {
		t.Errorf("invitation bad email: %d %s", r.Status, r.Body)
	} else if ds := r.details(t); len(ds) == 0 || ds[0].Code != "invalid_email" {
		t.Errorf("invitation bad email details: %s", r.Body)
	}
	li := a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).JSON()
	wantKeys(t, "invitations", li, "items")
	if r := a.do("GET", "/api/v1/exams/"+id+"/invitations?limit=501", nil, s.AccessToken); r.Status != 400 {
		t.Errorf("invitations?limit=501: %d", r.Status)
	}
	// PATCH returns the invitation
	pi := a.must(200, "PATCH", "/api/v1/invitations/"+inv["id"].(string), map[string]any{"extra_time_seconds": 60}, s.AccessToken).JSON()
	wantKeys(t, "patched invitation", pi, "id", "status", "exam_version")

	if r := a.do("PATCH", "/api/v1/invitations/"+inv["id"].(string), map[string]any{"extra_time_seconds": -1}, s.AccessToken); r.Status != 422 {
		t.Errorf("patch -1: %d", r.Status)
	}
	ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
	wantKeys(t, "session", ses, "access_token", "expires_in", "invitation", "exam")
	wantKeys(t, "session.invitation", ses["invitation"].(map[string]any), "id", "candidate_name", "status")
	wantKeys(t, "session.exam", ses["exam"].(map[string]any), "title", "description", "time_limit_seconds", "question_count", "max_score")
	tok := ses["access_token"].(string)
	if r := a.do("POST", "/api/v1/candidate/attempt", `{"x":1}`, tok); r.Status != 400 {
		t.Errorf("start with body: %d", r.Status)
	}
	st := a.must(201, "POST", "/api/v1/candidate/attempt", nil, tok).JSON()
	wantKeys(t, "attempt", st, "id", "status", "started_at", "deadline", "server_time", "sections", "responses")
	a.must(200, "POST", "/api/v1/candidate/attempt", nil, tok)
	var att attemptResp
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, tok).Decode(t, &att)
	tf := att.question("true_false")
	wantKeys(t, "q", tf, "id", "type", "prompt", "points")
	fi := att.question("fill_in")
	wantKeys(t, "fill", fi, "blank_count")
	qid := tf["id"].(string)
	path := "/api/v1/candidate/attempt/answers/" + qid
	sv := a.must(200, "PUT", path, map[string]any{"response": map[string]any{"value": true}, "seq": 5}, tok).JSON()
	wantKeys(t, "save", sv, "question_id", "seq", "saved_at")
	if r := a.must(200, "PUT", path, map[string]any{"response": map[string]any{"value": false}, "seq": 3}, tok).JSON(); r["seq"] != float64(5) {
		t.Errorf("stale save: %v", r)
	}
	for _, b := range []string{`{"response":{"value":true},"seq":0}`, `{"response":{"value":true},"seq":1.5}`, `{"response":{"value":true},"seq":9007199254740992}`, `{"response":{"value":"x"},"seq":9}`, `{"response":{"choice":"a"},"seq":9}`} {
		if r := a.do("PUT", path, b, tok); r.Status != 422 {
			t.Errorf("save %s: %d %s", b, r.Status, r.Body)
		}
	}
	if r := a.do("PUT", path, `{"response":{"value":true},"seq":"9"}`, tok); r.Status != 400 {
		t.Errorf("seq string: %d", r.Status)
	}
	if r := a.do("PUT", path, `{"response":{"value":true},"seq":9007199254740991}`, tok); r.Status != 200 {
		t.Errorf("seq max safe: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "nope", "at": "2026-01-01T00:00:00Z"}, tok); r.Status != 422 {
		t.Errorf("bad event: %d", r.Status)
	}
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question("essay")["id"].(string), map[string]any{"response": map[string]any{"text": "服务"}, "seq": 1}, tok)
	a.must(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "paste", "at": "2026-01-01T00:00:00Z"}, tok)
	if r := a.do("POST", "/api/v1/candidate/attempt/submit", `[]`, tok); r.Status != 400 {
		t.Errorf("submit with [] body: %d", r.Status)
	}
	sb := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, tok).JSON()
	wantKeys(t, "submit", sb, "status", "submitted_at")
	sb2 := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, tok).JSON()
	if sb2["submitted_at"] != sb["submitted_at"] || sb2["status"] != sb["status"] {
		t.Errorf("submit not idempotent: %v vs %v", sb, sb2)
	}
	if r := a.do("PUT", path, map[string]any{"response": map[string]any{"value": true}, "seq": 99}, tok); r.Status != 409 || r.Code() != "attempt_submitted" {
		t.Errorf("save after submit: %d %s", r.Status, r.Body)
	}
	// delete started invitation
	if r := a.do("DELETE", "/api/v1/invitations/"+inv["id"].(string), nil, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Errorf("delete started: %d %s", r.Status, r.Body)
	}
	// results
	rs := a.must(200, "GET", "/api/v1/exams/"+id+"/results", nil, s.AccessToken).JSON()
	items := rs["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("results: %s", truncate(a.do("GET", "/api/v1/exams/"+id+"/results", nil, s.AccessToken).Body))
	}
	row := items[0].(map[string]any)
	wantKeys(t, "result row", row, "invitation_id", "attempt_id", "candidate_name", "candidate_email", "track", "status", "auto_score", "manual_score", "score", "max_score", "passed", "submitted_at", "submitted_by")
	rp := a.do("GET", "/api/v1/exams/"+id+"/results?limit=1", nil, s.AccessToken).JSON()
	wantKeys(t, "results page", rp, "items", "next_cursor")
	csv := a.must(200, "GET", "/api/v1/exams/"+id+"/results.csv", nil, s.AccessToken)
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" || !strings.HasPrefix(string(csv.Body), "\ufeff") {
		t.Errorf("csv %q", ct)
	}
	d := a.must(200, "GET", "/api/v1/attempts/"+row["attempt_id"].(string), nil, s.AccessToken).JSON()
	wantKeys(t, "detail", d, "id", "invitation_id", "candidate_name", "candidate_email", "track", "status", "started_at", "deadline", "submitted_at", "submitted_by", "auto_score", "manual_score", "score", "max_score", "passed", "questions", "events")
	dq := d["questions"].([]any)[0].(map[string]any)
	wantKeys(t, "detail q", dq, "question_id", "section_id", "type", "prompt", "response", "points_awarded", "max_points", "graded_by", "comment")
	evs := d["events"].([]any)
	if len(evs) == 0 {
		t.Errorf("no events")
	} else {
		wantKeys(t, "event", evs[0].(map[string]any), "type", "at", "client_address")
	}
	// reviews
	rv := a.must(200, "GET", "/api/v1/reviews/exams", nil, s.AccessToken).JSON()
	if its := rv["items"].([]any); len(its) != 1 {
		t.Errorf("review exams: %v", rv)
	} else {
		wantKeys(t, "review exam", its[0].(map[string]any), "exam_id", "title", "pending", "claimed", "done")
	}
	if r := a.do("POST", "/api/v1/reviews/claim", `{"exam_id": 5}`, s.AccessToken); r.Status != 400 {
		t.Errorf("claim bad type: %d", r.Status)
	}
	cl := a.must(200, "POST", "/api/v1/reviews/claim", nil, s.AccessToken).JSON()
	wantKeys(t, "claim", cl, "id", "exam_title", "question", "response", "lease_expires_at")
	wantKeys(t, "claim.q", cl["question"].(map[string]any), "prompt", "points", "reference_answer", "rubric")
	stt := a.must(200, "GET", "/api/v1/reviews/stats", nil, s.AccessToken).JSON()
	wantKeys(t, "stats", stt, "pending", "claimed", "done")
	stt2 := a.must(200, "GET", "/api/v1/reviews/stats?exam_id="+id, nil, s.AccessToken).JSON()
	wantKeys(t, "stats exam", stt2, "pending", "claimed", "done")
	if r := a.do("POST", "/api/v1/reviews/"+cl["id"].(string)+"/score", map[string]any{"points": 0.3, "comment": ""}, s.AccessToken); r.Status != 422 {
		t.Errorf("score 0.3: %d", r.Status)
	}
	a.must(200, "POST", "/api/v1/reviews/"+cl["id"].(string)+"/score", map[string]any{"points": 5, "comment": "ok"}, s.AccessToken)
	if r := a.do("POST", "/api/v1/reviews/"+cl["id"].(string)+"/score", map[string]any{"points": 5, "comment": "ok"}, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Errorf("score twice: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/reviews/claim", nil, s.AccessToken); r.Status != 204 {
		t.Errorf("claim empty: %d", r.Status)
	}
	// amend
	kp := "/api/v1/exams/" + id + "/versions/1/questions/" + qid + "/key"
	dr := a.must(200, "PUT", kp+"?dry_run=true", map[string]any{"answer": true}, s.AccessToken).JSON()
	wantKeys(t, "amend dry", dr, "regraded", "changed")
	am := a.must(200, "PUT", kp, map[string]any{"answer": true}, s.AccessToken).JSON()
	wantKeys(t, "amend", am, "regraded", "changed")
	if ch := am["changed"].([]any); len(ch) != 1 {
		t.Errorf("changed: %v", am)
	} else {
		wantKeys(t, "changed", ch[0].(map[string]any), "attempt_id", "old_score", "new_score")
	}
	v = a.must(200, "GET", "/api/v1/exams/"+id+"/versions/1", nil, s.AccessToken).JSON()
	if ams := v["amendments"].([]any); len(ams) != 1 {
		t.Errorf("amendments: %v", v["amendments"])
	} else {
		wantKeys(t, "amendment", ams[0].(map[string]any), "question_id", "at", "by", "old_key", "new_key")
	}
	if r := a.do("PUT", kp, map[string]any{"answer": "x"}, s.AccessToken); r.Status != 422 {
		t.Errorf("amend bad: %d", r.Status)
	}
	// export/import
	for _, f := range []string{"text", "gift", "moodle_xml", "qti", "xlsx"} {
		r := a.do("GET", "/api/v1/exams/"+id+"/export?format="+f, nil, s.AccessToken)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export %s: %d %q", f, r.Status, r.Header.Get("Content-Disposition"))
		}
		r = a.do("GET", "/api/v1/exams/"+id+"/versions/1/export?format="+f, nil, s.AccessToken)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export v %s: %d %q", f, r.Status, r.Header.Get("Content-Disposition"))
		}
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/export?format=docx", nil, s.AccessToken); r.Status != 400 && r.Status != 422 {
		t.Errorf("export docx: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/export", nil, s.AccessToken); r.Status != 400 && r.Status != 200 {
		t.Errorf("export no format: %d", r.Status)
	}
	im := a.must(200, "POST", "/api/v1/imports", map[string]any{"content": "一、单项选择题\n1. 问题\nA. 是\nB. 否\n答案：A\n"}, s.AccessToken).JSON()
	wantKeys(t, "import", im, "format", "exam", "problems", "stats")
	wantKeys(t, "import stats", im["stats"].(map[string]any), "questions", "by_type")
	wantKeys(t, "import by_type", im["stats"].(map[string]any)["by_type"].(map[string]any), "fill_in", "true_false", "single_choice", "multiple_choice", "essay")
	if r := a.do("POST", "/api/v1/imports", map[string]any{"format": "gift", "content": "::"}, s.AccessToken); r.Status != 200 && r.Status != 422 {
		t.Errorf("import garbage gift: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/imports", map[string]any{"format": "bogus", "content": "x"}, s.AccessToken); r.Status != 422 && r.Status != 400 {
		t.Errorf("import bogus format: %d", r.Status)
	}
	// reviewer cannot import
	rvw := a.staff(s.AccessToken, "reviewer", "rv@acme.test")
	if r := a.do("POST", "/api/v1/imports", map[string]any{"content": "x"}, rvw.AccessToken); r.Status != 403 {
		t.Errorf("reviewer import: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/export?format=text", nil, rvw.AccessToken); r.Status != 403 {
		t.Errorf("reviewer export: %d", r.Status)
	}
	// other org
	o := a.signup("Other", "o@other.test")
	for _, pth := range []string{"/api/v1/exams/" + id, "/api/v1/exams/" + id + "/export?format=text", "/api/v1/exams/" + id + "/versions/1/export?format=text", "/api/v1/attempts/" + row["attempt_id"].(string), "/api/v1/exams/" + id + "/invitations"} {
		if r := a.do("GET", pth, nil, o.AccessToken); r.Status != 404 {
			t.Errorf("other org %s: %d", pth, r.Status)
		}
	}
	if r := a.do("PATCH", "/api/v1/invitations/"+inv["id"].(string), map[string]any{"extra_time_seconds": 60}, o.AccessToken); r.Status != 404 {
		t.Errorf("other org patch: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/attempts/"+row["attempt_id"].(string)+"/reopen", map[string]any{"extra_seconds": 60, "reason": "x"}, o.AccessToken); r.Status != 404 {
		t.Errorf("other org reopen: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/attempts/"+row["attempt_id"].(string)+"/reopen", map[string]any{"extra_seconds": 60, "reason": "x"}, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Errorf("reopen candidate-submitted: %d %s", r.Status, r.Body)
	}
	// headers
	hz := a.do("GET", "/healthz", nil, "")
	if hz.Status != 200 || hz.Header.Get("X-Content-Type-Options") != "nosniff" || hz.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("healthz: %d %v", hz.Status, hz.Header)
	}
	if r := a.do("GET", "/assets/nope.js", nil, ""); r.Status != 404 {
		t.Errorf("missing asset: %d", r.Status)
	}
	if r := a.do("GET", "/readyz", nil, ""); r.Status != 200 {
		t.Errorf("readyz: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/exams", "x", s.AccessToken, withHeader("Content-Type", "text/plain")); r.Status != 415 || r.Code() != "unsupported_media_type" {
		t.Errorf("415: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/exams", nil, ""); r.Status != 401 || r.Code() != "unauthorized" {
		t.Errorf("401: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/exams", nil, rvw.AccessToken); r.Status != 403 || r.Code() != "forbidden" {
		t.Errorf("403: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/users", nil, rvw.AccessToken); r.Status != 403 {
		t.Errorf("users reviewer: %d", r.Status)
	}
	ul := a.must(200, "GET", "/api/v1/users", nil, s.AccessToken).JSON()
	wantKeys(t, "users", ul, "items")
}

// TestContractStatesAndRoles checks the statuses and codes API.md gives for
// invitation windows, revocation, token audiences and account conflicts.
func TestContractStatesAndRoles(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "p2@acme.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 30))
	inv := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager"}, s.AccessToken).JSON()
	a.must(204, "DELETE", "/api/v1/invitations/"+inv["id"].(string), nil, s.AccessToken)
	if r := a.do("DELETE", "/api/v1/invitations/"+inv["id"].(string), nil, s.AccessToken); r.Status != 204 {
		t.Errorf("delete revoked again: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, ""); r.Status != 401 || r.Code() != "invalid_invitation" {
		t.Errorf("revoked session: %d %s", r.Status, r.Body)
	}
	li := a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).JSON()
	if it := li["items"].([]any)[0].(map[string]any); it["status"] != "revoked" {
		t.Errorf("revoked status %v", it["status"])
	}
	fut := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager", "opens_at": time.Now().Add(time.Hour).UTC()}, s.AccessToken).JSON()
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": fut["token"].(string)}, ""); r.Status != 403 || r.Code() != "not_open" {
		t.Errorf("not open: %d %s", r.Status, r.Body)
	}
	past := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager", "closes_at": time.Now().Add(time.Second).UTC()}, s.AccessToken).JSON()
	time.Sleep(1100 * time.Millisecond)
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": past["token"].(string)}, ""); r.Status != 403 || r.Code() != "window_closed" {
		t.Errorf("closed: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager", "opens_at": time.Now().Add(2 * time.Hour).UTC(), "closes_at": time.Now().Add(time.Hour).UTC()}, s.AccessToken); r.Status != 422 {
		t.Errorf("closes before opens: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "nope"}, s.AccessToken); r.Status != 422 {
		t.Errorf("unknown track: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/versions/2", nil, s.AccessToken); r.Status != 404 {
		t.Errorf("version 2: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/versions/0", nil, s.AccessToken); r.Status != 404 && r.Status != 400 {
		t.Errorf("version 0: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/not-a-uuid", nil, s.AccessToken); r.Status != 404 {
		t.Errorf("exam not uuid: %d", r.Status)
	}
	doc := smallExam(600, 30)
	doc["bogus"] = 1
	if r := a.do("PUT", "/api/v1/exams/"+id, doc, s.AccessToken); r.Status != 400 {
		t.Errorf("unknown field: %d", r.Status)
	}
	doc = smallExam(0, -1)
	if r := a.do("POST", "/api/v1/exams", doc, s.AccessToken); r.Status != 422 {
		t.Errorf("bad limits: %d", r.Status)
	} else {
		ds := r.details(t)
		if hasDetail(ds, "time_limit_seconds", "") == nil && len(ds) < 2 {
			t.Errorf("details: %s", r.Body)
		}
	}
	big := strings.Repeat("x", 1<<20+10)
	if r := a.do("POST", "/api/v1/exams", `{"title":"`+big+`"}`, s.AccessToken); r.Status != 413 || r.Code() != "payload_too_large" {
		t.Errorf("413: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/users", map[string]string{"email": "x@acme.test", "name": "X", "password": "correct horse battery", "role": "owner"}, s.AccessToken); r.Status != 422 {
		t.Errorf("bad role: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/users", map[string]string{"email": "x@acme.test", "name": "X", "password": "correct horse battery", "role": "candidate"}, s.AccessToken); r.Status != 422 {
		t.Errorf("candidate role: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/users", map[string]string{"email": "p2@acme.test", "name": "X", "password": "correct horse battery", "role": "reviewer"}, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Errorf("email taken: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/signup", map[string]string{"organization": "B", "name": "n", "email": "P2@acme.test", "password": "correct horse battery"}, ""); r.Status != 409 {
		t.Errorf("email taken case: %d", r.Status)
	}
	// candidate token on staff endpoint and the other way
	c := a.candidate(s.AccessToken, id, "manager")
	if r := a.do("GET", "/api/v1/me", nil, c.token); r.Status != 401 {
		t.Errorf("candidate token on /me: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/candidate/attempt", nil, s.AccessToken); r.Status != 401 {
		t.Errorf("staff token on candidate: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/candidate/attempt", nil, c.token); r.Status != 404 && r.Status != 409 {
		t.Errorf("get before start: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/reviews/stats?exam_id=bad", nil, s.AccessToken); r.Status != 400 && r.Status != 404 {
		t.Errorf("stats bad: %d", r.Status)
	}
	o := a.signup("Other", "p2@other.test")
	if r := a.do("POST", "/api/v1/reviews/claim", map[string]string{"exam_id": id}, o.AccessToken); r.Status != 404 && r.Status != 204 {
		t.Errorf("claim other org exam: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/auth/logout", map[string]string{"refresh_token": s.RefreshToken}, ""); r.Status != 204 {
		t.Errorf("logout: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, ""); r.Status != 401 {
		t.Errorf("refresh after logout: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/auth/login", map[string]string{"email": "nobody@x.test", "password": "whatever123"}, ""); r.Status != 401 || r.Code() != "invalid_credentials" {
		t.Errorf("bad login: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/auth/login", map[string]any{"email": 5, "password": "whatever123"}, ""); r.Status != 400 {
		t.Errorf("bad login type: %d %s", r.Status, r.Body)
	}
}
