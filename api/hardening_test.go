package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Tests of issue 11 (hardening) and of the codes every 422 detail carries.

// stateDigest is a cheap fingerprint of every table a request could change,
// so a test can say "this refused request changed nothing".
func (a *app) stateDigest() string {
	a.t.Helper()
	var tables []string
	a.db.Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'goose%' ORDER BY table_name`).Scan(&tables)
	if len(tables) == 0 {
		a.t.Fatal("no tables to digest")
	}
	var parts []string
	for _, tb := range tables {
		var d string
		if err := a.db.Raw(`SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM ` + tb + ` t`).Scan(&d).Error; err != nil {
			a.t.Fatalf("digest %s: %v", tb, err)
		}
		parts = append(parts, tb+"="+d)
	}
	return strings.Join(parts, " ")
}

type detail struct {
	Field   string         `json:"field"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params"`
}

// details returns the details of a 422, failing unless r is one.
func (r *resp) details(t testing.TB) []detail {
	t.Helper()
	var body struct {
		Error struct {
			Code    string   `json:"code"`
			Details []detail `json:"details"`
		} `json:"error"`
	}
	if r.Status != 422 {
		t.Fatalf("status %d, want 422: %s", r.Status, truncate(r.Body))
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Error.Code != "validation_failed" {
		t.Fatalf("not a validation_failed body: %s", truncate(r.Body))
	}
	for _, d := range body.Error.Details {
		if d.Code == "" || d.Message == "" {
			t.Errorf("detail without code or message: %+v", d)
		}
	}
	return body.Error.Details
}

// hasDetail reports whether ds holds field with code.
func hasDetail(ds []detail, field, code string) *detail {
	for i := range ds {
		if ds[i].Field == field && ds[i].Code == code {
			return &ds[i]
		}
	}
	return nil
}

// hardeningFixture: an organization with a published small exam, a
// candidate with a started attempt and a reviewer.
type hardeningFixture struct {
	admin     session
	examID    string
	cand      cand
	essay     string
	mcID      string
	reviewer  session
	examBody  map[string]any
	versionQ  string // the single_choice question of version 1
	invitedID string
}

func newHardeningFixture(a *app, org string) hardeningFixture {
	a.t.Helper()
	var f hardeningFixture
	f.admin = a.signup(org, "admin@"+org+".test")
	f.examBody = smallExam(600, 30)
	f.examID = a.publishedExam(f.admin.AccessToken, f.examBody)
	f.cand = a.candidate(f.admin.AccessToken, f.examID, "manager")
	att := a.startAttempt(f.cand)
	f.essay = att.question("essay")["id"].(string)
	f.mcID = att.question("multiple_choice")["id"].(string)
	f.versionQ = att.question("single_choice")["id"].(string)
	f.reviewer = a.staff(f.admin.AccessToken, "reviewer", "rev@"+org+".test")
	return f
}

// Issue 11 item 1: a NUL in any string of any body is 422 contains_nul at
// its JSON path, and nothing is stored.
func TestNULInAnyStringIs422WithItsPath(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "nul")
	doc := func(mut func(d map[string]any)) any {
		d := smallExam(600, 30)
		mut(d)
		return d
	}
	exPath := "/api/v1/exams/" + f.examID
	cases := []struct {
		name, method, path string
		body               any
		token              string
		field              string
	}{
		{"signup", "POST", "/api/v1/signup", map[string]string{"organization": "O\x00", "name": "n", "email": "n@x.test", "password": "correct horse battery"}, "", "organization"},
		{"login email", "POST", "/api/v1/auth/login", map[string]string{"email": "admin@nul.test\x00", "password": "correct horse battery"}, "", "email"},
		{"login password", "POST", "/api/v1/auth/login", map[string]string{"email": "admin@nul.test", "password": "a\x00b"}, "", "password"},
		{"refresh", "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": "\x00"}, "", "refresh_token"},
		{"users", "POST", "/api/v1/users", map[string]string{"email": "u@nul.test", "name": "U\x00", "password": "correct horse battery", "role": "reviewer"}, f.admin.AccessToken, "name"},
		{"exam create prompt", "POST", "/api/v1/exams", doc(func(d map[string]any) {
			d["sections"].([]any)[1].(map[string]any)["questions"].([]any)[2].(map[string]any)["prompt"] = "a\x00b"
		}), f.admin.AccessToken, "sections[1].questions[2].prompt"},
		{"exam create option", "POST", "/api/v1/exams", doc(func(d map[string]any) {
			d["sections"].([]any)[1].(map[string]any)["questions"].([]any)[1].(map[string]any)["options"].([]any)[0].(map[string]any)["text"] = "\x00"
		}), f.admin.AccessToken, "sections[1].questions[1].options[0].text"},
		{"exam replace track", "PUT", exPath, doc(func(d map[string]any) { d["tracks"] = []string{"manager", "super\x00visor"} }), f.admin.AccessToken, "tracks[1]"},
		{"exam replace answer key", "PUT", exPath, doc(func(d map[string]any) {
			d["sections"].([]any)[1].(map[string]any)["questions"].([]any)[1].(map[string]any)["answer"] = "a\x00"
		}), f.admin.AccessToken, "sections[1].questions[1].answer"},
		{"invitation", "POST", exPath + "/invitations", map[string]string{"candidate_name": "张\x00三", "candidate_email": "z@nul.test", "track": "manager"}, f.admin.AccessToken, "candidate_name"},
		{"invitation list", "POST", exPath + "/invitations", []map[string]string{
			{"candidate_name": "A", "candidate_email": "a@nul.test", "track": "manager"},
			{"candidate_name": "B", "candidate_email": "b@nul.test\x00", "track": "manager"}}, f.admin.AccessToken, "[1].candidate_email"},
		{"candidate session", "POST", "/api/v1/candidate/sessions", map[string]string{"token": f.cand.inviteToken + "\x00"}, "", "token"},
		{"essay answer", "PUT", "/api/v1/candidate/attempt/answers/" + f.essay, map[string]any{"response": map[string]string{"text": "a\x00b"}, "seq": 7}, f.cand.token, "response.text"},
		{"choice answer", "PUT", "/api/v1/candidate/attempt/answers/" + f.mcID, map[string]any{"response": map[string]any{"choices": []string{"a", "\x00"}}, "seq": 7}, f.cand.token, "response.choices[1]"},
		{"member name", "PUT", "/api/v1/candidate/attempt/answers/" + f.essay, `{"response": {"te\u0000xt": "x"}, "seq": 7}`, f.cand.token, "response.text"},
		{"event", "POST", "/api/v1/candidate/attempt/events", map[string]string{"type": "blur\x00"}, f.cand.token, "type"},
		{"claim", "POST", "/api/v1/reviews/claim", map[string]string{"exam_id": f.examID + "\x00"}, f.reviewer.AccessToken, "exam_id"},
		{"amend key", "PUT", exPath + "/versions/1/questions/" + f.versionQ + "/key", map[string]string{"answer": "b\x00"}, f.admin.AccessToken, "answer"},
	}
	before := a.stateDigest()
	for _, tc := range cases {
		r := a.do(tc.method, tc.path, tc.body, tc.token)
		if r.Status != 422 {
			t.Errorf("%s: %d %s, want 422", tc.name, r.Status, truncate(r.Body))
			continue
		}
		ds := r.details(t)
		if len(ds) != 1 || ds[0].Field != tc.field || ds[0].Code != "contains_nul" {
			t.Errorf("%s: details %+v, want one contains_nul at %s", tc.name, ds, tc.field)
		}
	}
	if after := a.stateDigest(); after != before {
		t.Fatalf("refused requests changed the database:\n%s\n%s", before, after)
	}
	// An escaped backslash before u0000 is text, not NUL.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, `{"response": {"text": "C:\\u0000"}, "seq": 8}`, f.cand.token)
	var stored string
	a.db.Raw(`SELECT response->>'text' FROM answers WHERE question_id = ?`, f.essay).Scan(&stored)
	if stored != `C:\u0000` {
		t.Fatalf("stored %q", stored)
	}
}

