package exam

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/database"
)

// NewLink is a fresh invitation link: the token is shown once, as when the
// invitation was created.
type NewLink struct {
	ID    string `json:"id"`
	Token string `json:"token"`
	Link  string `json:"link"`
}

// IssueLink gives an invitation of actor's organization a fresh token: the
// old one stops working at once (only the hash is stored, and it is
// replaced). The candidate's attempt, if any, is untouched. A revoked
// invitation gets none (ErrInvitationRevoked). Recorded in the audit log.
func (s *Store) IssueLink(ctx context.Context, actor audit.Actor, invitationID, publicURL string) (*NewLink, error) {
	if !ValidID(invitationID) {
		return nil, ErrNotFound
	}
	tok, hash := newToken()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := database.One[struct{ Revoked bool }](tx, ErrNotFound, "lock invitation",
			`SELECT revoked_at IS NOT NULL AS revoked FROM invitations WHERE org_id = ? AND id = ? FOR UPDATE`,
			actor.OrgID, invitationID)
		if err != nil {
			return err
		}
		if row.Revoked {
			return ErrInvitationRevoked
		}
		if err := tx.Exec(`UPDATE invitations SET token_hash = ? WHERE org_id = ? AND id = ?`, hash, actor.OrgID, invitationID).Error; err != nil {
			return err
		}
		// Never the token itself: the log is read by every admin.
		return audit.Record(tx, actor, audit.InvitationLinkIssued, "invitation:"+invitationID, nil)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvitationRevoked) {
			return nil, err
		}
		return nil, fmt.Errorf("exam: new link: %w", err)
	}
	return &NewLink{ID: invitationID, Token: tok, Link: publicURL + "/take/" + tok}, nil
}

// InvitationPatch is PATCH /invitations/{id}: nil fields stay as they are.
// ClosesAtSet with a nil ClosesAt removes the closing time.
type InvitationPatch struct {
	ExtraTimeSeconds *int
	ClosesAtSet      bool
	ClosesAt         *time.Time
}

// MaxExtraTimeSeconds bounds an accommodation: a week.
const MaxExtraTimeSeconds = 7 * 24 * 3600

// UpdateInvitation applies an accommodation to an invitation of actor's
// organization and returns it. An attempt already running gets its deadline
// moved in the same transaction: min(started_at + time limit + extra time,
// closes_at), with submit_by = deadline + grace. The candidate's next read
// and save see it (nothing in this package caches a deadline), and the
// sweeper goes by submit_by. A submitted attempt is not changed: reopening
// is for that. A revoked invitation is ErrInvitationRevoked; rule breaks are
// a *ValidationError. Recorded in the audit log with the values before and
// after.
func (s *Store) UpdateInvitation(ctx context.Context, actor audit.Actor, invitationID string, p InvitationPatch) (*Invitation, error) {
	if !ValidID(invitationID) {
		return nil, ErrNotFound
	}
	var out *Invitation
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []struct {
			ExamID           string
			ExamVersion      int
			OpensAt          *time.Time
			ClosesAt         *time.Time
			ExtraTimeSeconds int
			Revoked          bool
		}
		if err := tx.Raw(`SELECT exam_id, exam_version, opens_at, closes_at, extra_time_seconds, revoked_at IS NOT NULL AS revoked
			FROM invitations WHERE org_id = ? AND id = ? FOR UPDATE`, actor.OrgID, invitationID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrNotFound
		}
		cur := rows[0]
		if cur.Revoked {
			return ErrInvitationRevoked
		}
		extra, closes := cur.ExtraTimeSeconds, cur.ClosesAt
		if p.ExtraTimeSeconds != nil {
			extra = *p.ExtraTimeSeconds
		}
		if p.ClosesAtSet {
			closes = p.ClosesAt
		}
		var pr problems
		if extra < 0 || extra > MaxExtraTimeSeconds {
			pr.add("extra_time_seconds", "out_of_range", P{"min": 0, "max": MaxExtraTimeSeconds}, "must be from 0 to %d seconds (a week)", MaxExtraTimeSeconds)
		}
		if closes != nil && cur.OpensAt != nil && !closes.After(*cur.OpensAt) {
			pr.add("closes_at", "not_after", P{"field": "opens_at"}, "must be after opens_at")
		}
		if err := pr.err("invitation change is not valid"); err != nil {
			return err
		}
		d, err := ReadVersion(ctx, tx, cur.ExamID, cur.ExamVersion)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE invitations SET extra_time_seconds = ?, closes_at = ? WHERE org_id = ? AND id = ?`,
			extra, closes, actor.OrgID, invitationID).Error; err != nil {
			return err
		}
		var moved []struct {
			OldDeadline time.Time
			NewDeadline time.Time
		}
		// The attempt's row lock orders this against a submit or the
		// sweeper: whichever comes second sees the other's result.
		if err := tx.Raw(`WITH old AS (SELECT id, deadline FROM attempts WHERE invitation_id = ? AND org_id = ? AND status = 'in_progress' FOR UPDATE),
			upd AS (UPDATE attempts a SET
				deadline = least(a.started_at + make_interval(secs => ?), coalesce(?::timestamptz, 'infinity')),
				submit_by = least(a.started_at + make_interval(secs => ?), coalesce(?::timestamptz, 'infinity')) + make_interval(secs => ?)
				FROM old WHERE a.id = old.id AND a.status = 'in_progress' RETURNING a.id, a.deadline)
			SELECT old.deadline AS old_deadline, upd.deadline AS new_deadline FROM old JOIN upd ON upd.id = old.id`,
			invitationID, actor.OrgID, d.TimeLimitSeconds+extra, closes, d.TimeLimitSeconds+extra, closes, d.Grace()).Scan(&moved).Error; err != nil {
			return err
		}
		details := map[string]any{
			"before": map[string]any{"extra_time_seconds": cur.ExtraTimeSeconds, "closes_at": cur.ClosesAt},
			"after":  map[string]any{"extra_time_seconds": extra, "closes_at": closes},
		}
		if len(moved) == 1 {
			details["attempt_deadline"] = map[string]any{"before": moved[0].OldDeadline.UTC(), "after": moved[0].NewDeadline.UTC()}
		}
		if err := audit.Record(tx, actor, audit.InvitationChanged, "invitation:"+invitationID, details); err != nil {
			return err
		}
		one, err := database.One[Invitation](tx, ErrNotFound, "read invitation",
			invitationSelect+`WHERE i.org_id = ? AND i.id = ?`, actor.OrgID, invitationID)
		if err != nil {
			return err
		}
		out = one
		return nil
	})
	if err != nil {
		return nil, wrapUnexpected(err, "update invitation", ErrNotFound, ErrInvitationRevoked)
	}
	return out, nil
}
