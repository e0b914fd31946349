package grading

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"examd/exam"
)

// Scorer is grading's side of a submission (exam.Scorer): exam's store
// locks and records the submission; the Scorer computes its scores and
// queues its essays for review.
type Scorer struct {
	db *gorm.DB
}

// NewScorer returns the Scorer to build exam's store with:
// exam.NewStore(db, grading.NewScorer(db)).
func NewScorer(db *gorm.DB) *Scorer { return &Scorer{db: db} }

// QuestionPoints returns the points of each question of a submitted
// attempt that has them: objective questions (and empty essays) from its
// recorded scores, essays once a reviewer has scored them.
func (sr *Scorer) QuestionPoints(ctx context.Context, attemptID string) (map[string]float64, error) {
	var raw []byte
	err := sr.db.WithContext(ctx).Raw(`SELECT (coalesce(a.objective_scores, '{}'::jsonb) || coalesce(
			(SELECT jsonb_object_agg(r.question_id, r.points) FROM review_items r
				WHERE r.attempt_id = a.id AND r.`+sqlFinalSlot+` AND r.scored_at IS NOT NULL AND r.points IS NOT NULL), '{}'::jsonb))::text
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

// ScoreSubmission scores the objective questions of an attempt being
// submitted and lists its essays for review (see exam.Scorer); exam records
// the submission with these scores.
func (sr *Scorer) ScoreSubmission(ctx context.Context, tx *gorm.DB, a *exam.SubmittedAttempt) (exam.SubmissionScores, error) {
	responses, err := answersOf(ctx, tx, a.ID)
	if err != nil {
		return exam.SubmissionScores{}, err
	}
	sc := ScoreAttempt(a.Doc, a.Track, responses)
	out := exam.SubmissionScores{Objective: objectiveScores(sc), Auto: sc.Auto, Max: sc.Max}
	if sc.PendingEssays > 0 {
		out.Review = make([]exam.ReviewNeed, 0, sc.PendingEssays)
		for _, q := range sc.Questions {
			if q.NeedsReview {
				out.Review = append(out.Review, exam.ReviewNeed{QuestionID: q.QuestionID, MaxPoints: q.MaxPoints})
			}
		}
		// A first submission's essays are queued by the statement that
		// records it; a reopened attempt's are reconciled by QueueReviews.
		if !a.Reopened {
			out.Queue = queueInsert(a, out.Review)
		}
	}
	return out, nil
}

// queueInsert is the INSERT of the review items of need.
func queueInsert(a *exam.SubmittedAttempt, need []exam.ReviewNeed) exam.Statement {
	vals, args := reviewRows(a, need)
	return exam.Statement{SQL: `INSERT INTO review_items (org_id, exam_id, attempt_id, question_id, max_points, slot, tolerance) VALUES ` +
		strings.Join(vals, ", ") + ` ON CONFLICT (attempt_id, question_id, slot) DO NOTHING`, Args: args}
}

// QueueReviews reconciles the review items of a reopened attempt with its
// new submission. A first submission's items were queued with it
// (SubmissionScores.Queue), so there is nothing left to do for one.
func (sr *Scorer) QueueReviews(ctx context.Context, tx *gorm.DB, a *exam.SubmittedAttempt, sc *exam.SubmissionScores) error {
	if a.Reopened {
		return reconcileReviews(ctx, tx, a, sc.Review)
	}
	return nil
}

// reviewRows writes the VALUES rows of review items for need: one item
// (slot 0) per essay, or with two markers two blind marks (slots 1 and 2)
// that carry the exam's tolerance.
func reviewRows(a *exam.SubmittedAttempt, need []exam.ReviewNeed) ([]string, []any) {
	markers := a.Doc.Markers()
	vals := make([]string, 0, markers*len(need))
	args := make([]any, 0, 7*markers*len(need))
	for _, q := range need {
		if markers == 1 {
			vals = append(vals, "(?, ?, ?, ?, ?, 0, NULL)")
			args = append(args, a.OrgID, a.ExamID, a.ID, q.QuestionID, q.MaxPoints)
			continue
		}
		for slot := 1; slot <= 2; slot++ {
			vals = append(vals, "(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, a.OrgID, a.ExamID, a.ID, q.QuestionID, q.MaxPoints, slot, a.Doc.Tolerance())
		}
	}
	return vals, args
}

// reconcileReviews brings the review items of a reopened attempt in line
// with its new submission, in the submitting transaction. A reviewer's
// score stays when the essay was not saved again after it was scored (the
// reviewer judged the text that is there now); an essay saved since, or one
// now left empty (auto-scored 0), loses its old item. Missing items are
// queued, never twice (one row per attempt and question), and manual_score,
// score, status and passed are then computed from the items as a
// reviewer's score would compute them.
func reconcileReviews(ctx context.Context, tx *gorm.DB, a *exam.SubmittedAttempt, review []exam.ReviewNeed) error {
	db := tx.WithContext(ctx)
	need := make([]string, 0, len(review))
	for _, q := range review {
		need = append(need, q.QuestionID)
	}
	if err := db.Exec(`DELETE FROM review_items r WHERE r.attempt_id = ? AND (
			r.scored_at IS NULL OR NOT (r.question_id = ANY (?::text[])) OR EXISTS (
				SELECT 1 FROM answers x WHERE x.attempt_id = r.attempt_id AND x.question_id = r.question_id AND x.saved_at > r.scored_at))`,
		a.ID, textArray(need)).Error; err != nil {
		return fmt.Errorf("grading: reconcile reviews: %w", err)
	}
	// A final score stands only on both of its marks.
	if err := db.Exec(`DELETE FROM review_items r WHERE r.attempt_id = ? AND r.slot = 3 AND (
			SELECT count(*) FROM review_items m WHERE m.attempt_id = r.attempt_id AND m.question_id = r.question_id AND m.slot IN (1, 2)) < 2`,
		a.ID).Error; err != nil {
		return fmt.Errorf("grading: reconcile reviews: %w", err)
	}
	if len(review) > 0 {
		ins := queueInsert(a, review)
		if err := db.Exec(ins.SQL, ins.Args...).Error; err != nil {
			return fmt.Errorf("grading: queue essays: %w", err)
		}
	}
	if err := finalizeAttempt(ctx, tx, a.ID); err != nil {
		return fmt.Errorf("grading: reconcile reviews: %w", err)
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
