package grading

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"examd/audit"
)

// Erased is what an erasure removed: how many invitations and attempts
// of the candidate lost their personal data.
type Erased struct {
	Invitations int `json:"invitations"`
	Attempts    int `json:"attempts"`
}

// EraseCandidate deletes for good the personal data of every invitation of
// the actor's organization sent to email (compared without case): the
// candidate's name and e-mail, their responses, their events and the client
// addresses those carry, and reviewers' comments on their essays. Scores,
// points and timestamps stay, now anonymous, so results and statistics do
// not move. An erased invitation is revoked, so its link no longer opens.
// The erasure is recorded in the audit log without the address (a record of
// the e-mail would itself be personal data). An address with nothing to
// erase answers zero and records nothing.
func (g *Grader) EraseCandidate(ctx context.Context, actor audit.Actor, email string) (*Erased, error) {
	email = strings.TrimSpace(email)
	out := &Erased{}
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var invs []string
		if err := tx.Raw(`SELECT id FROM invitations WHERE org_id = ? AND lower(candidate_email) = lower(?) ORDER BY id FOR UPDATE`,
			actor.OrgID, email).Scan(&invs).Error; err != nil {
			return err
		}
		if len(invs) == 0 {
			return nil
		}
		var atts []string
		if err := tx.Raw(`SELECT id FROM attempts WHERE invitation_id IN ? ORDER BY id FOR UPDATE`, invs).Scan(&atts).Error; err != nil {
			return err
		}
		if len(atts) > 0 {
			for _, q := range []string{
				`DELETE FROM answers WHERE attempt_id IN ?`,
				`DELETE FROM attempt_events WHERE attempt_id IN ?`,
				`UPDATE review_items SET comment = '' WHERE attempt_id IN ?`,
			} {
				if err := tx.Exec(q, atts).Error; err != nil {
					return err
				}
			}
		}
		if err := tx.Exec(`UPDATE invitations SET candidate_name = '', candidate_email = '', revoked_at = coalesce(revoked_at, now()),
			email_status = CASE WHEN email_status = 'pending' THEN 'failed' ELSE email_status END
			WHERE id IN ?`, invs).Error; err != nil {
			return err
		}
		// The outbox keeps each event's results row (name and e-mail
		// included) for its webhooks, and a pending invitation e-mail its
		// link: blank the one, give up the other.
		if err := tx.Exec(`UPDATE outbox_events SET data = data || '{"candidate_name": "", "candidate_email": ""}'::jsonb
			WHERE org_id = ? AND data->>'invitation_id' IN ?`, actor.OrgID, invs).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE email_outbox SET link = '', status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
			last_error = CASE WHEN status = 'pending' THEN 'candidate erased' ELSE last_error END, lease_until = NULL
			WHERE invitation_id IN ?`, invs).Error; err != nil {
			return err
		}
		out.Invitations, out.Attempts = len(invs), len(atts)
		return audit.Record(tx, actor, audit.CandidateErased, "invitations:"+strings.Join(invs, ","),
			map[string]any{"invitations": out.Invitations, "attempts": out.Attempts})
	})
	if err != nil {
		return nil, fmt.Errorf("grading: erase candidate: %w", err)
	}
	return out, nil
}
