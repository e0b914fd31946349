package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// The candidate's resume (GET /candidate/attempt): its conditional form and
// the responses object it carries.

// A conditional resume: 304 while nothing changed, and never a 304 that
// would hide an acknowledged save, a submission or a moved deadline.
func TestResumeETag(t *testing.T) {
	a := newApp(t)
	admin, examID, c, att := a.startedAttempt("resume-etag@org.test", smallExam(600, 30), "manager")

	first := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token)
	tag := first.Header.Get("ETag")
	if len(tag) < 10 || tag[0] != '"' {
		t.Fatalf("ETag %q, want a quoted strong validator", tag)
	}
	if cc := first.Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Fatalf("Cache-Control %q", cc)
	}

	// Unchanged: 304, no body, and the server's clock still comes along.
	r := a.must(304, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag))
	if len(r.Body) != 0 || r.Header.Get("ETag") != tag {
		t.Fatalf("304 body %q etag %q", r.Body, r.Header.Get("ETag"))
	}
	if _, err := time.Parse(time.RFC3339Nano, r.Header.Get("X-Server-Time")); err != nil {
		t.Fatalf("X-Server-Time %q: %v", r.Header.Get("X-Server-Time"), err)
	}
	// A list holding it, and a weak form of it, match too; another tag does not.
	a.must(304, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", `"x", W/`+tag))
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", `"0123456789"`))

	// Without If-None-Match the full body comes, as before.
	var full map[string]json.RawMessage
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &full)
	if full["sections"] == nil || full["server_time"] == nil {
		t.Fatalf("full body lacks fields: %v", full)
	}

	// A save changes it: the conditional GET must answer 200 with the answer.
	q := att.question("true_false")
	qid := q["id"].(string)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": true}, "seq": 1}, c.token)
	var after struct {
		Responses map[string]struct {
			Response map[string]any `json:"response"`
			Seq      int64          `json:"seq"`
		} `json:"responses"`
	}
	r = a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag))
	r.Decode(t, &after)
	if got := after.Responses[qid]; got.Seq != 1 || got.Response["value"] != true {
		t.Fatalf("after the save the resume shows %+v", after.Responses)
	}
	tag2 := r.Header.Get("ETag")
	if tag2 == tag {
		t.Fatal("the ETag did not change with a save")
	}
	// A second save of the same answer with a higher seq changes it again.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": false}, "seq": 2}, c.token)
	r = a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag2))
	r.Decode(t, &after)
	if got := after.Responses[qid]; got.Seq != 2 || got.Response["value"] != false {
		t.Fatalf("after the second save the resume shows %+v", after.Responses)
	}
	tag3 := r.Header.Get("ETag")
	// A save not above the stored seq changes nothing, so the tag stands.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": true}, "seq": 2}, c.token)
	a.must(304, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag3))

	// Submitting changes it.
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)
	var done map[string]any
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag3)).Decode(t, &done)
	if done["status"] == "in_progress" {
		t.Fatalf("after submit the resume says %v", done["status"])
	}

	// Another candidate's tag is not this one's.
	c2 := a.candidate(admin.AccessToken, examID, "manager")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c2.token)
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c2.token, withHeader("If-None-Match", tag3))
}

// The resume's responses object is built by PostgreSQL and compacted by
// hand (exam.Attempt.MarshalJSON); it must read exactly as encoding/json
// would write the stored answers, awkward text included.
func TestResumeResponsesAsEncodingJSON(t *testing.T) {
	a := newApp(t)
	_, _, c, att := a.startedAttempt("resume-json@org.test", smallExam(600, 30), "manager")
	texts := map[string]any{
		"essay":           map[string]any{"text": "写字楼 <script>&amp; \u0001 \" \\ \n\t end, sep \u2028 and \u2029, 😀, ＡＢＣ"},
		"fill_in":         map[string]any{"blanks": []string{"客人 ", "  a\tb "}},
		"multiple_choice": map[string]any{"choices": []string{"b", "a"}},
		"true_false":      map[string]any{"value": false},
	}
	for typ, resp := range texts {
		q := att.question(typ)
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+q["id"].(string), map[string]any{"response": resp, "seq": 7}, c.token)
	}
	body := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Body
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	rows, err := a.db.Raw(`SELECT question_id, response::text, seq FROM answers WHERE attempt_id = ?`, att.ID).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type saved struct {
		Response json.RawMessage `json:"response"`
		Seq      int64           `json:"seq"`
	}
	stored := map[string]saved{}
	for rows.Next() {
		var q, r string
		var s saved
		if err := rows.Scan(&q, &r, &s.Seq); err != nil {
			t.Fatal(err)
		}
		s.Response = json.RawMessage(r)
		stored[q] = s
	}
	want, err := json.Marshal(stored)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(texts) || !bytes.Equal(top["responses"], want) {
		t.Fatalf("responses\n got %s\nwant %s", top["responses"], want)
	}
}
