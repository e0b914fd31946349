package grading

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"examd/audit"
	"examd/exam"
	"examd/internal/database"
	"examd/outbox"
)

// LeaseDuration is how long a claimed item stays with its reviewer.
const LeaseDuration = 15 * time.Minute

// maxCommentChars bounds a reviewer's comment.
const maxCommentChars = 10000

// ClaimedItem is the blind view of a review item: the question and the
// candidate's text, with nothing that identifies the candidate, the
// invitation or the attempt.
type ClaimedItem struct {
	ID             string         `json:"id"`
	ExamTitle      string         `json:"exam_title"`
	Question       ReviewQuestion `json:"question"`
	Response       ReviewResponse `json:"response"`
	LeaseExpiresAt time.Time      `json:"lease_expires_at"`
	// Moderation is present only on a moderation item (an admin's claim):
	// the two marks the essay got, and the exam's tolerance.
	Moderation *Moderation `json:"moderation,omitempty"`
}

// Moderation is what a moderator sees beside the essay: both marks, each
// with its criteria and comment, and how far apart they may lie.
type Moderation struct {
	Marks     []ModerationMark `json:"marks"`
	Tolerance float64          `json:"tolerance"`
}

// ModerationMark is one reviewer's mark of the essay being moderated.
type ModerationMark struct {
	Points   float64     `json:"points"`
	Criteria []Criterion `json:"criteria"`
	Comment  string      `json:"comment"`
}

// ReviewQuestion is the essay question a reviewer scores against.
type ReviewQuestion struct {
	Prompt          string            `json:"prompt"`
	Points          float64           `json:"points"`
	ReferenceAnswer string            `json:"reference_answer"`
	Rubric          []exam.RubricItem `json:"rubric"`
}

// ReviewResponse is the candidate's essay.
type ReviewResponse struct {
	Text string `json:"text"`
}

