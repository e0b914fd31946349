// Package outbox is the transactional outbox: events are written through
// the caller's transaction, beside the change they report, so an event
// exists exactly when its change committed. Each event also gets one
// pending delivery per subscribed webhook in the same statement; the
// notify package's workers send them. It imports no examd package, so exam
// and grading call it directly.
package outbox

import (
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Event types of the contract.
const (
	InvitationCreated = "invitation.created"
	AttemptStarted    = "attempt.started"
	AttemptSubmitted  = "attempt.submitted"
	AttemptGraded     = "attempt.graded"
	KeyAmended        = "key.amended"
)

// Types lists every event type, in the contract's order.
var Types = []string{InvitationCreated, AttemptStarted, AttemptSubmitted, AttemptGraded, KeyAmended}

// fanOut follows an INSERT ... RETURNING of events (the CTE "e") and queues
// one delivery per live subscribed webhook of the event's organization.
const fanOut = ` INSERT INTO webhook_deliveries (webhook_id, org_id, event_id)
	SELECT w.id, e.org_id, e.id FROM e JOIN webhooks w ON w.org_id = e.org_id AND e.type = ANY (w.events)`

// Enqueue writes one event with the given data (encoded as a JSON object)
// through tx.
func Enqueue(tx *gorm.DB, orgID, typ string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("outbox: data of %s: %w", typ, err)
	}
	if err := tx.Exec(`WITH e AS (INSERT INTO outbox_events (org_id, type, data) VALUES (?, ?, ?) RETURNING id, org_id, type)`+fanOut,
		orgID, typ, b).Error; err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", typ, err)
	}
	return nil
}

// attemptData is an attempt's event data: its identity and the fields of
// its results row. No answers, no keys.
const attemptData = `jsonb_build_object('exam_id', a.exam_id, 'invitation_id', a.invitation_id, 'attempt_id', a.id,
	'candidate_name', i.candidate_name, 'candidate_email', i.candidate_email, 'track', a.track, 'status', a.status,
	'auto_score', a.auto_score, 'manual_score', a.manual_score, 'score', a.score, 'max_score', a.max_score,
	'passed', a.passed, 'started_at', a.started_at, 'submitted_at', a.submitted_at, 'submitted_by', a.submitted_by)`

// Attempt writes an event of type typ about an attempt as it stands in tx
// (call it after the change is written): one INSERT ... SELECT.
func Attempt(tx *gorm.DB, typ, attemptID string) error {
	if err := tx.Exec(`WITH e AS (INSERT INTO outbox_events (org_id, type, data)
			SELECT a.org_id, ?, `+attemptData+` FROM attempts a JOIN invitations i ON i.id = a.invitation_id WHERE a.id = ?
			RETURNING id, org_id, type)`+fanOut, typ, attemptID).Error; err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", typ, err)
	}
	return nil
}

// AttemptEvents is for a statement that writes an attempt in a CTE named
// "a" (an INSERT or UPDATE … RETURNING *): it returns the CTEs that write
// one event of each of types (in that order) about the attempt as the
// statement wrote it and fan them out to the organization's webhooks
// (deliveries made in the events' order, as separate statements would),
// and the CTEs' argument. Use it as
// "WITH a AS (… RETURNING *), " + ctes + " SELECT … FROM a", so the change
// and its events are one round trip.
func AttemptEvents(types ...string) (ctes string, arg string) {
	return `e AS (INSERT INTO outbox_events (org_id, type, data)
			SELECT a.org_id, t.type, ` + attemptData + `
			FROM a JOIN invitations i ON i.id = a.invitation_id, unnest(?::text[]) WITH ORDINALITY AS t (type, n) ORDER BY t.n
			RETURNING id, org_id, type, created_at),
		d AS (` + fanOut + ` ORDER BY e.created_at)`, "{" + strings.Join(types, ",") + "}"
}

// Graded writes attempt.graded for an attempt that became graded in this
// transaction (graded_at is the transaction's now()), and nothing
// otherwise. Every path that can complete grading calls it after its write,
// so the event is emitted once per grading, from one place.
func Graded(tx *gorm.DB, attemptID string) error {
	if err := tx.Exec(`WITH e AS (INSERT INTO outbox_events (org_id, type, data)
			SELECT a.org_id, ?, `+attemptData+` FROM attempts a JOIN invitations i ON i.id = a.invitation_id
			WHERE a.id = ? AND a.status = 'graded' AND a.graded_at = now()
			RETURNING id, org_id, type)`+fanOut, AttemptGraded, attemptID).Error; err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", AttemptGraded, err)
	}
	return nil
}

// Invitations writes invitation.created for each of the invitations ids.
func Invitations(tx *gorm.DB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := tx.Exec(`WITH e AS (INSERT INTO outbox_events (org_id, type, data)
			SELECT i.org_id, ?, jsonb_build_object('exam_id', i.exam_id, 'invitation_id', i.id, 'exam_version', i.exam_version,
				'candidate_name', i.candidate_name, 'candidate_email', i.candidate_email, 'track', i.track, 'status', 'pending',
				'opens_at', i.opens_at, 'closes_at', i.closes_at, 'created_at', i.created_at)
			FROM invitations i WHERE i.id = ANY (?::uuid[]) ORDER BY i.created_at, i.id
			RETURNING id, org_id, type)`+fanOut, InvitationCreated, uuidArray(ids)).Error; err != nil {
		return fmt.Errorf("outbox: enqueue %s: %w", InvitationCreated, err)
	}
	return nil
}

func uuidArray(ids []string) string {
	b := []byte{'{'}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, id...)
	}
	return string(append(b, '}'))
}

// Email queues the invitation e-mail of one invitation (with its link,
// which holds the token) through tx; the mailer sends it once.
func Email(tx *gorm.DB, orgID, invitationID, link string) error {
	if err := tx.Exec(`INSERT INTO email_outbox (invitation_id, org_id, link) VALUES (?, ?, ?)`, invitationID, orgID, link).Error; err != nil {
		return fmt.Errorf("outbox: queue e-mail: %w", err)
	}
	return nil
}

// Backlog counts deliveries not yet delivered or failed (for a metrics
// gauge): an index-only count over the partial due index.
func Backlog(db *gorm.DB) (int64, error) {
	var n int64
	if err := db.Raw(`SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'`).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("outbox: backlog: %w", err)
	}
	return n, nil
}