// Issue 11 item 2: lengths are refused with too_long {max} before anything
// is hashed, counted or stored.
func TestLengthLimitsBeforeHashingOrStoring(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "len")
	long := func(n int) string { return strings.Repeat("长", n) }
	before := a.stateDigest()

	// A 20,000-character email at login: a cheap 422, not a hash and a 500.
	start := time.Now()
	for i := 0; i < 20; i++ {
		r := a.do("POST", "/api/v1/auth/login", map[string]string{"email": strings.Repeat("a", 20000) + "@x.test", "password": "correct horse battery"}, "")
		if d := hasDetail(r.details(t), "email", "too_long"); d == nil || d.Params["max"] != float64(254) {
			t.Fatalf("long login email: %s", truncate(r.Body))
		}
	}
	// 20 argon2id hashes take well over a second on any machine; 20 refusals
	// at binding take milliseconds.
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("20 over-long logins took %v: something hashed them", el)
	}
	cases := []struct {
		name, method, path string
		body               any
		token              string
		field              string
		max                float64
	}{
		{"login password", "POST", "/api/v1/auth/login", map[string]string{"email": "admin@len.test", "password": strings.Repeat("p", 1025)}, "", "password", 1024},
		{"signup name", "POST", "/api/v1/signup", map[string]string{"organization": "O", "name": long(201), "email": "n@x.test", "password": "correct horse battery"}, "", "name", 200},
		{"signup organization", "POST", "/api/v1/signup", map[string]string{"organization": long(201), "name": "n", "email": "n@x.test", "password": "correct horse battery"}, "", "organization", 200},
		{"signup email", "POST", "/api/v1/signup", map[string]string{"organization": "O", "name": "n", "email": strings.Repeat("a", 248) + "@x.test", "password": "correct horse battery"}, "", "email", 254},
		{"user password", "POST", "/api/v1/users", map[string]string{"email": "u@len.test", "name": "U", "password": long(1025), "role": "reviewer"}, f.admin.AccessToken, "password", 1024},
		{"refresh token", "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": strings.Repeat("r", 201)}, "", "refresh_token", 200},
		{"exam prompt", "POST", "/api/v1/exams", func() any {
			d := smallExam(600, 30)
			d["sections"].([]any)[2].(map[string]any)["questions"].([]any)[0].(map[string]any)["prompt"] = long(20001)
			return d
		}(), f.admin.AccessToken, "sections[2].questions[0].prompt", 20000},
		{"invitation name", "POST", "/api/v1/exams/" + f.examID + "/invitations", map[string]string{"candidate_name": long(201), "candidate_email": "z@len.test", "track": "manager"}, f.admin.AccessToken, "candidate_name", 200},
		{"invitation email", "POST", "/api/v1/exams/" + f.examID + "/invitations", map[string]string{"candidate_name": "Z", "candidate_email": strings.Repeat("z", 250) + "@len.test", "track": "manager"}, f.admin.AccessToken, "candidate_email", 254},
		{"invitation track", "POST", "/api/v1/exams/" + f.examID + "/invitations", map[string]string{"candidate_name": "Z", "candidate_email": "z@len.test", "track": strings.Repeat("t", 65)}, f.admin.AccessToken, "track", 64},
		{"candidate token", "POST", "/api/v1/candidate/sessions", map[string]string{"token": strings.Repeat("t", 201)}, "", "token", 200},
		{"essay response", "PUT", "/api/v1/candidate/attempt/answers/" + f.essay, map[string]any{"response": map[string]string{"text": long(50001)}, "seq": 3}, f.cand.token, "response.text", 50000},
	}
	for _, tc := range cases {
		r := a.do(tc.method, tc.path, tc.body, tc.token)
		if r.Status != 422 {
			t.Errorf("%s: %d %s, want 422", tc.name, r.Status, truncate(r.Body))
			continue
		}
		if d := hasDetail(r.details(t), tc.field, "too_long"); d == nil || d.Params["max"] != tc.max {
			t.Errorf("%s: %s, want too_long {max: %v} at %s", tc.name, truncate(r.Body), tc.max, tc.field)
		}
	}
	if after := a.stateDigest(); after != before {
		t.Fatalf("refused requests changed the database (the rate limiter counted, or something was stored):\n%s\n%s", before, after)
	}
	// At the limits, in characters rather than bytes, everything is taken.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, map[string]any{"response": map[string]string{"text": long(50000)}, "seq": 4}, f.cand.token)
	a.must(201, "POST", "/api/v1/exams/"+f.examID+"/invitations", map[string]string{"candidate_name": long(200), "candidate_email": "max@len.test", "track": "manager"}, f.admin.AccessToken)
	a.must(201, "POST", "/api/v1/users", map[string]string{"email": strings.Repeat("u", 245) + "@len.test", "name": long(200), "password": long(1024), "role": "reviewer"}, f.admin.AccessToken)
}

