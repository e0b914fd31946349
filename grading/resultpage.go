package grading

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"examd/internal/cursor"
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
	// submitted_at, section:<section id> or tag:<tag>, each with a leading
	// "-" for descending. Rows without the sort value (no score yet, not
	// submitted, no scored question in the section or with the tag) come
	// last either way; ties by name, then invitation id.
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

// ResultSorts are the accepted sort keys besides section:<id> and
// tag:<tag> (IsPartSort).
var ResultSorts = []string{"score", "-score", "name", "-name", "submitted_at", "-submitted_at"}

// IsPartSort reports whether key sorts by a section's or a tag's score
// (section:<id>, tag:<tag>, either with a leading "-"); whether the exam
// has that section or tag, ResultsPage judges.
func IsPartSort(key string) bool {
	k := strings.TrimPrefix(key, "-")
	return strings.HasPrefix(k, "section:") || strings.HasPrefix(k, "tag:")
}

// SortError is a sort key naming a section or a tag the exam does not have.
type SortError struct{ Kind, Name string }

func (e *SortError) Error() string {
	return fmt.Sprintf("sort: the exam has no %s %q", e.Kind, e.Name)
}

// sqlPartScore is a row's points on the questions a jsonb parameter names,
// {"<version>": {"<question id>": 1}}: its automatic points plus its final
// reviewers' points, as scoreMaps.parts sums them; null when the row has
// no score or no scored question among them.
const sqlPartScore = `(CASE WHEN a.status <> 'in_progress' THEN (SELECT sum(x.p) FROM (
		SELECT o.key AS q, o.value::float8 AS p
			FROM jsonb_each_text(CASE WHEN jsonb_typeof(a.objective_scores) = 'object' THEN a.objective_scores END) o
		UNION ALL
		SELECT r.question_id, r.points::float8 FROM review_items r
			WHERE r.attempt_id = a.id AND r.` + sqlFinalSlot + ` AND r.scored_at IS NOT NULL AND r.points IS NOT NULL) x
	WHERE ((?::jsonb -> a.exam_version::text) ->> x.q) IS NOT NULL) END)`

// partOrder is the ORDER BY of a section: or tag: sort key and its jsonb
// argument, or a *SortError.
func (m *scoreMaps) partOrder(key string) (string, string, error) {
	name, desc := strings.CutPrefix(key, "-")
	kind, name, _ := strings.Cut(name, ":")
	in := func(version int, qid string) bool { return m.sectionOf[version][qid] == name }
	if kind == "tag" {
		if !slices.Contains(m.allTags, name) {
			return "", "", &SortError{"tag", name}
		}
		in = func(version int, qid string) bool { return slices.Contains(m.tagsOf[version][qid], name) }
	} else if !slices.ContainsFunc(m.sections, func(s sectionRef) bool { return s.id == name }) {
		return "", "", &SortError{"section", name}
	}
	qs := map[string]map[string]int{}
	for v, sec := range m.sectionOf {
		for qid := range sec {
			if in(v, qid) {
				vs := strconv.Itoa(v)
				if qs[vs] == nil {
					qs[vs] = map[string]int{}
				}
				qs[vs][qid] = 1
			}
		}
	}
	arg, err := json.Marshal(qs)
	if err != nil {
		return "", "", err
	}
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	return sqlPartScore + " " + dir + " NULLS LAST, i.candidate_name, i.id", string(arg), nil
}

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

// ResultsPage returns one page of an exam's results, each row with its
// section and tag scores, and the cursor of the next page ("" on the
// last). Never-started invitees (not revoked) appear as rows with status
// "pending", a null attempt_id and null scores. The cursor is an offset
// into the query's order, bound to the sort it was made for; the order
// always ends with the invitation id, so pages neither repeat nor skip a
// row. A section or tag the exam has in none of its versions is a
// *SortError. Four queries.
func (g *Grader) ResultsPage(ctx context.Context, orgID, examID string, q ResultQuery) ([]Result, string, error) {
	maps, err := g.loadScoreMaps(ctx, orgID, examID)
	if err != nil {
		return nil, "", err
	}
	var orderArgs []any
	order, ok := resultOrder[q.Sort]
	if !ok {
		if !IsPartSort(q.Sort) {
			return nil, "", fmt.Errorf("grading: unknown sort %q", q.Sort)
		}
		o, arg, err := maps.partOrder(q.Sort)
		if err != nil {
			return nil, "", err
		}
		order, orderArgs = o, []any{arg}
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
	args = append(append(args, orderArgs...), limit+1, offset)
	var rows []resultRow
	err = g.db.WithContext(ctx).Raw(`SELECT i.id AS invitation_id, a.id AS attempt_id, i.candidate_name, i.candidate_email,
			coalesce(a.track, i.track) AS track, coalesce(a.status, 'pending') AS status, a.auto_score, a.manual_score, a.score,
			a.max_score, a.passed, a.submitted_at, a.submitted_by, coalesce(a.exam_version, i.exam_version) AS exam_version, a.objective_scores
		FROM invitations i LEFT JOIN attempts a ON a.invitation_id = i.id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY `+order+` LIMIT ? OFFSET ?`, args...).Scan(&rows).Error
	if err != nil {
		return nil, "", fmt.Errorf("grading: results page: %w", err)
	}
	rows, next := cursor.Trim(rows, limit, func(*resultRow) string {
		b, _ := json.Marshal(resultCursor{Offset: offset + limit, Sort: q.Sort})
		return base64.RawURLEncoding.EncodeToString(b)
	})
	out := make([]Result, len(rows))
	ids := []string{}
	for i := range rows {
		out[i] = rows[i].result()
		if out[i].AttemptID != nil {
			ids = append(ids, *out[i].AttemptID)
		}
	}
	essays, err := g.essayPoints(ctx, orgID, examID, ids)
	if err != nil {
		return nil, "", err
	}
	if err := maps.withParts(out, essays); err != nil {
		return nil, "", err
	}
	return out, next, nil
}
