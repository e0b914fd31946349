package grading

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"examd/audit"
	"examd/exam"
	"examd/internal/database"
)

// MaxReasonChars bounds the reason of a reopen or a key amendment.
const MaxReasonChars = 1000

// Reopen puts an attempt of actor's organization that the server submitted
// at timeout back in progress, with deadline = now + extraSeconds (submit_by
// = deadline + grace), an accommodation after the fact. Its saved answers
// stay. Its scores are cleared (results show it in progress) and are
// computed again when it is submitted again, with the key as it is then.
// Review items not yet scored are withdrawn (a reviewer must not judge an
// essay that may still change); scored ones are kept and reconciled at the
// next submission (see reconcileReviews). Recorded in the audit log with
// the reason and what the attempt was before.
//
// Errors: ErrNotFound, ErrNotReopenable, a *exam.ValidationError for
// extraSeconds outside 1 … a week or a missing or overlong reason.
func (g *Grader) Reopen(ctx context.Context, actor audit.Actor, attemptID string, extraSeconds int, reason string) (*AttemptDetail, error) {
	if !exam.ValidID(attemptID) {
		return nil, ErrNotFound
	}
	var problems []exam.FieldError
	if extraSeconds < 1 || extraSeconds > exam.MaxExtraTimeSeconds {
		problems = append(problems, exam.Problem("extra_seconds", "out_of_range", exam.P{"min": 1, "max": exam.MaxExtraTimeSeconds}, fmt.Sprintf("must be from 1 to %d seconds (a week)", exam.MaxExtraTimeSeconds)))
	}
	if strings.TrimSpace(reason) == "" {
		problems = append(problems, exam.Problem("reason", "required", nil, "is required: say why the attempt is reopened"))
	} else if len([]rune(reason)) > MaxReasonChars {
		problems = append(problems, exam.Problem("reason", "too_long", exam.P{"max": MaxReasonChars}, fmt.Sprintf("must be at most %d characters", MaxReasonChars)))
	}
	if len(problems) > 0 {
		return nil, &exam.ValidationError{Message: "reopen is not valid", Problems: problems}
	}
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := database.One[struct {
			ExamID      string
			ExamVersion int
			Status      string
			SubmittedBy *string
			SubmittedAt *time.Time
			Score       *float64
		}](tx, ErrNotFound, "lock attempt",
			`SELECT exam_id, exam_version, status, submitted_by, submitted_at, score FROM attempts
			WHERE org_id = ? AND id = ? FOR UPDATE`, actor.OrgID, attemptID)
		if err != nil {
			return err
		}
		r := *row
		if r.Status == "in_progress" || r.SubmittedBy == nil || *r.SubmittedBy != "timeout" {
			return ErrNotReopenable
		}
		d, err := exam.ReadVersion(ctx, tx, r.ExamID, r.ExamVersion)
		if err != nil {
			return err
		}
		var deadline time.Time
		if err := tx.Raw(`UPDATE attempts SET status = 'in_progress', deadline = now() + make_interval(secs => ?),
				submit_by = now() + make_interval(secs => ?), submitted_at = NULL, submitted_by = NULL,
				objective_scores = NULL, auto_score = NULL, manual_score = NULL, score = NULL, max_score = NULL,
				passed = NULL, graded_at = NULL, reopened_at = now()
			WHERE org_id = ? AND id = ? RETURNING deadline`, extraSeconds, extraSeconds+d.Grace(), actor.OrgID, attemptID).
			Scan(&deadline).Error; err != nil {
			return err
		}
		var withdrawn int64
		res := tx.Exec(`DELETE FROM review_items WHERE org_id = ? AND attempt_id = ? AND scored_at IS NULL`, actor.OrgID, attemptID)
		if res.Error != nil {
			return res.Error
		}
		withdrawn = res.RowsAffected
		return audit.Record(tx, actor, audit.AttemptReopened, "attempt:"+attemptID, map[string]any{
			"reason": reason, "extra_seconds": extraSeconds, "deadline": deadline.UTC(),
			"before":                 map[string]any{"status": r.Status, "submitted_at": r.SubmittedAt, "score": r.Score},
			"review_items_withdrawn": withdrawn,
		})
	})
	if err != nil {
		var ve *exam.ValidationError
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrNotReopenable) || errors.As(err, &ve) {
			return nil, err
		}
		return nil, fmt.Errorf("grading: reopen: %w", err)
	}
	return g.AttemptDetail(ctx, actor.OrgID, attemptID)
}
