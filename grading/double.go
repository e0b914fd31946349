package grading

import (
	"context"
	"fmt"
	"math"

	"gorm.io/gorm"

	"examd/audit"
)

// Double marking: an essay of an exam with review.markers = 2 has two
// blind marks (review items of slots 1 and 2) and, once both are in, a
// final item (slot 3): the marks' mean when they lie within the exam's
// tolerance, else an item that waits for an admin to moderate it. Slot 0
// is a single-marked essay's only item, its final score too. Only final
// items (slots 0 and 3) count towards an attempt's score.

const (
	slotSingle = 0
	slotFinal  = 3
)

// sqlFinalSlot is that rule in SQL, written here only: the condition on
// review_items.slot that keeps an essay's final items (slotSingle and
// slotFinal). Every query that sums, lists or shows final scores uses it;
// where a query names the table, it qualifies the column: "r."+sqlFinalSlot.
const sqlFinalSlot = "slot IN (0, 3)"

// finalizeEssay writes the final item of one double-marked essay of an
// attempt from its marks, in tx, with the attempt row locked by the
// caller (so the two marks' transactions take turns here and the second
// sees the first). Nothing happens until both marks are in, or when an
// admin has already moderated the essay: a moderator's score is final.
// Marks within tolerance give a final item scored with their mean (by
// nobody); marks farther apart give (or turn the mean into) an unscored
// final item, the moderation item.
func finalizeEssay(ctx context.Context, tx *gorm.DB, attemptID, questionID string) error {
	var items []struct {
		ID        string
		Slot      int
		Points    *float64
		Scored    bool
		ScoredBy  *string
		Tolerance *float64
		OrgID     string
		ExamID    string
		MaxPoints float64
	}
	if err := tx.WithContext(ctx).Raw(`SELECT id, slot, points, scored_at IS NOT NULL AS scored, scored_by, tolerance, org_id, exam_id, max_points
		FROM review_items WHERE attempt_id = ? AND question_id = ? AND slot > 0 ORDER BY slot`, attemptID, questionID).Scan(&items).Error; err != nil {
		return err
	}
	var marks []float64
	tolerance := 0.0
	finalID, finalScored, moderated := "", false, false
	var finalPoints *float64
	org, examID, maxPoints := "", "", 0.0
	for _, it := range items {
		switch it.Slot {
		case 1, 2:
			org, examID, maxPoints = it.OrgID, it.ExamID, it.MaxPoints
			if it.Tolerance != nil {
				tolerance = *it.Tolerance
			}
			if it.Scored && it.Points != nil {
				marks = append(marks, *it.Points)
			}
		case slotFinal:
			finalID, finalScored, moderated, finalPoints = it.ID, it.Scored, it.ScoredBy != nil, it.Points
		}
	}
	if len(marks) < 2 || moderated {
		return nil
	}
	db := tx.WithContext(ctx)
	if math.Abs(marks[0]-marks[1]) <= tolerance {
		mean := (marks[0] + marks[1]) / 2
		if finalID == "" {
			return db.Exec(`INSERT INTO review_items (org_id, exam_id, attempt_id, question_id, max_points, slot, points, scored_at)
				VALUES (?, ?, ?, ?, ?, 3, ?, now())`, org, examID, attemptID, questionID, maxPoints, mean).Error
		}
		if finalScored && finalPoints != nil && *finalPoints == mean {
			return nil
		}
		return db.Exec(`UPDATE review_items SET points = ?, scored_at = now(), claimed_by = NULL, lease_expires_at = NULL
			WHERE id = ?`, mean, finalID).Error
	}
	if finalID == "" {
		return db.Exec(`INSERT INTO review_items (org_id, exam_id, attempt_id, question_id, max_points, slot)
			VALUES (?, ?, ?, ?, ?, 3)`, org, examID, attemptID, questionID, maxPoints).Error
	}
	if !finalScored {
		return nil // already waiting for a moderator (perhaps claimed)
	}
	return db.Exec(`UPDATE review_items SET points = NULL, scored_at = NULL, claimed_by = NULL, lease_expires_at = NULL
		WHERE id = ?`, finalID).Error
}

// finalizeAttempt runs finalizeEssay for every double-marked essay of an
// attempt (after a reopened attempt's items were reconciled).
func finalizeAttempt(ctx context.Context, tx *gorm.DB, attemptID string) error {
	var questions []string
	if err := tx.WithContext(ctx).Raw(`SELECT DISTINCT question_id FROM review_items WHERE attempt_id = ? AND slot IN (1, 2) ORDER BY question_id`,
		attemptID).Scan(&questions).Error; err != nil {
		return err
	}
	for _, q := range questions {
		if err := finalizeEssay(ctx, tx, attemptID, q); err != nil {
			return fmt.Errorf("finalize %s: %w", q, err)
		}
	}
	return nil
}

// lockAttempt takes the attempt row's lock in tx.
func lockAttempt(ctx context.Context, tx *gorm.DB, attemptID string) error {
	return tx.WithContext(ctx).Exec(`SELECT 1 FROM attempts WHERE id = ? FOR UPDATE`, attemptID).Error
}

// afterScore brings an attempt up to date after one of its items was
// scored or revised, in the scoring transaction: the attempt is locked,
// a mark's essay finalized, a moderation recorded in the audit log, and
// the attempt's scores and status recomputed.
func afterScore(ctx context.Context, tx *gorm.DB, actor audit.Actor, itemID, attemptID, questionID string, slot int, points float64) error {
	if err := lockAttempt(ctx, tx, attemptID); err != nil {
		return err
	}
	switch slot {
	case 1, 2:
		if err := finalizeEssay(ctx, tx, attemptID, questionID); err != nil {
			return err
		}
	case slotFinal:
		if err := audit.Record(tx, actor, audit.EssayModerated, "review_item:"+itemID, map[string]any{
			"attempt_id": attemptID, "question_id": questionID, "points": points,
		}); err != nil {
			return err
		}
	}
	return recomputeManual(ctx, tx, attemptID)
}
