package grading

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"examd/exam"
)

// AmendResult is the answer to a key amendment: how many attempts were
// re-scored and those whose total score moved.
type AmendResult struct {
	Regraded int           `json:"regraded"`
	Changed  []ScoreChange `json:"changed"`
}

// ScoreChange is one attempt whose score an amendment moved.
type ScoreChange struct {
	AttemptID string  `json:"attempt_id"`
	OldScore  float64 `json:"old_score"`
	NewScore  float64 `json:"new_score"`
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("grading: dry run")

// AmendKey replaces the answer key of question questionID in version
// version of exam examID (of orgID) with body ({answer}, {answers} or
// {blanks}, as exam.AmendKey takes) and re-scores every submitted attempt of
// that version, all in one transaction. Reviewers' essay scores are kept:
// score = new auto_score + the attempt's manual_score, and a graded attempt
// has passed decided again. The amendment is recorded in key_amendments
// with userID, the old key and the new key.
//
// With dryRun the same work is done and rolled back: nothing is written and
// the result is the diff the real amendment would give (unless attempts are
// submitted in between).
//
// Errors: ErrNotFound for an unknown exam, version or question (or another
// organization's); a *exam.ValidationError for a key that breaks the
// authoring rules.
//
// Locks are taken attempts first (all of the version's, in progress too),
// then the version row: a submission locks its attempt before reading the
// version, so an attempt being submitted is waited for and re-scored with
// the status it then has, and one submitted later reads the amended key.
// Only an attempt started after that lock and submitted before the commit
// escapes it; catchUp re-scores those right after the commit.
func (g *Grader) AmendKey(ctx context.Context, orgID, userID, examID string, version int, questionID string,
	body json.RawMessage, dryRun bool) (*AmendResult, error) {
	if !validID(examID) || version < 1 {
		return nil, ErrNotFound
	}
	res := &AmendResult{Changed: []ScoreChange{}}
	var startedAt time.Time
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw(`SELECT count(*) FROM exam_versions WHERE org_id = ? AND exam_id = ? AND version = ?`,
			orgID, examID, version).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := tx.Raw(`SELECT now()`).Scan(&startedAt).Error; err != nil {
			return err
		}
		var attempts []lockedAttempt
		if err := tx.Raw(`SELECT id, track, status, manual_score, score FROM attempts
			WHERE org_id = ? AND exam_id = ? AND exam_version = ? ORDER BY id FOR UPDATE`,
			orgID, examID, version).Scan(&attempts).Error; err != nil {
			return err
		}
		var docs [][]byte
		if err := tx.Raw(`SELECT document FROM exam_versions WHERE org_id = ? AND exam_id = ? AND version = ? FOR UPDATE`,
			orgID, examID, version).Scan(&docs).Error; err != nil {
			return err
		}
		if len(docs) == 0 {
			return ErrNotFound
		}
		var d exam.Document
		if err := json.Unmarshal(docs[0], &d); err != nil {
			return fmt.Errorf("stored version %s/%d: %w", examID, version, err)
		}
		q := findQuestion(&d, questionID)
		if q == nil {
			return ErrNotFound
		}
		amended, err := exam.AmendKey(*q, body)
		if err != nil {
			return err
		}
		oldKey, newKey := exam.KeyOf(q), exam.KeyOf(&amended)
		if oldKey == nil || newKey == nil {
			return fmt.Errorf("question %s has no encodable key", questionID)
		}
		*q = amended

		changed, regraded, err := rescore(tx, orgID, examID, version, &d, attempts, time.Time{})
		if err != nil {
			return err
		}
		res.Changed, res.Regraded = append(res.Changed, changed...), regraded
		doc, err := json.Marshal(&d)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE exam_versions SET document = ? WHERE org_id = ? AND exam_id = ? AND version = ?`,
			doc, orgID, examID, version).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO key_amendments (exam_id, version, question_id, by_user, old_key, new_key) VALUES (?, ?, ?, ?, ?, ?)`,
			examID, version, questionID, userID, []byte(oldKey), []byte(newKey)).Error; err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	switch {
	case errors.Is(err, errDryRun):
		return res, nil
	case err == nil:
		g.exams.ForgetVersion(examID, version)
		if err := g.catchUp(ctx, orgID, examID, version, startedAt); err != nil {
			return nil, fmt.Errorf("grading: the amendment is recorded, but re-scoring attempts submitted meanwhile failed: %w", err)
		}
		return res, nil
	}
	var ve *exam.ValidationError
	if errors.Is(err, ErrNotFound) || errors.As(err, &ve) {
		return nil, err
	}
	return nil, fmt.Errorf("grading: amend key: %w", err)
}

// lockedAttempt is an attempt as an amendment re-scores it.
type lockedAttempt struct {
	ID          string
	Track       string
	Status      string
	ManualScore *float64
	Score       *float64
}

