package api

import (
	"bytes"
	"encoding/json"
	"testing"
)

// A resume without a copy (no If-None-Match) may be answered from the
// server's held responses object, but only while the database's answers
// are those it was read from: a save through another server, a newer save
// through this one and an erasure of the answers all show on the next
// cold resume.
func TestColdResumeShowsEverySaveWhateverServerTookIt(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	_, _, c, att := a.startedAttempt("cold-resume@acme.test", smallExam(600, 0), "manager")
	tf := att.question("true_false")["id"].(string)
	single := att.question("single_choice")["id"].(string)
	responses := func() json.RawMessage {
		t.Helper()
		var r struct {
			Responses json.RawMessage `json:"responses"`
		}
		a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &r)
		return r.Responses
	}
	want := func(got json.RawMessage, expect map[string]any) {
		t.Helper()
		w, _ := json.Marshal(expect)
		var g, e any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("responses %s: %v", got, err)
		}
		_ = json.Unmarshal(w, &e)
		gb, _ := json.Marshal(g)
		eb, _ := json.Marshal(e)
		if !bytes.Equal(gb, eb) {
			t.Fatalf("cold resume shows responses %s, want %s", gb, eb)
		}
	}
	want(responses(), map[string]any{})

	b.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]any{"value": true}, "seq": 3}, c.token)
	first := responses()
	want(first, map[string]any{tf: map[string]any{"response": map[string]any{"value": true}, "seq": 3}})
	if again := responses(); !bytes.Equal(again, first) {
		t.Fatalf("a second cold resume with nothing saved between differs: %s vs %s", again, first)
	}

	b.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+tf, map[string]any{"response": map[string]any{"value": false}, "seq": 4}, c.token)
	want(responses(), map[string]any{tf: map[string]any{"response": map[string]any{"value": false}, "seq": 4}})

	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+single, map[string]any{"response": map[string]any{"choice": "b"}, "seq": 1}, c.token)
	want(responses(), map[string]any{
		tf:     map[string]any{"response": map[string]any{"value": false}, "seq": 4},
		single: map[string]any{"response": map[string]any{"choice": "b"}, "seq": 1}})

	// An erasure deletes the answers outright (grading.EraseCandidate).
	if err := a.db.Exec(`DELETE FROM answers WHERE attempt_id = ?`, att.ID).Error; err != nil {
		t.Fatal(err)
	}
	want(responses(), map[string]any{})
}
