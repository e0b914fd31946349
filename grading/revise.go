package grading

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"examd/audit"
	"examd/exam"
	pagecursor "examd/internal/cursor"
	"examd/internal/database"
)

// A reviewer's own work on the queue: giving an item back unscored,
// per-criterion points kept with a score, the list of the items one has
// scored, and revising one's own score while its attempt is being graded.

// Criterion is the points a reviewer gives for one rubric criterion:
// Index into the question's rubric.
type Criterion struct {
	Index  int     `json:"index"`
	Points float64 `json:"points"`
}

// Mark is what a reviewer gives an item: the points, optionally split by
// rubric criterion, and a comment.
type Mark struct {
	Points   float64
	Criteria []Criterion
	Comment  string
}

// checkCriteria reports criteria that do not fit the rubric: an index
// outside it or given twice, points outside 0 … the criterion's maximum or
// not a multiple of 0.5, and, when each is fine, a sum other than points.
func checkCriteria(criteria []Criterion, rubric []exam.RubricItem, points float64) error {
	if len(criteria) == 0 {
		return nil
	}
	bad := func(fe ...exam.FieldError) error {
		return &exam.ValidationError{Message: "score is not valid", Problems: fe}
	}
	if len(rubric) == 0 {
		return bad(exam.Problem("criteria", "too_many", exam.P{"max": 0}, "the question has no rubric, so a score cannot carry criteria"))
	}
	var probs []exam.FieldError
	seen := map[int]bool{}
	sum := 0.0
	for i, c := range criteria {
		at := fmt.Sprintf("criteria[%d]", i)
		if c.Index < 0 || c.Index >= len(rubric) {
			probs = append(probs, exam.Problem(at+".index", "out_of_range", exam.P{"min": 0, "max": len(rubric) - 1},
				fmt.Sprintf("must lie between 0 and %d (the rubric has %d criteria)", len(rubric)-1, len(rubric))))
			continue
		}
		if seen[c.Index] {
			probs = append(probs, exam.Problem(at+".index", "duplicate", exam.P{"value": c.Index},
				fmt.Sprintf("criterion %d is given more than once", c.Index)))
			continue
		}
		seen[c.Index] = true
		max := rubric[c.Index].Points
		switch {
		case math.IsNaN(c.Points) || math.IsInf(c.Points, 0):
			probs = append(probs, exam.Problem(at+".points", "wrong_type", exam.P{"expected": "number"}, "must be a number"))
		case c.Points < 0 || c.Points > max:
			probs = append(probs, exam.Problem(at+".points", "out_of_range", exam.P{"min": 0, "max": max},
				fmt.Sprintf("must lie between 0 and %s", exam.FormatPoints(max))))
		case c.Points*2 != math.Trunc(c.Points*2):
			probs = append(probs, exam.Problem(at+".points", "not_multiple_of_half", nil, "must be a multiple of 0.5"))
		default:
			sum += c.Points
		}
	}
	if len(probs) > 0 {
		return bad(probs...)
	}
	// Halves add exactly in binary floating point, so == is exact here.
	if sum != points {
		return bad(exam.Problem("criteria", "sum_mismatch", exam.P{"sum": sum, "points": points},
			fmt.Sprintf("the criteria add up to %s, not to the score %s", exam.FormatPoints(sum), exam.FormatPoints(points))))
	}
	return nil
}

// itemRubric reads the rubric of an item's question from its attempt's
// version.
func itemRubric(ctx context.Context, db *gorm.DB, orgID, itemID string) ([]exam.RubricItem, error) {
	row, err := database.One[struct{ Rubric []byte }](db.WithContext(ctx), ErrNotFound, "grading: read rubric",
		`SELECT `+exam.SQLReviewRubric+` AS rubric
		FROM review_items r
		JOIN attempts a ON a.id = r.attempt_id
		JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version
		WHERE r.org_id = ? AND r.id = ?`, orgID, itemID)
	if err != nil {
		return nil, err
	}
	var rubric []exam.RubricItem
	if len(row.Rubric) > 0 && string(row.Rubric) != "null" {
		if err := json.Unmarshal(row.Rubric, &rubric); err != nil {
			return nil, fmt.Errorf("grading: stored rubric of review item %s: %w", itemID, err)
		}
	}
	return rubric, nil
}

