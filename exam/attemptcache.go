package exam

import (
	"context"
	"database/sql"
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

// attemptVersion is the attempt's identity and its exam version's document,
// both from the caches: what a resume, a save and a submit start from.
func (s *Store) attemptVersion(ctx context.Context, invitationID string) (*attemptIdentity, *Document, error) {
	r, err := s.attemptIdentityOf(ctx, invitationID)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.cachedVersion(ctx, r.ExamID, r.ExamVersion)
	if err != nil {
		return nil, nil, err
	}
	return r, d, nil
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

// savedResponses is an attempt's responses object as a resume sends it
// (compact JSON, never changed once held), with the summary of the
// answers it was read at: their count, the sum of their seqs and the
// latest saved_at. A save only ever adds an answer or raises its seq, so
// every save changes the summary, and a resume whose summary (read in the
// same statement as the attempt's state) equals the held one sends the
// held object instead of having PostgreSQL aggregate and this process
// compact 50 answers again. Several servers stay correct: each checks its
// own copy against the database on every resume.
type savedResponses struct {
	key  string
	body []byte
}

// holdResponses keeps the responses object of attemptID read at key,
// unless it is too large to be worth its memory.
func (s *Store) holdResponses(attemptID, key string, body []byte) {
	if len(body) > responsesEntryMax {
		s.responses.Forget(attemptID)
		return
	}
	s.responses.Put(attemptID, &savedResponses{key: key, body: body})
}

// queryRow runs one statement ($n placeholders) on the store's connection
// pool directly: GORM's statement building (parsing the SQL for ?
// placeholders, its callbacks) was about 6 % of an autosave's CPU, and the
// hot candidate paths need none of it.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.db.Statement.ConnPool.QueryRowContext(ctx, q, args...)
}