// examInOrg checks that examID names an exam of orgID (ErrNotFound
// otherwise, a malformed id included).
func examInOrg(ctx context.Context, db *gorm.DB, orgID, examID string) error {
	if !exam.ValidID(examID) {
		return ErrNotFound
	}
	var n int64
	if err := db.WithContext(ctx).Raw(`SELECT count(*) FROM exams WHERE org_id = ? AND id = ?`, orgID, examID).Scan(&n).Error; err != nil {
		return fmt.Errorf("grading: find exam: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Claim gives reviewerID the next essay to score, or nil when nothing waits.
// examID "" means any exam of the organization; otherwise it must name one
// of its exams (ErrNotFound).
//
// A reviewer who already holds a live lease gets that same item back (with
// its lease unchanged), whatever examID asks for: a reviewer holds at most
// one item. Otherwise the oldest unscored item without a live lease is
// taken with FOR UPDATE SKIP LOCKED (items this reviewer released come
// after every other waiting item), so concurrent claims by different
// reviewers never take the same item, and leased for LeaseDuration by the
// database clock. One reviewer's concurrent claims are serialised by an
// advisory lock on the reviewer id, so they cannot take two items.
func (g *Grader) Claim(ctx context.Context, orgID, reviewerID, examID string) (*ClaimedItem, error) {
	return g.claim(ctx, orgID, reviewerID, examID, false)
}

// ClaimModeration gives adminID the next double-marked essay whose two
// marks lie beyond tolerance, with both marks and comments, or nil when
// none waits; leased, held one at a time and released like any claim.
// Essays the admin marked come after every other waiting one.
func (g *Grader) ClaimModeration(ctx context.Context, orgID, adminID, examID string) (*ClaimedItem, error) {
	return g.claim(ctx, orgID, adminID, examID, true)
}

// claimSQL is a claim in one statement: the item the reviewer holds
// (@me's live lease on the item review_holds points to) or else the one it
// takes (and points review_holds to), with the blind view of it. No index
// covers the columns a claim sets, so the take is a HOT update.
// The take reads the queue through a partial index that matches its
// predicate and order (review_items_marks_queue_idx, or
// review_items_moderation_queue_idx with moderation), so it stops at the
// first item it may have instead of sorting the queue: first among the
// items @me has not given back (and, moderating, whose essay @me did not
// mark), then, only when none of those waits, among all. A mark (slots 0
// to 2) is never one whose essay's other mark @me holds or scored. With
// byExam the queue is exam @exam's, and the held item is returned only
// when @exam is an exam of @org (so that a caller can tell a wrong exam
// from an empty queue when nothing comes back).
func claimSQL(moderation, byExam bool) string {
	queue := `r.org_id = @org AND r.scored_at IS NULL AND (r.lease_expires_at IS NULL OR r.lease_expires_at <= now())`
	heldExam := ""
	if byExam {
		queue += ` AND r.exam_id = @exam`
		heldExam = ` AND EXISTS (SELECT 1 FROM exams e WHERE e.org_id = @org AND e.id = @exam)`
	}
	fresh := ` AND NOT EXISTS (SELECT 1 FROM review_releases rr WHERE rr.item_id = r.id AND rr.reviewer_id = @me)`
	if moderation {
		queue += ` AND r.slot = 3`
		fresh += ` AND NOT EXISTS (SELECT 1 FROM review_items o WHERE o.attempt_id = r.attempt_id
			AND o.question_id = r.question_id AND o.slot IN (1, 2) AND o.scored_by = @me)`
	} else {
		queue += ` AND r.slot < 3 AND (r.slot = 0 OR NOT EXISTS (SELECT 1 FROM review_items o
			WHERE o.attempt_id = r.attempt_id AND o.question_id = r.question_id
			AND o.slot IN (1, 2) AND o.id <> r.id AND (o.claimed_by = @me OR o.scored_by = @me)))`
	}
	take := `SELECT r.id FROM review_items r WHERE ` + queue
	const order = ` ORDER BY r.created_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED`
	return `WITH held AS (
			SELECT r.id, r.slot, r.attempt_id, r.question_id, r.lease_expires_at
			FROM review_holds h JOIN review_items r ON r.id = h.item_id
			WHERE h.reviewer_id = @me AND r.org_id = @org AND r.claimed_by = @me AND r.scored_at IS NULL
			AND r.lease_expires_at > now()` + heldExam + `),
		fresh AS (` + take + fresh + order + `),
		later AS (` + take + order + `),
		pick AS (SELECT id FROM fresh UNION ALL SELECT id FROM later LIMIT 1),
		taken AS (
			UPDATE review_items SET claimed_by = @me, lease_expires_at = now() + make_interval(secs => @lease)
			WHERE id = (SELECT id FROM pick) AND NOT EXISTS (SELECT 1 FROM held)
			RETURNING id, slot, attempt_id, question_id, lease_expires_at),
		hold AS (
			INSERT INTO review_holds (reviewer_id, item_id) SELECT @me, id FROM taken
			ON CONFLICT (reviewer_id) DO UPDATE SET item_id = excluded.item_id)
		SELECT r.id, r.slot, r.attempt_id, r.question_id, r.lease_expires_at, ` + exam.SQLVersionTitle + ` AS title,
			` + exam.SQLReviewQuestion + ` AS question, ans.response
		FROM (SELECT * FROM held UNION ALL SELECT * FROM taken) r
		JOIN attempts a ON a.id = r.attempt_id
		JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version
		LEFT JOIN answers ans ON ans.attempt_id = r.attempt_id AND ans.question_id = r.question_id`
}

// claimedRow is a row of claimSQL.
type claimedRow struct {
	ID             string
	Title          string
	Question       []byte
	Response       []byte
	LeaseExpiresAt time.Time
	Slot           int
	AttemptID      string
	QuestionID     string
}

// claim is Claim (marks: slots 0 to 2; a reviewer never gets both marks of
// one essay) or, with moderation, ClaimModeration (final items, slot 3):
// the advisory lock, then claimSQL, in one transaction. The exam is looked
// up only when nothing comes back, to answer ErrNotFound for a wrong one.
func (g *Grader) claim(ctx context.Context, orgID, reviewerID, examID string, moderation bool) (*ClaimedItem, error) {
	if examID != "" && !exam.ValidID(examID) {
		return nil, ErrNotFound
	}
	var rows []claimedRow
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtextextended('examd.review_claim:' || ?::text, 0))`, reviewerID).Error; err != nil {
			return err
		}
		return tx.Raw(claimSQL(moderation, examID != ""), map[string]any{
			"org": orgID, "me": reviewerID, "exam": examID, "lease": LeaseDuration.Seconds(),
		}).Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("grading: claim: %w", err)
	}
	if len(rows) == 0 {
		if examID != "" {
			if err := examInOrg(ctx, g.db, orgID, examID); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	return g.blindView(ctx, rows[0])
}

// blindView decodes a claimed item's question (from its attempt's version,
// keys as amended) and the candidate's text; a moderation item gets the
// essay's two marks too.
func (g *Grader) blindView(ctx context.Context, r claimedRow) (*ClaimedItem, error) {
	var err error
	out := &ClaimedItem{ID: r.ID, ExamTitle: r.Title, LeaseExpiresAt: r.LeaseExpiresAt.UTC()}
	var q exam.Question
	if len(r.Question) > 0 {
		if err := json.Unmarshal(r.Question, &q); err != nil {
			return nil, fmt.Errorf("grading: stored question of review item %s: %w", r.ID, err)
		}
	}
	out.Question = ReviewQuestion{Prompt: q.Prompt, Points: q.Points, ReferenceAnswer: q.ReferenceAnswer, Rubric: q.Rubric}
	if out.Question.Rubric == nil {
		out.Question.Rubric = []exam.RubricItem{}
	}
	if len(r.Response) > 0 {
		var resp exam.Response
		if err := json.Unmarshal(r.Response, &resp); err != nil {
			return nil, fmt.Errorf("grading: stored response of review item %s: %w", r.ID, err)
		}
		if resp.Text != nil {
			out.Response.Text = *resp.Text
		}
	}
	if r.Slot == slotFinal {
		if out.Moderation, err = g.moderationMarks(ctx, r.AttemptID, r.QuestionID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// moderationMarks reads the two marks of a double-marked essay.
func (g *Grader) moderationMarks(ctx context.Context, attemptID, questionID string) (*Moderation, error) {
	var marks []struct {
		Points    float64
		Criteria  []byte
		Comment   string
		Tolerance *float64
	}
	if err := g.db.WithContext(ctx).Raw(`SELECT points, criteria, comment, tolerance FROM review_items
		WHERE attempt_id = ? AND question_id = ? AND slot IN (1, 2) AND scored_at IS NOT NULL ORDER BY scored_at, slot`,
		attemptID, questionID).Scan(&marks).Error; err != nil {
		return nil, fmt.Errorf("grading: read marks: %w", err)
	}
	m := &Moderation{Marks: make([]ModerationMark, 0, len(marks))}
	for _, mk := range marks {
		crit, err := criteriaOf(mk.Criteria)
		if err != nil {
			return nil, fmt.Errorf("grading: stored criteria: %w", err)
		}
		m.Marks = append(m.Marks, ModerationMark{Points: mk.Points, Criteria: crit, Comment: mk.Comment})
		if mk.Tolerance != nil {
			m.Tolerance = *mk.Tolerance
		}
	}
	return m, nil
}

// ScoredItem acknowledges a reviewer's score.
type ScoredItem struct {
	ID       string      `json:"id"`
	Points   float64     `json:"points"`
	Criteria []Criterion `json:"criteria"`
	Comment  string      `json:"comment"`
	ScoredAt time.Time   `json:"scored_at"`
	// RevisedAt is when the scorer last changed the score (null: never).
	RevisedAt *time.Time `json:"revised_at"`
}

// checkPoints reports a score outside 0 … max or not a multiple of 0.5.
func checkPoints(points, max float64) error {
	var fe exam.FieldError
	switch {
	case math.IsNaN(points) || math.IsInf(points, 0):
		fe = exam.Problem("points", "wrong_type", exam.P{"expected": "number"}, "must be a number")
	case points < 0 || points > max:
		fe = exam.Problem("points", "out_of_range", exam.P{"min": 0, "max": max}, fmt.Sprintf("must lie between 0 and %s", exam.FormatPoints(max)))
	case points*2 != math.Trunc(points*2):
		fe = exam.Problem("points", "not_multiple_of_half", nil, "must be a multiple of 0.5")
	default:
		return nil
	}
	return &exam.ValidationError{Message: "score is not valid", Problems: []exam.FieldError{fe}}
}

// ScoreReview records reviewerID's mark (points, optional per-criterion points,
// comment) for an item it holds.
//
// Errors: ErrNotFound for an unknown item (or another organization's); a
// *exam.ValidationError (field "points") for points outside 0 … the
// question's points or not a multiple of 0.5, or a comment that is too long,
// or criteria that do not fit the rubric or add up to the points (fields
// "criteria…");
// ErrAlreadyScored when the item has been scored; ErrLeaseLost when the
// caller holds no live lease on it. The lease is checked in the same UPDATE
// that records the score, so an expired lease can never score.
//
// In the same transaction the attempt is locked and its manual_score and
// score recomputed from its scored items; when none is left unscored the
// attempt becomes graded with passed = score ≥ the version's pass_score.
//
// For one of two marks of an essay, the essay's final item is written once
// both are in (see finalizeEssay); scoring a moderation item sets the
// essay's final score and is recorded in the audit log.
func (g *Grader) ScoreReview(ctx context.Context, orgID, reviewerID, itemID string, m Mark) (*ScoredItem, error) {
	return g.ScoreReviewBy(ctx, audit.Actor{OrgID: orgID, UserID: reviewerID}, itemID, m)
}

// ScoreReviewBy is ScoreReview by actor (whose role the audit log keeps).
func (g *Grader) ScoreReviewBy(ctx context.Context, actor audit.Actor, itemID string, m Mark) (*ScoredItem, error) {
	orgID, reviewerID := actor.OrgID, actor.UserID
	points, comment := m.Points, m.Comment
	if err := g.checkMark(ctx, orgID, itemID, m); err != nil {
		return nil, err
	}
	var out ScoredItem
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var done []struct {
			AttemptID  string
			QuestionID string
			Slot       int
			ScoredAt   time.Time
		}
		// The NOT EXISTS never refuses what Claim handed out (it never
		// gives one reviewer both marks); it keeps that true here too.
		if err := tx.Raw(`UPDATE review_items SET points = ?, criteria = ?::jsonb, comment = ?, scored_by = ?, scored_at = now()
			WHERE id = ? AND org_id = ? AND claimed_by = ? AND lease_expires_at > now() AND scored_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM review_items o WHERE o.attempt_id = review_items.attempt_id AND o.question_id = review_items.question_id
				AND o.slot IN (1, 2) AND review_items.slot IN (1, 2) AND o.id <> review_items.id AND o.scored_by = ?)
			RETURNING attempt_id, question_id, slot, scored_at`, points, criteriaJSON(m.Criteria), comment, reviewerID, itemID, orgID, reviewerID, reviewerID).Scan(&done).Error; err != nil {
			return err
		}
		if len(done) == 0 {
			var scored []bool
			if err := tx.Raw(`SELECT scored_at IS NOT NULL FROM review_items WHERE org_id = ? AND id = ?`, orgID, itemID).Scan(&scored).Error; err != nil {
				return err
			}
			if len(scored) == 1 && scored[0] {
				return ErrAlreadyScored
			}
			return ErrLeaseLost
		}
		out = ScoredItem{ID: itemID, Points: points, Criteria: nonNilCriteria(m.Criteria), Comment: comment, ScoredAt: done[0].ScoredAt.UTC()}
		return afterScore(ctx, tx, actor, itemID, done[0].AttemptID, done[0].QuestionID, done[0].Slot, points)
	})
	if err != nil {
		if errors.Is(err, ErrAlreadyScored) || errors.Is(err, ErrLeaseLost) {
			return nil, err
		}
		return nil, fmt.Errorf("grading: score: %w", err)
	}
	return &out, nil
}

// itemMaxPoints reads the most a review item of orgID can score.
func (g *Grader) itemMaxPoints(ctx context.Context, orgID, itemID string) (float64, error) {
	item, err := database.One[struct{ MaxPoints float64 }](g.db.WithContext(ctx), ErrNotFound, "grading: read review item",
		`SELECT max_points FROM review_items WHERE org_id = ? AND id = ?`, orgID, itemID)
	if err != nil {
		return 0, err
	}
	return item.MaxPoints, nil
}

// recomputeManual locks an attempt and sets manual_score to the sum of its
// scored final review items (slots 0 and 3: marks of a double-marked essay
// count only through its final item) and score = auto_score + manual_score; when no item is
// left unscored the attempt is graded and passed is decided. An attempt
// reopened and in progress again is left alone: its next submission
// computes all of this afresh.
func recomputeManual(ctx context.Context, tx *gorm.DB, attemptID string) error {
	var rows []struct {
		PassScore float64
	}
	if err := tx.WithContext(ctx).Raw(`SELECT `+exam.SQLVersionPassScore+` AS pass_score
		FROM attempts a JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version
		WHERE a.id = ? FOR UPDATE OF a`, attemptID).Scan(&rows).Error; err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("attempt %s vanished", attemptID)
	}
	if err := tx.WithContext(ctx).Exec(`UPDATE attempts a SET manual_score = s.manual,
			score = coalesce(a.auto_score, 0) + s.manual,
			status = CASE WHEN s.pending = 0 THEN 'graded' ELSE a.status END,
			passed = CASE WHEN s.pending = 0 THEN coalesce(a.auto_score, 0) + s.manual >= ? END,
			graded_at = CASE WHEN s.pending = 0 THEN coalesce(a.graded_at, now()) END
		FROM (SELECT coalesce(sum(points) FILTER (WHERE `+sqlFinalSlot+`), 0) AS manual, count(*) FILTER (WHERE scored_at IS NULL) AS pending
			FROM review_items WHERE attempt_id = ?) s
		WHERE a.id = ? AND a.status <> 'in_progress'`, rows[0].PassScore, attemptID, attemptID).Error; err != nil {
		return err
	}
	return outbox.Graded(tx.WithContext(ctx), attemptID)
}

// Stats counts an exam's (or, with examID "", the organization's) review
// items: pending (unscored, no live lease), claimed (unscored, live lease)
// and done (scored).
type Stats struct {
	Pending int64 `json:"pending"`
	Claimed int64 `json:"claimed"`
	Done    int64 `json:"done"`
}

const statsColumns = `count(*) FILTER (WHERE r.scored_at IS NULL AND (r.lease_expires_at IS NULL OR r.lease_expires_at <= now())) AS pending,
	count(*) FILTER (WHERE r.scored_at IS NULL AND r.lease_expires_at > now()) AS claimed,
	count(*) FILTER (WHERE r.scored_at IS NOT NULL) AS done`

// Stats returns the queue's counts for one exam of orgID (ErrNotFound when
// examID names none) or, with examID "", for the whole organization.
func (g *Grader) Stats(ctx context.Context, orgID, examID string) (*Stats, error) {
	filter, args := "", []any{orgID}
	if examID != "" {
		if err := examInOrg(ctx, g.db, orgID, examID); err != nil {
			return nil, err
		}
		filter, args = ` AND r.exam_id = ?`, append(args, examID)
	}
	var s Stats
	if err := g.db.WithContext(ctx).Raw(`SELECT `+statsColumns+` FROM review_items r WHERE r.org_id = ?`+filter, args...).Scan(&s).Error; err != nil {
		return nil, fmt.Errorf("grading: stats: %w", err)
	}
	return &s, nil
}

// ExamQueue is one exam's line of GET /reviews/exams.
type ExamQueue struct {
	ExamID string `json:"exam_id"`
	Title  string `json:"title"`
	Stats
}

// ReviewExams lists the organization's exams that have review items, with
// their counts, newest exam first.
func (g *Grader) ReviewExams(ctx context.Context, orgID string) ([]ExamQueue, error) {
	var rows []struct {
		ExamID  string
		Title   string
		Pending int64
		Claimed int64
		Done    int64
	}
	err := g.db.WithContext(ctx).Raw(`SELECT e.id AS exam_id, e.title, `+statsColumns+`
		FROM review_items r JOIN exams e ON e.id = r.exam_id AND e.org_id = r.org_id
		WHERE r.org_id = ?
		GROUP BY e.id, e.title, e.created_at
		ORDER BY e.created_at DESC, e.id`, orgID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("grading: review exams: %w", err)
	}
	out := make([]ExamQueue, len(rows))
	for i, r := range rows {
		out[i] = ExamQueue{ExamID: r.ExamID, Title: r.Title, Stats: Stats{Pending: r.Pending, Claimed: r.Claimed, Done: r.Done}}
	}
	return out, nil
}
