package api

import (
	"testing"
)

// The item a reviewer holds follows the item, not the reviewer's last
// claim: a claim gives it back while its lease is live and it is unscored
// and still the reviewer's; once released, scored or taken over after its
// lease ran out, the next claim takes another. An exam_id that names no
// exam of the organization is 404 even while the caller holds an item.
func TestReviewClaimHoldFollowsTheItem(t *testing.T) {
	s := newReviewSetup(t, 3, 1) // three items
	a := s.a
	alice, bob := s.reviewer("alice"), s.reviewer("bob")
	empty := a.grPublish(s.recruiter.AccessToken, grEssayExam("Empty", 1, 1)) // an exam of ours, no items
	_, foreign := a.grForeignQueue()

	mine := map[string]any{"exam_id": s.exam.ID}
	first, st := a.grClaimItem(alice, mine)
	if st != 200 {
		t.Fatalf("alice's first claim: %d %+v", st, first)
	}
	// Held: any exam of the organization gives it back, a foreign or
	// unknown one is 404, and so is a malformed one.
	if c, st := a.grClaimItem(alice, map[string]any{"exam_id": empty.ID}); st != 200 || c.ID != first.ID || !c.LeaseExpiresAt.Equal(first.LeaseExpiresAt) {
		t.Fatalf("claim from an empty exam while holding: %d %+v, want %s", st, c, first.ID)
	}
	for _, id := range []string{foreign.ID, "00000000-0000-0000-0000-000000000000", "nope"} {
		if r := a.do("POST", "/api/v1/reviews/claim", map[string]any{"exam_id": id}, alice); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("claim from exam %q while holding: %d %s", id, r.Status, r.Body)
		}
	}
	if st := a.grStats(alice, ""); st != (grStats{Pending: 2, Claimed: 1}) {
		t.Fatalf("stats after the refused claims: %+v", st)
	}

	// Released: Bob takes it at once, and Alice's next claim is another item.
	a.must(204, "POST", "/api/v1/reviews/"+first.ID+"/release", nil, alice)
	if c, _ := a.grClaimItem(bob, mine); c == nil || c.ID != first.ID {
		t.Fatalf("bob's claim after the release = %+v, want %s", c, first.ID)
	}
	second, _ := a.grClaimItem(alice, mine)
	if second == nil || second.ID == first.ID {
		t.Fatalf("alice's claim after releasing = %+v", second)
	}

	// Alice's lease on the second runs out; Bob, done with the first, takes
	// it over. Alice's claim no longer returns it, nor may she score it.
	a.must(200, "POST", "/api/v1/reviews/"+first.ID+"/score", map[string]any{"points": 2}, bob)
	if err := a.db.Exec(`UPDATE review_items SET lease_expires_at = now() - interval '1 second' WHERE id = ?`, second.ID).Error; err != nil {
		t.Fatal(err)
	}
	if c, _ := a.grClaimItem(bob, mine); c == nil || c.ID != second.ID {
		t.Fatalf("bob's claim after alice's lease ran out = %+v, want %s", c, second.ID)
	}
	third, _ := a.grClaimItem(alice, mine)
	if third == nil || third.ID == second.ID || third.ID == first.ID {
		t.Fatalf("alice's claim after losing her lease = %+v", third)
	}
	if r := a.must(409, "POST", "/api/v1/reviews/"+second.ID+"/score", map[string]any{"points": 1}, alice); r.Code() != "lease_lost" {
		t.Fatalf("alice scores the item she lost: %s", r.Body)
	}

	// Scored: the next claim finds nothing (Bob holds the last item).
	a.must(200, "POST", "/api/v1/reviews/"+third.ID+"/score", map[string]any{"points": 3}, alice)
	if _, st := a.grClaimItem(alice, mine); st != 204 {
		t.Fatalf("alice's claim with only bob's item left: %d, want 204", st)
	}
	if _, st := a.grClaimItem(alice, map[string]any{"exam_id": foreign.ID}); st != 404 {
		t.Fatalf("claim from a foreign exam holding nothing: %d, want 404", st)
	}
	a.must(200, "POST", "/api/v1/reviews/"+second.ID+"/score", map[string]any{"points": 1}, bob)
	if st := a.grStats(alice, ""); st != (grStats{Done: 3}) {
		t.Fatalf("stats at the end: %+v", st)
	}
}