// rescore re-scores, with d, the attempts of a version past in_progress
// (locked by tx) and stores their objective_scores, auto_score, max_score,
// score = auto + the reviewers' manual_score, and passed for graded ones.
// It returns those whose score moved and how many it re-scored.
// Only answers of attempts submitted at or after since are read.
func rescore(tx *gorm.DB, orgID, examID string, version int, d *exam.Document, attempts []lockedAttempt, since time.Time) ([]ScoreChange, int, error) {
	submitted := 0
	for _, a := range attempts {
		if a.Status != "in_progress" {
			submitted++
		}
	}
	if submitted == 0 {
		return nil, 0, nil
	}
	var rows []struct {
		AttemptID  string
		QuestionID string
		Response   []byte
	}
	// A join rather than a list of ids: a version may have more attempts
	// than a statement may have parameters.
	if err := tx.Raw(`SELECT x.attempt_id, x.question_id, x.response FROM answers x JOIN attempts a ON a.id = x.attempt_id
		WHERE a.org_id = ? AND a.exam_id = ? AND a.exam_version = ? AND a.status <> 'in_progress' AND a.submitted_at >= ?`,
		orgID, examID, version, since).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	responses := map[string]map[string]exam.Response{}
	for _, r := range rows {
		var resp exam.Response
		if err := json.Unmarshal(r.Response, &resp); err != nil {
			return nil, 0, fmt.Errorf("stored response %s/%s: %w", r.AttemptID, r.QuestionID, err)
		}
		if responses[r.AttemptID] == nil {
			responses[r.AttemptID] = map[string]exam.Response{}
		}
		responses[r.AttemptID][r.QuestionID] = resp
	}
	type update struct {
		ID     string             `json:"id"`
		Obj    map[string]float64 `json:"obj"`
		Auto   float64            `json:"auto"`
		Max    float64            `json:"max"`
		Score  float64            `json:"score"`
		Passed *bool              `json:"passed"`
	}
	updates := make([]update, 0, submitted)
	var changed []ScoreChange
	for _, a := range attempts {
		if a.Status == "in_progress" {
			continue
		}
		sc := ScoreAttempt(d, a.Track, responses[a.ID])
		var manual float64
		if a.ManualScore != nil {
			manual = *a.ManualScore
		}
		u := update{ID: a.ID, Obj: objectiveScores(sc), Auto: sc.Auto, Max: sc.Max, Score: sc.Auto + manual}
		if a.Status == "graded" {
			p := u.Score >= d.PassScore
			u.Passed = &p
		}
		updates = append(updates, u)
		if a.Score == nil || *a.Score != u.Score {
			var old float64
			if a.Score != nil {
				old = *a.Score
			}
			changed = append(changed, ScoreChange{AttemptID: a.ID, OldScore: old, NewScore: u.Score})
		}
	}
	batch, err := json.Marshal(updates)
	if err != nil {
		return nil, 0, err
	}
	if err := tx.Exec(`UPDATE attempts a SET objective_scores = u.obj, auto_score = u.auto, max_score = u.max,
			score = u.score, passed = u.passed
		FROM jsonb_to_recordset(?::jsonb) AS u(id uuid, obj jsonb, auto numeric, max numeric, score numeric, passed boolean)
		WHERE a.id = u.id`, string(batch)).Error; err != nil {
		return nil, 0, err
	}
	return changed, len(updates), nil
}

// catchUp re-scores, with the version as it now stands, the attempts
// submitted since the amendment began. An attempt started after the
// amendment locked the version's attempts, and submitted before it
// committed, was scored with the old key: exam's submit reads the version
// without a lock. Every such submission has committed, or holds its
// attempt's lock, by now; later ones read the amended version.
func (g *Grader) catchUp(ctx context.Context, orgID, examID string, version int, since time.Time) error {
	return g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var attempts []lockedAttempt
		if err := tx.Raw(`SELECT id, track, status, manual_score, score FROM attempts
			WHERE org_id = ? AND exam_id = ? AND exam_version = ? AND (status = 'in_progress' OR submitted_at >= ?)
			ORDER BY id FOR UPDATE`, orgID, examID, version, since).Scan(&attempts).Error; err != nil {
			return err
		}
		late := attempts[:0]
		for _, a := range attempts {
			if a.Status != "in_progress" {
				late = append(late, a)
			}
		}
		if len(late) == 0 {
			return nil
		}
		d, err := exam.Frozen(ctx, tx, examID, version)
		if err != nil {
			return err
		}
		_, _, err = rescore(tx, orgID, examID, version, d, late, since)
		return err
	})
}

// findQuestion returns the question with id in d (in any track), or nil.
func findQuestion(d *exam.Document, id string) *exam.Question {
	var found *exam.Question
	d.Questions(func(_, _ int, _ *exam.Section, q *exam.Question) {
		if found == nil && q.ID == id {
			found = q
		}
	})
	return found
}