// Issue 11 item 6: the POSTs that take no body refuse a malformed one
// with 400 and change nothing; no body, or an empty object, is fine.
func TestBodylessPostsRefuseMalformedBodies(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "bodyless")
	draft := a.draftExam(f.admin.AccessToken, smallExam(600, 30))
	other := a.candidate(f.admin.AccessToken, f.examID, "supervisor")
	// An essay to claim, so that a claim that went through would show.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, map[string]any{"response": map[string]string{"text": "答"}, "seq": 1}, f.cand.token)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, f.cand.token)
	third := a.candidate(f.admin.AccessToken, f.examID, "manager")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, third.token)

	bad := []string{`{`, `null`, `[]`, `"x"`, `{"x": 1}`, `{} {}`, `1`}
	cases := []struct{ name, path, token string }{
		{"publish", "/api/v1/exams/" + draft.ID + "/publish", f.admin.AccessToken},
		{"start", "/api/v1/candidate/attempt", other.token},
		{"submit", "/api/v1/candidate/attempt/submit", third.token},
		{"claim", "/api/v1/reviews/claim", f.reviewer.AccessToken},
	}
	before := a.stateDigest()
	for _, tc := range cases {
		for _, b := range bad {
			if r := a.do("POST", tc.path, b, tc.token); r.Status != 400 || r.Code() != "bad_request" {
				t.Errorf("%s with %s: %d %s, want 400 bad_request", tc.name, b, r.Status, truncate(r.Body))
			}
		}
	}
	if after := a.stateDigest(); after != before {
		t.Fatalf("malformed bodies changed the database:\n%s\n%s", before, after)
	}
	// An empty object, or white space only, or no body, still works.
	a.must(201, "POST", "/api/v1/exams/"+draft.ID+"/publish", `{}`, f.admin.AccessToken)
	a.must(201, "POST", "/api/v1/exams/"+draft.ID+"/publish", "  \n", f.admin.AccessToken)
	a.must(201, "POST", "/api/v1/candidate/attempt", `{}`, other.token)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", `{}`, third.token)
	a.must(200, "POST", "/api/v1/reviews/claim", `{"exam_id": "`+f.examID+`"}`, f.reviewer.AccessToken)
}

