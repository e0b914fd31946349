package grading

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// ResultQuery filters, sorts and pages an exam's results
// (GET /exams/{id}/results?status=&track=&sort=&min_score=&max_score=&include=&limit=&cursor=).
type ResultQuery struct {
	// Statuses keeps rows of these statuses (in_progress, submitted,
	// grading, graded, pending); empty keeps all. "pending" rows are
	// invitees who never started, listed only with NotStarted or when
	// asked for by status.
	Statuses []string
	// Track keeps one track; empty keeps all.
	Track string
	// Sort is "" (oldest start first, never-started last), or score, name,
	// submitted_at, each with a leading "-" for descending. Rows without
	// the sort value (no score yet, not submitted) come last either way.
	Sort string
	// MinScore, MaxScore keep rows whose score is within (rows without a
	// score are dropped when either is set).
	MinScore, MaxScore *float64
	NotStarted         bool
	Limit              int
	Cursor             string
}

// ResultStatuses are the statuses a results row can have.
var ResultStatuses = []string{"pending", "in_progress", "submitted", "grading", "graded"}

// ResultSorts are the accepted sort keys.
var ResultSorts = []string{"score", "-score", "name", "-name", "submitted_at", "-submitted_at"}

type resultCursor struct {
	Offset int    `json:"o"`
	Sort   string `json:"s"`
}

var resultOrder = map[string]string{
	"":              "a.started_at ASC NULLS LAST, i.created_at, i.id",
	"score":         "a.score ASC NULLS LAST, i.candidate_name, i.id",
	"-score":        "a.score DESC NULLS LAST, i.candidate_name, i.id",
	"name":          "i.candidate_name ASC, i.id",
	"-name":         "i.candidate_name DESC, i.id",
	"submitted_at":  "a.submitted_at ASC NULLS LAST, i.candidate_name, i.id",
	"-submitted_at": "a.submitted_at DESC NULLS LAST, i.candidate_name, i.id",
}

// ResultsPage returns one page of an exam's results and the cursor of the
// next page ("" on the last). Never-started invitees (not revoked) appear as
// rows with status "pending", a null attempt_id and null scores. The cursor
// is an offset into the query's order, bound to the sort it was made for.
func (g *Grader) ResultsPage(ctx context.Context, orgID, examID string, q ResultQuery) ([]Result, string, error) {
	if _, err := latestVersion(ctx, g.db, orgID, examID); err != nil {
		return nil, "", err
	}
	order, ok := resultOrder[q.Sort]
	if !ok {
		return nil, "", fmt.Errorf("grading: unknown sort %q", q.Sort)
	}
	offset := 0
	if q.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		var c resultCursor
		if err != nil || json.Unmarshal(b, &c) != nil || c.Offset < 0 || c.Sort != q.Sort {
			return nil, "", ErrBadCursor
		}
		offset = c.Offset
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	where := []string{"i.org_id = ?", "i.exam_id = ?"}
	args := []any{orgID, examID}
	pending := q.NotStarted
	for _, s := range q.Statuses {
		pending = pending || s == "pending"
	}
	if pending {
		where = append(where, "(a.id IS NOT NULL OR i.revoked_at IS NULL)")
	} else {
		where = append(where, "a.id IS NOT NULL")
	}
	if len(q.Statuses) > 0 {
		where = append(where, "coalesce(a.status, 'pending') IN ?")
		args = append(args, q.Statuses)
	}
	if q.Track != "" {
		where = append(where, "coalesce(a.track, i.track) = ?")
		args = append(args, q.Track)
	}
	if q.MinScore != nil {
		where = append(where, "a.status <> 'in_progress' AND a.score >= ?")
		args = append(args, *q.MinScore)
	}
	if q.MaxScore != nil {
		where = append(where, "a.status <> 'in_progress' AND a.score <= ?")
		args = append(args, *q.MaxScore)
	}
	args = append(args, limit+1, offset)
	var rows []resultRow
	err := g.db.WithContext(ctx).Raw(`SELECT i.id AS invitation_id, a.id AS attempt_id, i.candidate_name, i.candidate_email,
			coalesce(a.track, i.track) AS track, coalesce(a.status, 'pending') AS status, a.auto_score, a.manual_score, a.score,
			a.max_score, a.passed, a.submitted_at, a.submitted_by, coalesce(a.exam_version, i.exam_version) AS exam_version, a.objective_scores
		FROM invitations i LEFT JOIN attempts a ON a.invitation_id = i.id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY `+order+` LIMIT ? OFFSET ?`, args...).Scan(&rows).Error
	if err != nil {
		return nil, "", fmt.Errorf("grading: results page: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		b, _ := json.Marshal(resultCursor{Offset: offset + limit, Sort: q.Sort})
		next = base64.RawURLEncoding.EncodeToString(b)
	}
	out := make([]Result, len(rows))
	for i := range rows {
		out[i] = rows[i].result()
	}
	return out, next, nil
}