// checkComment reports a comment that is too long.
// checkMark judges a first score's or a revision's mark m of item itemID
// before anything is locked: ErrNotFound for an id that cannot be one, else
// a *exam.ValidationError for points outside 0 … the question's points or
// not a multiple of 0.5, a comment that is too long, or criteria that do
// not fit the rubric.
func (g *Grader) checkMark(ctx context.Context, orgID, itemID string, m Mark) error {
	if !exam.ValidID(itemID) {
		return ErrNotFound
	}
	maxPoints, err := g.itemMaxPoints(ctx, orgID, itemID)
	if err != nil {
		return err
	}
	if err := checkPoints(m.Points, maxPoints); err != nil {
		return err
	}
	if err := checkComment(m.Comment); err != nil {
		return err
	}
	return g.checkMarkCriteria(ctx, orgID, itemID, m)
}

func checkComment(comment string) error {
	if utf8.RuneCountInString(comment) > maxCommentChars {
		return &exam.ValidationError{Message: "score is not valid", Problems: []exam.FieldError{exam.Problem("comment",
			"too_long", exam.P{"max": maxCommentChars}, fmt.Sprintf("must be at most %d characters", maxCommentChars))}}
	}
	return nil
}

// checkMarkCriteria checks a mark's criteria against the item's rubric
// (points and comment are checked by the caller).
func (g *Grader) checkMarkCriteria(ctx context.Context, orgID, itemID string, m Mark) error {
	if len(m.Criteria) == 0 {
		return nil
	}
	rubric, err := itemRubric(ctx, g.db, orgID, itemID)
	if err != nil {
		return err
	}
	return checkCriteria(m.Criteria, rubric, m.Points)
}

// criteriaJSON is the stored form of criteria: null for none.
func criteriaJSON(c []Criterion) *string {
	if len(c) == 0 {
		return nil
	}
	b, _ := json.Marshal(c)
	s := string(b)
	return &s
}

func criteriaOf(stored []byte) ([]Criterion, error) {
	out := []Criterion{}
	if len(stored) == 0 || string(stored) == "null" {
		return out, nil
	}
	if err := json.Unmarshal(stored, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Release gives an item reviewerID holds back to the queue unscored: it is
// claimable by anyone at once. The release is remembered, so that this
// reviewer's next claims take other waiting items first and get this one
// again only when nothing else waits (skip = release, then claim).
//
// Errors: ErrNotFound for an unknown item (or another organization's);
// ErrAlreadyScored for a scored one; ErrLeaseLost when the caller holds no
// live lease on it.
func (g *Grader) Release(ctx context.Context, orgID, reviewerID, itemID string) error {
	if !exam.ValidID(itemID) {
		return ErrNotFound
	}
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var released []string
		if err := tx.Raw(`UPDATE review_items SET claimed_by = NULL, lease_expires_at = NULL
			WHERE id = ? AND org_id = ? AND claimed_by = ? AND lease_expires_at > now() AND scored_at IS NULL
			RETURNING id`, itemID, orgID, reviewerID).Scan(&released).Error; err != nil {
			return err
		}
		if len(released) == 0 {
			var scored []bool
			if err := tx.Raw(`SELECT scored_at IS NOT NULL FROM review_items WHERE org_id = ? AND id = ?`, orgID, itemID).Scan(&scored).Error; err != nil {
				return err
			}
			switch {
			case len(scored) == 0:
				return ErrNotFound
			case scored[0]:
				return ErrAlreadyScored
			}
			return ErrLeaseLost
		}
		return tx.Exec(`INSERT INTO review_releases (item_id, reviewer_id) VALUES (?, ?)
			ON CONFLICT (item_id, reviewer_id) DO UPDATE SET released_at = now()`, itemID, reviewerID).Error
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrAlreadyScored) || errors.Is(err, ErrLeaseLost) {
			return err
		}
		return fmt.Errorf("grading: release: %w", err)
	}
	return nil
}

