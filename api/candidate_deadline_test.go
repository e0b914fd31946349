package api

import (
	"context"
	"testing"
	"time"

	"examd/exam"
)

// A deadline moved in the database while the attempt runs (an accommodation
// or a reopen) reaches the candidate at once: on resume and in every save's
// answer, although the attempt's identity is cached from the first request.
func TestMovedDeadlineReachesTheCandidate(t *testing.T) {
	a := parallelApp(t)
	_, _, c, att := a.startedAttempt("deadline@acme.test", map[string]any{"title": "T", "time_limit_seconds": 600, "grace_seconds": 0,
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "tf", "answer": true, "points": 1}}}}}, "")
	qid := att.question("true_false")["id"].(string)

	var save exam.SaveResult
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": true}, "seq": 1}, c.token).Decode(t, &save)
	if !save.Deadline.Equal(att.Deadline) || save.ServerTime.IsZero() || save.Seq != 1 {
		t.Fatalf("save before the move: %+v, attempt deadline %v", save, att.Deadline)
	}

	// Forty minutes more, straight in the database, as PATCH /invitations does.
	if err := a.db.WithContext(context.Background()).Exec(`UPDATE attempts SET deadline = deadline + interval '40 minutes',
		submit_by = submit_by + interval '40 minutes' WHERE id = ?`, att.ID).Error; err != nil {
		t.Fatal(err)
	}
	want := att.Deadline.Add(40 * time.Minute)

	var again attemptResp
	a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &again)
	if !again.Deadline.Equal(want) {
		t.Fatalf("resume deadline %v, want %v", again.Deadline, want)
	}
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": false}, "seq": 2}, c.token).Decode(t, &save)
	if !save.Deadline.Equal(want) || save.Seq != 2 {
		t.Fatalf("save after the move: %+v, want deadline %v", save, want)
	}
	// A stale save (seq not above the stored one) reports the deadline too.
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": true}, "seq": 1}, c.token).Decode(t, &save)
	if !save.Deadline.Equal(want) || save.Seq != 2 {
		t.Fatalf("stale save after the move: %+v, want deadline %v", save, want)
	}

	// Moved into the past (beyond any grace): the next save meets the 409.
	if err := a.db.Exec(`UPDATE attempts SET deadline = now() - interval '1 minute', submit_by = now() - interval '1 minute' WHERE id = ?`, att.ID).Error; err != nil {
		t.Fatal(err)
	}
	if r := a.do("PUT", "/api/v1/candidate/attempt/answers/"+qid, map[string]any{"response": map[string]any{"value": true}, "seq": 3}, c.token); r.Status != 409 || r.Code() != "deadline_passed" {
		t.Fatalf("save after an earlier deadline: %d %s", r.Status, r.Body)
	}
}