// Issue 11 item 8: addresses must be local@domain.tld and passwords neither
// short, blank nor commonly breached, on every path that sets one.
func TestCredentialRules(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "cred")
	before := a.stateDigest()
	for _, e := range []string{"a@b", "<script>@x.test", " spaced@x.test ", "zhoujie@example", "two@@x.test", "in side@x.test", "x@y.test>"} {
		r := a.do("POST", "/api/v1/signup", map[string]string{"organization": "O", "name": "N", "email": e, "password": "correct horse battery"}, "")
		if hasDetail(r.details(t), "email", "invalid_email") == nil {
			t.Errorf("signup email %q: %s", e, truncate(r.Body))
		}
		r = a.do("POST", "/api/v1/users", map[string]string{"email": e, "name": "N", "password": "correct horse battery", "role": "recruiter"}, f.admin.AccessToken)
		if hasDetail(r.details(t), "email", "invalid_email") == nil {
			t.Errorf("user email %q: %s", e, truncate(r.Body))
		}
		r = a.do("POST", "/api/v1/exams/"+f.examID+"/invitations", map[string]string{"candidate_name": "C", "candidate_email": e, "track": "manager"}, f.admin.AccessToken)
		if hasDetail(r.details(t), "candidate_email", "invalid_email") == nil {
			t.Errorf("invitation email %q: %s", e, truncate(r.Body))
		}
	}
	for _, c := range []struct {
		pw, reason string
		min        any
	}{
		{"          ", "blank", nil},
		{"\t\t\t\t\t     ", "blank", nil},
		{"password12", "breached", nil},
		{"PASSWORD12", "breached", nil},
		{"1234567890", "breached", nil},
		{"qwertyuiop", "breached", nil},
		{"short", "short", float64(10)},
		{"九个字的密码不够长", "short", float64(10)},
	} {
		for _, path := range []string{"/api/v1/signup", "/api/v1/users"} {
			body := map[string]string{"organization": "O", "name": "N", "email": "new@cred.test", "password": c.pw}
			tok := ""
			if path == "/api/v1/users" {
				delete(body, "organization")
				body["role"] = "reviewer"
				tok = f.admin.AccessToken
			}
			r := a.do("POST", path, body, tok)
			d := hasDetail(r.details(t), "password", "weak_password")
			if d == nil || d.Params["reason"] != c.reason || d.Params["min"] != c.min {
				t.Errorf("%s password %q: %s, want weak_password {reason: %s}", path, c.pw, truncate(r.Body), c.reason)
			}
		}
	}
	if after := a.stateDigest(); after != before {
		t.Fatalf("refused accounts changed the database:\n%s\n%s", before, after)
	}
	a.must(201, "POST", "/api/v1/users", map[string]string{"email": "王芳@例子.中国", "name": "王芳", "password": "十个汉字的密码是可以的", "role": "reviewer"}, f.admin.AccessToken)
}