// MyScore is one item a reviewer has scored, blind like a claim: the
// question, the candidate's text and the reviewer's own mark, nothing that
// identifies the candidate or the attempt. CanRevise is true while the
// attempt is still being graded.
type MyScore struct {
	ID              string            `json:"id"`
	ExamID          string            `json:"exam_id"`
	QuestionPrompt  string            `json:"question_prompt"`
	ReferenceAnswer string            `json:"reference_answer"`
	Rubric          []exam.RubricItem `json:"rubric"`
	Response        ReviewResponse    `json:"response"`
	Points          float64           `json:"points"`
	MaxPoints       float64           `json:"max_points"`
	Criteria        []Criterion       `json:"criteria"`
	Comment         string            `json:"comment"`
	ScoredAt        time.Time         `json:"scored_at"`
	RevisedAt       *time.Time        `json:"revised_at"`
	CanRevise       bool              `json:"can_revise"`
}

// MaxPageSize bounds a page of MyScores.
const MaxPageSize = 500

// myScoreRow is one scored review item as MyScores reads it.
type myScoreRow struct {
	ID        string
	ExamID    string
	Question  []byte
	Response  []byte
	Points    float64
	MaxPoints float64
	Criteria  []byte
	Comment   string
	ScoredAt  time.Time
	RevisedAt *time.Time
	CanRevise bool
}

// myCursor is where a page of MyScores ends: items are newest score first.
// MyScores lists the items reviewerID has scored, in one exam of orgID
// (ErrNotFound when examID names none) or, with examID "", in all of them,
// newest score first, limit a page (1 … MaxPageSize); cursor "" is the
// first page. next is "" on the last page.
func (g *Grader) MyScores(ctx context.Context, orgID, reviewerID, examID string, limit int, cursor string) (items []MyScore, next string, err error) {
	if limit < 1 || limit > MaxPageSize {
		return nil, "", fmt.Errorf("grading: page size %d outside 1 … %d", limit, MaxPageSize)
	}
	filter, args := "", []any{orgID, reviewerID}
	if examID != "" {
		if err := examInOrg(ctx, g.db, orgID, examID); err != nil {
			return nil, "", err
		}
		filter += ` AND r.exam_id = ?`
		args = append(args, examID)
	}
	if cursor != "" {
		at, id, err := pagecursor.Decode(cursor)
		if err != nil {
			return nil, "", err
		}
		filter += ` AND (r.scored_at, r.id) < (?, ?::uuid)`
		args = append(args, at, id)
	}
	args = append(args, limit+1)
	var rows []myScoreRow
	err = g.db.WithContext(ctx).Raw(`SELECT r.id, r.exam_id,
			`+exam.SQLReviewQuestion+` AS question,
			ans.response, r.points, r.max_points, r.criteria, r.comment, r.scored_at, r.revised_at,
			a.status = 'grading' AS can_revise
		FROM review_items r
		JOIN attempts a ON a.id = r.attempt_id
		JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version
		LEFT JOIN answers ans ON ans.attempt_id = r.attempt_id AND ans.question_id = r.question_id
		WHERE r.org_id = ? AND r.scored_by = ? AND r.scored_at IS NOT NULL`+filter+`
		ORDER BY r.scored_at DESC, r.id DESC
		LIMIT ?`, args...).Scan(&rows).Error
	if err != nil {
		return nil, "", fmt.Errorf("grading: my scores: %w", err)
	}
	rows, next = pagecursor.Trim(rows, limit, func(r *myScoreRow) string { return pagecursor.Encode(r.ScoredAt, r.ID) })
	items = make([]MyScore, 0, len(rows))
	for _, r := range rows {
		var q exam.Question
		if len(r.Question) > 0 {
			if err := json.Unmarshal(r.Question, &q); err != nil {
				return nil, "", fmt.Errorf("grading: stored question of review item %s: %w", r.ID, err)
			}
		}
		crit, err := criteriaOf(r.Criteria)
		if err != nil {
			return nil, "", fmt.Errorf("grading: stored criteria of review item %s: %w", r.ID, err)
		}
		it := MyScore{ID: r.ID, ExamID: r.ExamID, QuestionPrompt: q.Prompt, ReferenceAnswer: q.ReferenceAnswer, Rubric: q.Rubric,
			Points: r.Points, MaxPoints: r.MaxPoints, Criteria: crit, Comment: r.Comment, ScoredAt: r.ScoredAt.UTC(), CanRevise: r.CanRevise}
		if it.Rubric == nil {
			it.Rubric = []exam.RubricItem{}
		}
		if r.RevisedAt != nil {
			t := r.RevisedAt.UTC()
			it.RevisedAt = &t
		}
		if len(r.Response) > 0 {
			var resp exam.Response
			if err := json.Unmarshal(r.Response, &resp); err != nil {
				return nil, "", fmt.Errorf("grading: stored response of review item %s: %w", r.ID, err)
			}
			if resp.Text != nil {
				it.Response.Text = *resp.Text
			}
		}
		items = append(items, it)
	}
	return items, next, nil
}

