package api

import (
	"encoding/json"
	"testing"
	"time"
)

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
	a.startAttempt(c2)
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c2.token, withHeader("If-None-Match", tag3))
}

// A conditional resume reads the attempt's state, not a cached copy: a
// deadline moved by staff and a save through another server both end the
// client's copy (200 with the change), and the new tag then stands.
func TestResumeETagFollowsADeadlineMoveAndOtherServers(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	s, _, c, att := a.startedAttempt("etag-move@acme.test", smallExam(600, 0), "manager")
	tag := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Header.Get("ETag")
	a.must(304, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag))

	b.must(200, "PATCH", "/api/v1/invitations/"+c.invitationID, map[string]any{"extra_time_seconds": 300}, s.AccessToken)
	var moved attemptResp
	r := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag))
	r.Decode(t, &moved)
	if want := att.StartedAt.Add(900 * time.Second); !moved.Deadline.Equal(want) {
		t.Fatalf("after the move the resume shows deadline %v, want %v", moved.Deadline, want)
	}
	tag2 := r.Header.Get("ETag")
	if tag2 == tag {
		t.Fatal("the ETag did not change with the deadline")
	}
	a.must(304, "GET", "/api/v1/candidate/attempt", nil, c.token, withHeader("If-None-Match", tag2))

	qid := att.question("true_false")["id"].(string)
	b.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": true}, "seq": 7}, c.token)
	if got := a.conditionalSeqs(c.token, tag2); got[qid] != 7 {
		t.Fatalf("server a's conditional resume hides the save made through b: %v", got)
	}
}

// conditionalSeqs resumes with If-None-Match: tag, wants a 200 (the copy
// no longer stands) and returns the seq of each saved answer.
func (a *app) conditionalSeqs(token, tag string) map[string]int64 {
	a.t.Helper()
	var r struct {
		Responses map[string]struct {
			Seq int64 `json:"seq"`
		} `json:"responses"`
	}
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, token, withHeader("If-None-Match", tag)).Decode(a.t, &r)
	seqs := map[string]int64{}
	for q, x := range r.Responses {
		seqs[q] = x.Seq
	}
	return seqs
}

// A drawn attempt's copy is revalidated too: two attempts with different
// draws never share a tag, and a save to a drawn question ends the copy.
func TestResumeETagOfADrawnAttempt(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "etag-draw@acme.test")
	drawBank(a, s.AccessToken, "投诉处理", 12, 2)
	e := a.draftExam(s.AccessToken, drawExam(4))
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, s.AccessToken)
	c1, att := drawnCandidate(a, s.AccessToken, e.ID, "one@acme.test")
	c2, _ := drawnCandidate(a, s.AccessToken, e.ID, "two@acme.test")

	tag := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c1.token).Header.Get("ETag")
	a.must(304, "GET", "/api/v1/candidate/attempt", nil, c1.token, withHeader("If-None-Match", tag))
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c2.token, withHeader("If-None-Match", tag))

	drawn := sectionIDs(att, 1)[0]
	key := att.Sections[1].Questions[0]["options"].([]any)[0].(map[string]any)["key"]
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+drawn, map[string]any{"response": map[string]any{"choice": key}, "seq": 1}, c1.token)
	if got := a.conditionalSeqs(c1.token, tag); got[drawn] != 1 {
		t.Fatalf("the drawn question's save is missing after a conditional resume: %v", got)
	}
}