// Issue 11 item 9: seq is an exact integer from 1 to 2^53 − 1.
func TestSeqOutsideTheSafeRangeIs422(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "seq")
	put := func(seq string) *resp {
		return a.do("PUT", "/api/v1/candidate/attempt/answers/"+f.essay, `{"response": {"text": "x"}, "seq": `+seq+`}`, f.cand.token)
	}
	before := a.stateDigest()
	for _, c := range []struct{ seq, code string }{
		{"9007199254740993", "out_of_range"},
		{"9007199254740992", "out_of_range"},
		{"1e300", "out_of_range"},
		{"1e999999999", "out_of_range"},  // read without building 10^999999999
		{"1e-999999999", "out_of_range"}, // nor its reciprocal
		{"2.5", "wrong_type"},
		{"1.0000000000000000000000000000001", "wrong_type"},
		{"0", "out_of_range"},
		{"-1", "out_of_range"},
		{"1.5", "wrong_type"},
		{"null", "required"},
	} {
		r := put(c.seq)
		d := hasDetail(r.details(t), "seq", c.code)
		if d == nil {
			t.Errorf("seq %s: %s, want %s", c.seq, truncate(r.Body), c.code)
			continue
		}
		if c.code == "out_of_range" && (d.Params["min"] != float64(1) || d.Params["max"] != float64(9007199254740991)) {
			t.Errorf("seq %s: params %v", c.seq, d.Params)
		}
	}
	if r := put(`"7"`); r.Status != 400 {
		t.Errorf("seq as a string: %d %s", r.Status, r.Body)
	}
	if after := a.stateDigest(); after != before {
		t.Fatalf("refused saves changed the database")
	}
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, `{"response": {"text": "seven"}, "seq": 7e0}`, f.cand.token)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, `{"response": {"text": "eight"}, "seq": 8.000}`, f.cand.token)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, `{"response": {"text": "max"}, "seq": 9007199254740991}`, f.cand.token)
	var seq int64
	a.db.Raw(`SELECT seq FROM answers WHERE question_id = ?`, f.essay).Scan(&seq)
	if seq != 9007199254740991 {
		t.Fatalf("stored seq %d", seq)
	}
	r := a.must(200, "GET", "/api/v1/candidate/attempt", nil, f.cand.token)
	if !strings.Contains(string(r.Body), `"seq":9007199254740991`) {
		t.Fatalf("attempt shows %s", truncate(r.Body))
	}
}