// Revise replaces reviewerID's own score of an item while its attempt is
// still being graded (status grading: some essay of it awaits its score).
// Once the attempt is graded its scores are final. The attempt's manual
// score and total are recomputed in the same transaction, from the stored
// points, exactly as after a first score.
//
// Errors: ErrNotFound for an unknown item (or another organization's); a
// *exam.ValidationError as for Score; ErrNotScored for an item without a
// score; ErrNotYourScore when another reviewer scored it; ErrScoreFinal
// when its attempt is graded. The attempt row is locked before the status
// is read, so a revision and the attempt's last first-score never cross.
func (g *Grader) Revise(ctx context.Context, orgID, reviewerID, itemID string, m Mark) (*ScoredItem, error) {
	return g.ReviseBy(ctx, audit.Actor{OrgID: orgID, UserID: reviewerID}, itemID, m)
}

// ReviseBy is Revise by actor (whose role the audit log keeps when the
// item is a moderation). A revised mark of a double-marked essay finalizes
// the essay again: a mean follows the marks, and marks now beyond
// tolerance send the essay to moderation (a moderator's score stays).
func (g *Grader) ReviseBy(ctx context.Context, actor audit.Actor, itemID string, m Mark) (*ScoredItem, error) {
	orgID, reviewerID := actor.OrgID, actor.UserID
	if err := g.checkMark(ctx, orgID, itemID, m); err != nil {
		return nil, err
	}
	var out ScoredItem
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var state []struct {
			AttemptID  string
			QuestionID string
			Slot       int
			Status     string
			ScoredBy   *string
		}
		if err := tx.Raw(`SELECT a.id AS attempt_id, r.question_id, r.slot, a.status, r.scored_by
			FROM review_items r JOIN attempts a ON a.id = r.attempt_id
			WHERE r.org_id = ? AND r.id = ?
			FOR UPDATE OF a, r`, orgID, itemID).Scan(&state).Error; err != nil {
			return err
		}
		if len(state) == 0 {
			return ErrNotFound
		}
		st := state[0]
		switch {
		case st.ScoredBy == nil:
			return ErrNotScored
		case *st.ScoredBy != reviewerID:
			return ErrNotYourScore
		case st.Status != "grading":
			return ErrScoreFinal
		}
		var done []struct {
			ScoredAt  time.Time
			RevisedAt time.Time
		}
		if err := tx.Raw(`UPDATE review_items SET points = ?, criteria = ?::jsonb, comment = ?, revised_at = now()
			WHERE id = ? AND org_id = ? AND scored_by = ?
			RETURNING scored_at, revised_at`, m.Points, criteriaJSON(m.Criteria), m.Comment, itemID, orgID, reviewerID).Scan(&done).Error; err != nil {
			return err
		}
		if len(done) == 0 {
			return ErrNotScored
		}
		rev := done[0].RevisedAt.UTC()
		out = ScoredItem{ID: itemID, Points: m.Points, Criteria: nonNilCriteria(m.Criteria), Comment: m.Comment,
			ScoredAt: done[0].ScoredAt.UTC(), RevisedAt: &rev}
		return afterScore(ctx, tx, actor, itemID, st.AttemptID, st.QuestionID, st.Slot, m.Points)
	})
	if err != nil {
		for _, known := range []error{ErrNotFound, ErrNotScored, ErrNotYourScore, ErrScoreFinal} {
			if errors.Is(err, known) {
				return nil, err
			}
		}
		return nil, fmt.Errorf("grading: revise: %w", err)
	}
	return &out, nil
}

func nonNilCriteria(c []Criterion) []Criterion {
	if c == nil {
		return []Criterion{}
	}
	return c
}
