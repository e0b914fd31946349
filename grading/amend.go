package grading

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"examd/audit"
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

// AmendKey replaces the answer key of question questionID in version
// version of exam examID (of actor's organization) with body ({answer},
// {answers} or {blanks}, as exam.AmendQuestionKey takes) and re-scores every
// submitted attempt of that version, all in one transaction
// (exam's AmendVersionKey, which states the locking protocol). Reviewers'
// essay scores are kept: score = new auto_score + the attempt's
// manual_score, and a graded attempt has passed decided again.
//
// With dryRun the same work is done and rolled back: nothing is written and
// the result is the diff the real amendment would give (unless attempts are
// submitted in between).
//
// Errors: ErrNotFound for an unknown exam, version or question (or another
// organization's); a *exam.ValidationError for a key that breaks the
// authoring rules or an overlong reason.
func (g *Grader) AmendKey(ctx context.Context, actor audit.Actor, examID string, version int, questionID string,
	body json.RawMessage, reason string, dryRun bool) (*AmendResult, error) {
	// The reason is asked for by the web app's form; the API keeps it
	// optional, since v1 of the contract amends with the key alone.
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxReasonChars {
		return nil, &exam.ValidationError{Message: "answer key is not valid", Problems: []exam.FieldError{
			exam.Problem("reason", "too_long", exam.P{"max": MaxReasonChars}, fmt.Sprintf("must be at most %d characters", MaxReasonChars))}}
	}
	res := &AmendResult{Changed: []ScoreChange{}}
	err := g.exams.AmendVersionKey(ctx, actor, exam.KeyAmendment{ExamID: examID, Version: version, QuestionID: questionID,
		Body: body, Reason: reason, DryRun: dryRun},
		func(ctx context.Context, tx *gorm.DB, d *exam.Document) (map[string]any, error) {
			var attempts []lockedAttempt
			if err := tx.WithContext(ctx).Raw(`SELECT id, track, drawn, status, manual_score, score FROM attempts
				WHERE org_id = ? AND exam_id = ? AND exam_version = ? AND status <> 'in_progress' ORDER BY id FOR UPDATE`,
				actor.OrgID, examID, version).Scan(&attempts).Error; err != nil {
				return nil, err
			}
			changed, regraded, err := rescore(tx, actor.OrgID, examID, version, d, attempts)
			if err != nil {
				return nil, err
			}
			res.Changed, res.Regraded = append(res.Changed, changed...), regraded
			return map[string]any{"regraded": res.Regraded, "changed": len(res.Changed)}, nil
		})
	var ve *exam.ValidationError
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, exam.ErrNotFound):
		return nil, ErrNotFound
	case errors.As(err, &ve):
		return nil, err
	}
	return nil, fmt.Errorf("grading: amend key: %w", err)
}

// lockedAttempt is an attempt as an amendment re-scores it.
type lockedAttempt struct {
	ID          string
	Track       string
	Drawn       exam.DrawnIDs
	Status      string
	ManualScore *float64
	Score       *float64
}

// rescore re-scores, with d, the attempts of a version past in_progress
// (locked by tx) and stores their objective_scores, auto_score, max_score,
// score = auto + the reviewers' manual_score, and passed for graded ones.
// It returns those whose score moved and how many it re-scored.
func rescore(tx *gorm.DB, orgID, examID string, version int, d *exam.Document, attempts []lockedAttempt) ([]ScoreChange, int, error) {
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
		WHERE a.org_id = ? AND a.exam_id = ? AND a.exam_version = ? AND a.status <> 'in_progress'`,
		orgID, examID, version).Scan(&rows).Error; err != nil {
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
		sc := ScoreAttempt(d.ForAttempt(a.Drawn), a.Track, responses[a.ID])
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