// Issue 10: publishing refuses a pass mark above every track's maximum and
// freezes nothing; the draft itself may hold it.
func TestPublishRefusesAPassMarkAboveEveryTrack(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("pass", "admin@pass.test")
	// smallExam: common questions worth 2 + 1 + 1 + 2 = 6; the manager's
	// essay 10, the supervisor's 5: maxima 16 and 11.
	doc := smallExam(600, 30)
	doc["pass_score"] = 16.5
	e := a.draftExam(s.AccessToken, doc)
	before := a.stateDigest()
	r := a.do("POST", "/api/v1/exams/"+e.ID+"/publish", nil, s.AccessToken)
	ds := r.details(t)
	d := hasDetail(ds, "pass_score", "pass_score_above_max")
	if len(ds) != 1 || d == nil || d.Params["pass_score"] != 16.5 || d.Params["max"] != float64(16) {
		t.Fatalf("publish: %s", r.Body)
	}
	if after := a.stateDigest(); after != before {
		t.Fatal("a refused publish froze something")
	}
	if got := a.must(200, "GET", "/api/v1/exams/"+e.ID, nil, s.AccessToken).JSON(); got["latest_version"] != float64(0) {
		t.Fatalf("exam after refused publish: %v", got["latest_version"])
	}
	// Reachable by the manager track only: published.
	doc["pass_score"] = 16
	a.must(200, "PUT", "/api/v1/exams/"+e.ID, doc, s.AccessToken)
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, s.AccessToken)

	// Without tracks the exam's maximum counts.
	plain := map[string]any{"title": "T", "time_limit_seconds": 60, "pass_score": 60, "sections": []any{map[string]any{"title": "S", "questions": []any{
		map[string]any{"type": "true_false", "prompt": "p", "answer": true, "points": 2}}}}}
	p := a.draftExam(s.AccessToken, plain)
	r = a.do("POST", "/api/v1/exams/"+p.ID+"/publish", nil, s.AccessToken)
	if d := hasDetail(r.details(t), "pass_score", "pass_score_above_max"); d == nil || d.Params["max"] != float64(2) || d.Params["pass_score"] != float64(60) {
		t.Fatalf("publish without tracks: %s", r.Body)
	}
}

// API.md "Error details carry a code": a sample of every producer of
// details (validator, response parser, amendment, accounts, invitations,
// reviews, candidate) through the router, each with its code and params.
func TestEveryDetailCarriesACode(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "codes")
	// The validator.
	d := smallExam(600, 30)
	d["time_limit_seconds"] = 0
	d["pass_score"] = 2.3
	d["tracks"] = []string{"manager", "manager", " supervisor"}
	q0 := d["sections"].([]any)[0].(map[string]any)["questions"].([]any)[0].(map[string]any)
	q0["prompt"] = "no placeholders {{7}}"
	sc := d["sections"].([]any)[1].(map[string]any)["questions"].([]any)[1].(map[string]any)
	sc["answer"] = "z"
	r := a.do("POST", "/api/v1/exams", d, f.admin.AccessToken)
	ds := r.details(t)
	want := []struct {
		field, code string
		params      map[string]any
	}{
		{"time_limit_seconds", "out_of_range", map[string]any{"min": float64(1)}},
		{"pass_score", "not_multiple_of_half", nil},
		{"tracks[1]", "duplicate", map[string]any{"value": "manager"}},
		{"tracks[2]", "surrounding_space", nil},
		{"sections[0].questions[0].prompt", "placeholder_unknown", map[string]any{"n": "7"}},
		{"sections[0].questions[0].prompt", "placeholder_missing", map[string]any{"n": float64(1)}},
		{"sections[1].questions[1].answer", "unknown_option", map[string]any{"key": "z"}},
	}
	for _, w := range want {
		got := hasDetail(ds, w.field, w.code)
		if got == nil {
			t.Errorf("exam: no %s at %s in %+v", w.code, w.field, ds)
			continue
		}
		if fmt.Sprint(got.Params) != fmt.Sprint(w.params) && !(len(w.params) == 0 && len(got.Params) == 0) {
			t.Errorf("exam %s %s: params %v, want %v", w.field, w.code, got.Params, w.params)
		}
	}
	// The response parser.
	r = a.do("PUT", "/api/v1/candidate/attempt/answers/"+f.mcID, map[string]any{"response": map[string]any{"choices": []string{"a", "zz"}}, "seq": 1}, f.cand.token)
	if g := hasDetail(r.details(t), "response.choices[1]", "unknown_option"); g == nil || g.Params["key"] != "zz" {
		t.Errorf("response: %s", r.Body)
	}
	// The amendment.
	r = a.do("PUT", "/api/v1/exams/"+f.examID+"/versions/1/questions/"+f.versionQ+"/key", map[string]any{"answers": []string{"a"}}, f.admin.AccessToken)
	if g := hasDetail(r.details(t), "answers", "unknown_field"); g == nil || g.Params["field"] != "answers" {
		t.Errorf("amend: %s", r.Body)
	}
	// Accounts and invitations.
	r = a.do("POST", "/api/v1/users", map[string]string{"email": "r@codes.test", "name": " ", "password": "correct horse battery", "role": "boss"}, f.admin.AccessToken)
	ds = r.details(t)
	if hasDetail(ds, "name", "required") == nil || hasDetail(ds, "role", "invalid_value") == nil {
		t.Errorf("users: %s", r.Body)
	}
	r = a.do("POST", "/api/v1/exams/"+f.examID+"/invitations", map[string]string{"candidate_name": "C", "candidate_email": "c@codes.test", "track": "ceo"}, f.admin.AccessToken)
	if g := hasDetail(r.details(t), "track", "unknown_track"); g == nil || g.Params["track"] != "ceo" {
		t.Errorf("invitation: %s", r.Body)
	}
	r = a.do("POST", "/api/v1/exams/"+f.examID+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@codes.test", "track": "manager",
		"opens_at": "2030-01-02T00:00:00Z", "closes_at": "2030-01-01T00:00:00Z"}, f.admin.AccessToken)
	if g := hasDetail(r.details(t), "closes_at", "not_after"); g == nil || g.Params["field"] != "opens_at" {
		t.Errorf("invitation window: %s", r.Body)
	}
	// Candidate events.
	r = a.do("POST", "/api/v1/candidate/attempt/events", map[string]string{"type": "teleport"}, f.cand.token)
	if hasDetail(r.details(t), "type", "invalid_value") == nil {
		t.Errorf("event: %s", r.Body)
	}
	// Reviews: an essay to score.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, map[string]any{"response": map[string]string{"text": "答"}, "seq": 2}, f.cand.token)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, f.cand.token)
	item := a.must(200, "POST", "/api/v1/reviews/claim", nil, f.reviewer.AccessToken).JSON()
	id := item["id"].(string)
	for _, c := range []struct {
		body        any
		field, code string
	}{
		{map[string]any{"points": 2.25}, "points", "not_multiple_of_half"},
		{map[string]any{"points": 11}, "points", "out_of_range"},
		{map[string]any{}, "points", "required"},
		{map[string]any{"points": 1, "comment": strings.Repeat("评", 10001)}, "comment", "too_long"},
	} {
		r = a.do("POST", "/api/v1/reviews/"+id+"/score", c.body, f.reviewer.AccessToken)
		if hasDetail(r.details(t), c.field, c.code) == nil {
			t.Errorf("score %v: %s", c.body, truncate(r.Body))
		}
	}
}

