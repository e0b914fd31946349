package exam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/database"
	"examd/outbox"
)

// KeyAmendment is one change of a frozen question's answer key, as
// (*Store).AmendVersionKey applies it.
type KeyAmendment struct {
	ExamID     string
	Version    int
	QuestionID string
	// Body is the new key in the shape AmendQuestionKey takes.
	Body json.RawMessage
	// Reason is recorded as given (the caller checks and trims it).
	Reason string
	// DryRun does all the work, re-scoring included, and rolls it back.
	DryRun bool
}

// Rescorer re-scores, through tx, the submitted attempts of the amended
// version with d (the document with the new key) and returns what goes
// into the audit row (how many attempts it re-scored and changed, say).
// It runs with the version row locked, and locks the attempts it writes.
type Rescorer func(ctx context.Context, tx *gorm.DB, d *Document) (auditDetails map[string]any, err error)

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("exam: dry run")

// AmendVersionKey replaces the answer key of one question of a frozen
// version of actor's organization and, in the same transaction, lets
// rescore re-score the version's submitted attempts; then it stores the
// amended document, records the change in key_amendments and the audit
// log, and (unless a dry run) forgets the cached copies of the version.
//
// Locking protocol (the one place it is stated): the version row is locked
// FOR UPDATE first, then rescore locks the submitted attempts. A submission
// locks its attempt and then share-locks the version (submitLocked via
// lockVersionForScoring), so it either committed before the amendment took the
// version, and is among the attempts re-scored, or waits for the amendment
// to commit and is scored with the new key. Attempts in progress are not
// locked: candidates keep saving while a key is fixed.
//
// Errors: ErrNotFound for an unknown exam, version or question (or another
// organization's); a *ValidationError for a key that breaks the authoring
// rules; rescore's error as it is.
func (s *Store) AmendVersionKey(ctx context.Context, actor audit.Actor, k KeyAmendment, rescore Rescorer) error {
	if !ValidID(k.ExamID) || k.Version < 1 {
		return ErrNotFound
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		doc, err := database.One[[]byte](tx, ErrNotFound, "exam: lock version",
			`SELECT document FROM exam_versions WHERE org_id = ? AND exam_id = ? AND version = ? FOR UPDATE`,
			actor.OrgID, k.ExamID, k.Version)
		if err != nil {
			return err
		}
		var d Document
		if err := json.Unmarshal(*doc, &d); err != nil {
			return fmt.Errorf("stored version %s/%d: %w", k.ExamID, k.Version, err)
		}
		q := d.FindAnyQuestion(k.QuestionID)
		if q == nil {
			return ErrNotFound
		}
		amended, err := AmendQuestionKey(*q, k.Body)
		if err != nil {
			return err
		}
		oldKey, newKey := KeyOf(q), KeyOf(&amended)
		if oldKey == nil || newKey == nil {
			return fmt.Errorf("question %s has no encodable key", k.QuestionID)
		}
		*q = amended
		details, err := rescore(ctx, tx, &d)
		if err != nil {
			return err
		}
		b, err := json.Marshal(&d)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE exam_versions SET document = ? WHERE org_id = ? AND exam_id = ? AND version = ?`,
			b, actor.OrgID, k.ExamID, k.Version).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO key_amendments (exam_id, version, question_id, by_user, old_key, new_key, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			k.ExamID, k.Version, k.QuestionID, actor.UserID, []byte(oldKey), []byte(newKey), k.Reason).Error; err != nil {
			return err
		}
		if details == nil {
			details = map[string]any{}
		}
		details["reason"], details["old_key"], details["new_key"] = k.Reason, oldKey, newKey
		if err := audit.Record(tx, actor, audit.KeyAmended, fmt.Sprintf("exam:%s/v%d/%s", k.ExamID, k.Version, k.QuestionID), details); err != nil {
			return err
		}
		if err := outbox.Enqueue(tx, actor.OrgID, outbox.KeyAmended, map[string]any{"exam_id": k.ExamID, "version": k.Version,
			"question_id": k.QuestionID, "regraded": details["regraded"]}); err != nil {
			return err
		}
		if k.DryRun {
			return errDryRun
		}
		return nil
	})
	switch {
	case errors.Is(err, errDryRun):
		return nil
	case err == nil:
		s.forgetVersion(k.ExamID, k.Version)
		return nil
	}
	return err
}
