package exam

import (
	"context"
	"fmt"
	"time"
)

// attemptIdentity is what never changes of an attempt once it is started:
// its ids, version, track, shuffle seed, drawn questions and start time. Status, deadline
// and everything submitted are not here: an accommodation (PATCH
// /invitations/{id}) or a reopen moves the deadline and the status, maybe on
// another server, so they are read from the database every time.
type attemptIdentity struct {
	ID          string
	OrgID       string
	ExamID      string
	ExamVersion int
	Track       string
	ShuffleSeed int64
	// Drawn holds the questions drawn at start (nil without draws).
	Drawn     DrawnIDs
	StartedAt time.Time
}

// attemptIdentityOf returns the identity of the invitation's attempt
// (ErrNoAttempt before it is started), from the attempt cache when it is
// there, so that a save or a submit does not spend a round trip finding the
// attempt. Since nothing in an identity ever changes, entries need no
// invalidation, and several servers on one database stay correct: each
// learns the same facts.
func (s *Store) attemptIdentityOf(ctx context.Context, invitationID string) (*attemptIdentity, error) {
	if a, ok := s.attempts.Get(invitationID); ok {
		return a, nil
	}
	if !ValidID(invitationID) {
		return nil, ErrNoAttempt
	}
	var rows []attemptIdentity
	if err := s.db.WithContext(ctx).Raw(`SELECT id, org_id, exam_id, exam_version, track, shuffle_seed, drawn, started_at
		FROM attempts WHERE invitation_id = ?`, invitationID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("exam: read attempt: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNoAttempt
	}
	s.attempts.Put(invitationID, &rows[0])
	return &rows[0], nil
}
