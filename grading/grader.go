package grading

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"examd/exam"
)

// Grader scores submitted attempts, runs the review queue, builds results
// and applies key amendments. Its storage is PostgreSQL, shared with exam.
type Grader struct {
	db    *gorm.DB
	exams *exam.Store
}

// New returns a Grader and installs its submit hook on exams, so that every
// submission (candidate or timeout) is scored in its own transaction.
func New(db *gorm.DB, exams *exam.Store) *Grader {
	g := &Grader{db: db, exams: exams}
	exams.OnSubmit = g.onSubmit
	exams.Points = g.questionPoints
	return g
}

// questionPoints returns the points of each question of a submitted
// attempt that has them: objective questions (and empty essays) from its
// recorded scores, essays once a reviewer has scored them.
func (g *Grader) questionPoints(ctx context.Context, attemptID string) (map[string]float64, error) {
	var raw []byte
	err := g.db.WithContext(ctx).Raw(`SELECT (coalesce(a.objective_scores, '{}'::jsonb) || coalesce(
			(SELECT jsonb_object_agg(r.question_id, r.points) FROM review_items r
				WHERE r.attempt_id = a.id AND r.scored_at IS NOT NULL AND r.points IS NOT NULL), '{}'::jsonb))::text
		FROM attempts a WHERE a.id = ?`, attemptID).Row().Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("grading: question points: %w", err)
	}
	points := map[string]float64{}
	if err := json.Unmarshal(raw, &points); err != nil {
		return nil, fmt.Errorf("grading: question points of %s: %w", attemptID, err)
	}
	return points, nil
}

// answersOf reads an attempt's stored responses through tx.
func answersOf(ctx context.Context, tx *gorm.DB, attemptID string) (map[string]exam.Response, error) {
	// Scanned by hand: GORM's reflection over 50 rows costs more than the
	// query on every submit.
	rows, err := tx.WithContext(ctx).Raw(`SELECT question_id, response FROM answers WHERE attempt_id = ?`, attemptID).Rows()
	if err != nil {
		return nil, fmt.Errorf("grading: read answers: %w", err)
	}
	defer rows.Close()
	out := make(map[string]exam.Response, 64)
	var raw []byte
	for rows.Next() {
		var qid string
		if err := rows.Scan(&qid, &raw); err != nil {
			return nil, fmt.Errorf("grading: read answers: %w", err)
		}
		var resp exam.Response
		// Stored responses were checked against their question when saved.
		if err := json.Unmarshal(raw, &resp); err != nil {
			return nil, fmt.Errorf("grading: stored response %s/%s: %w", attemptID, qid, err)
		}
		out[qid] = resp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("grading: read answers: %w", err)
	}
	return out, nil
}

// objectiveScores maps question id to points for every question scored
// without a reviewer (objective ones and empty essays).
func objectiveScores(sc AttemptScore) map[string]float64 {
	m := make(map[string]float64, len(sc.Questions))
	for _, q := range sc.Questions {
		if !q.NeedsReview {
			m[q.QuestionID] = q.Points
		}
	}
	return m
}