// Bytes that are not UTF-8 make a body malformed (400), wherever they are:
// encoding/json turns them into U+FFFD in a string field, but a raw member
// (an option key matched by an answer key, a key amendment) kept them and
// PostgreSQL's jsonb refused them with a 500.
func TestInvalidUTF8IsABadRequest(t *testing.T) {
	a := parallelApp(t)
	f := newHardeningFixture(a, "utf8")
	bad := "\xff"
	doc := `{"title":"t","time_limit_seconds":60,"sections":[{"title":"s","questions":[{"type":"single_choice","prompt":"p",` +
		`"options":[{"key":"` + bad + `","text":"x"},{"key":"b","text":"y"}],"answer":"` + bad + `","points":1}]}]}`
	before := a.stateDigest()
	for _, c := range []struct{ method, path, body, token string }{
		{"POST", "/api/v1/exams", doc, f.admin.AccessToken},
		{"PUT", "/api/v1/exams/" + f.examID + "/versions/1/questions/" + f.versionQ + "/key", `{"answer":"` + bad + `"}`, f.admin.AccessToken},
		{"PUT", "/api/v1/candidate/attempt/answers/" + f.essay, `{"response":{"text":"a` + bad + `b"},"seq":5}`, f.cand.token},
		{"POST", "/api/v1/signup", `{"organization":"O` + bad + `","name":"n","email":"n@x.test","password":"correct horse battery"}`, ""},
	} {
		r := a.do(c.method, c.path, c.body, c.token)
		if r.Status != 400 || r.Code() != "bad_request" || !strings.Contains(string(r.Body), "UTF-8") {
			t.Errorf("%s %s: %d %s, want 400 naming UTF-8", c.method, c.path, r.Status, truncate(r.Body))
		}
	}
	if after := a.stateDigest(); after != before {
		t.Fatal("bodies that are not UTF-8 changed the database")
	}
}