// onSubmit scores the objective questions of an attempt being submitted,
// queues its essays for review and records the submission with the result
// in one UPDATE, inside the submitting transaction (see exam.SubmitHook).
// An attempt without essays to review is graded at once.
func (g *Grader) onSubmit(ctx context.Context, tx *gorm.DB, a *exam.SubmittedAttempt) error {
	responses, err := answersOf(ctx, tx, a.ID)
	if err != nil {
		return err
	}
	sc := ScoreAttempt(a.Doc, a.Track, responses)
	obj, err := json.Marshal(objectiveScores(sc))
	if err != nil {
		return err
	}
	status := "grading"
	var passed *bool
	if sc.PendingEssays == 0 {
		status = "graded"
		p := sc.Auto >= a.Doc.PassScore
		passed = &p
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE attempts SET status = ?, submitted_at = now(), submitted_by = ?,
			objective_scores = ?, auto_score = ?, manual_score = 0,
			score = ?, max_score = ?, passed = ?, graded_at = CASE WHEN ? THEN now() END WHERE id = ?`,
		status, a.SubmittedBy, obj, sc.Auto, sc.Auto, sc.Max, passed, status == "graded", a.ID).Error; err != nil {
		return fmt.Errorf("grading: record scores: %w", err)
	}
	if a.Reopened {
		return g.reconcileReviews(ctx, tx, a, sc)
	}
	if sc.PendingEssays == 0 {
		return nil
	}
	var vals []string
	var args []any
	for _, q := range sc.Questions {
		if q.NeedsReview {
			vals = append(vals, "(?, ?, ?, ?, ?)")
			args = append(args, a.OrgID, a.ExamID, a.ID, q.QuestionID, q.MaxPoints)
		}
	}
	if err := tx.WithContext(ctx).Exec(`INSERT INTO review_items (org_id, exam_id, attempt_id, question_id, max_points) VALUES `+
		strings.Join(vals, ", ")+` ON CONFLICT (attempt_id, question_id) DO NOTHING`, args...).Error; err != nil {
		return fmt.Errorf("grading: queue essays: %w", err)
	}
	return nil
}

// VisibleScore returns an attempt's score for the candidate when the exam
// shows scores and nothing awaits review (ok false otherwise).
func (g *Grader) VisibleScore(ctx context.Context, attemptID string) (score, max float64, ok bool, err error) {
	var rows []struct {
		Status   string
		Score    *float64
		MaxScore *float64
		Show     bool
	}
	err = g.db.WithContext(ctx).Raw(`SELECT a.status, a.score, a.max_score, coalesce((v.document->>'show_score_to_candidate')::boolean, false) AS show
		FROM attempts a JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version WHERE a.id = ?`, attemptID).Scan(&rows).Error
	if err != nil {
		return 0, 0, false, fmt.Errorf("grading: visible score: %w", err)
	}
	if len(rows) == 0 || !rows[0].Show || rows[0].Status != "graded" || rows[0].Score == nil || rows[0].MaxScore == nil {
		return 0, 0, false, nil
	}
	return *rows[0].Score, *rows[0].MaxScore, true, nil
}

// reconcileReviews brings the review items of a reopened attempt in line
// with its new submission, in the submitting transaction. A reviewer's
// score stays when the essay was not saved again after it was scored (the
// reviewer judged the text that is there now); an essay saved since, or one
// now left empty (auto-scored 0), loses its old item. Missing items are
// queued, never twice (one row per attempt and question), and manual_score,
// score, status and passed are then computed from the items as a
// reviewer's score would compute them.
func (g *Grader) reconcileReviews(ctx context.Context, tx *gorm.DB, a *exam.SubmittedAttempt, sc AttemptScore) error {
	db := tx.WithContext(ctx)
	var need []string
	var vals []string
	var args []any
	for _, q := range sc.Questions {
		if q.NeedsReview {
			need = append(need, q.QuestionID)
			vals = append(vals, "(?, ?, ?, ?, ?)")
			args = append(args, a.OrgID, a.ExamID, a.ID, q.QuestionID, q.MaxPoints)
		}
	}
	if err := db.Exec(`DELETE FROM review_items r WHERE r.attempt_id = ? AND (
			r.scored_at IS NULL OR NOT (r.question_id = ANY (?::text[])) OR EXISTS (
				SELECT 1 FROM answers x WHERE x.attempt_id = r.attempt_id AND x.question_id = r.question_id AND x.saved_at > r.scored_at))`,
		a.ID, textArray(need)).Error; err != nil {
		return fmt.Errorf("grading: reconcile reviews: %w", err)
	}
	if len(vals) > 0 {
		if err := db.Exec(`INSERT INTO review_items (org_id, exam_id, attempt_id, question_id, max_points) VALUES `+
			strings.Join(vals, ", ")+` ON CONFLICT (attempt_id, question_id) DO NOTHING`, args...).Error; err != nil {
			return fmt.Errorf("grading: queue essays: %w", err)
		}
	}
	if err := recomputeManual(ctx, tx, a.ID); err != nil {
		return fmt.Errorf("grading: reconcile reviews: %w", err)
	}
	return nil
}

// textArray writes a PostgreSQL text[] literal.
func textArray(items []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
