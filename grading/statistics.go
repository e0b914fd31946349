package grading

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"examd/exam"
	"examd/internal/database"

	"gorm.io/gorm"
)

// Statistics describe the graded attempts of one exam version (optionally
// of one track): GET /exams/{id}/versions/{n}/statistics. Every number is
// unrounded; a pointer is nil (JSON null) where the value is undefined.
type Statistics struct {
	ExamID      string          `json:"exam_id"`
	Version     int             `json:"version"`
	Track       *string         `json:"track"`
	Attempts    int             `json:"attempts"`
	Score       ScoreStats      `json:"score"`
	Reliability Reliability     `json:"reliability"`
	Questions   []QuestionStats `json:"questions"`
}

// ScoreStats summarise the attempts' scores. SD is the sample standard
// deviation (n − 1).
type ScoreStats struct {
	Mean      *float64 `json:"mean"`
	Median    *float64 `json:"median"`
	SD        *float64 `json:"sd"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	Histogram []Bin    `json:"histogram"`
}

// Bin is one of the ten equal histogram bins: [From, To), the last one
// including To.
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// Reliability is Cronbach's alpha over the questions every attempt had,
// and the standard error of measurement sd·√(1 − alpha).
type Reliability struct {
	Alpha *float64 `json:"alpha"`
	SEM   *float64 `json:"sem"`
}

// QuestionStats describe one question over the attempts that had it.
type QuestionStats struct {
	QuestionID     string        `json:"question_id"`
	Type           string        `json:"type"`
	Attempts       int           `json:"attempts"`
	MeanPoints     *float64      `json:"mean_points"`
	MaxPoints      float64       `json:"max_points"`
	Facility       *float64      `json:"facility"`
	Discrimination *float64      `json:"discrimination"`
	Options        []OptionCount `json:"options,omitempty"`
	Flags          []string      `json:"flags"`
}

// OptionCount is how many attempts chose one key of a choice question.
type OptionCount struct {
	Key    string `json:"key"`
	Chosen int    `json:"chosen"`
}

// Flags a question may carry (only when at least FlagMinAttempts had it).
const (
	FlagNegativeDiscrimination = "negative_discrimination"
	FlagTooEasy                = "too_easy"
	FlagTooHard                = "too_hard"
	FlagMinAttempts            = 5
)

// itemAcc accumulates one question in a single pass with Welford's
// updates: the item score x and the rest of the attempt's score r = T − x.
type itemAcc struct {
	n                int
	meanX, m2X       float64
	meanR, m2R, coXR float64
	chosen           map[string]int
	isChoice         bool
	validKeys        map[string]bool
	q                *exam.Question
}

func (a *itemAcc) add(x, r float64) {
	a.n++
	n := float64(a.n)
	dx := x - a.meanX
	a.meanX += dx / n
	a.m2X += dx * (x - a.meanX)
	dr := r - a.meanR
	a.meanR += dr / n
	a.m2R += dr * (r - a.meanR)
	a.coXR += dx * (r - a.meanR)
}

// Statistics computes the statistics of version n of an exam of orgID over
// its graded attempts (of track, when track is non-nil). ErrNotFound when
// orgID has no such exam or version; ErrUnknownTrack for a track the
// version does not have.
//
// It is one streaming pass over one query: each attempt's row (score,
// automatic points, reviewers' points and choice responses, aggregated
// per attempt in PostgreSQL) is folded into running sums and dropped, so
// memory grows with the number of questions (a co-moment matrix over the
// questions every attempt so far had, for alpha) and one float per attempt
// for the median, not with the attempts' answers. Which questions an
// attempt had is read from its stored points, never assumed from the
// version's list, so drawn questions count only where they were drawn.
func (g *Grader) Statistics(ctx context.Context, orgID, examID string, n int, track *string) (*Statistics, error) {
	if !exam.ValidID(examID) {
		return nil, ErrNotFound
	}
	db := g.db.WithContext(ctx)
	ver, err := database.One[struct{ Document []byte }](db, ErrNotFound, "grading: statistics version",
		`SELECT document FROM exam_versions WHERE org_id = ? AND exam_id = ? AND version = ?`, orgID, examID, n)
	if err != nil {
		return nil, err
	}
	var doc exam.Document
	if err := json.Unmarshal(ver.Document, &doc); err != nil {
		return nil, fmt.Errorf("grading: stored version %s/%d: %w", examID, n, err)
	}
	var maxScore float64
	if track != nil {
		if !slices.Contains(doc.Tracks, *track) {
			return nil, ErrUnknownTrack
		}
		_, maxScore = doc.TrackSummary(*track)
	} else {
		maxScore = doc.HighestMax()
	}

	// The questions reported, in the document's order: those a candidate
	// of the track (any track without ?track=) could be given.
	var order []string
	items := map[string]*itemAcc{}
	doc.AllQuestions(func(_ *exam.Section, q *exam.Question) {
		if track != nil && !q.InTrack(*track) {
			return
		}
		acc := &itemAcc{q: q}
		if q.Type == exam.TypeSingleChoice || q.Type == exam.TypeMultipleChoice {
			acc.isChoice = true
			acc.chosen = map[string]int{}
			acc.validKeys = map[string]bool{}
			for _, o := range q.Options {
				acc.validKeys[o.Key] = true
			}
		}
		items[q.ID] = acc
		order = append(order, q.ID)
	})

	// Per attempt: its score and the points of every reported question,
	// in order, as one float8[] (NULL where the attempt did not have the
	// question): its objective points, a final essay score overriding
	// one. The essay scores are aggregated per attempt once, for the whole
	// exam, and hash-joined, instead of one index descent per attempt. m
	// is built once per attempt (OFFSET 0 keeps it from being inlined): it
	// is an in-memory copy, where each ->> on the stored objective_scores
	// would decompress that TOASTed value again, 50 times a row.
	pointExprs := make([]string, len(order))
	args := make([]any, 0, len(order)+8)
	for i, id := range order {
		pointExprs[i] = `(m ->> ?)::float8`
		args = append(args, id)
	}
	pointsSQL := `'{}'::float8[]`
	if len(order) > 0 {
		pointsSQL = `ARRAY[` + strings.Join(pointExprs, ", ") + `]`
	}
	attemptsWhere := `a.org_id = ? AND a.exam_id = ? AND a.exam_version = ? AND a.status = 'graded'`
	whereArgs := []any{orgID, examID, n}
	if track != nil {
		attemptsWhere += ` AND a.track = ?`
		whereArgs = append(whereArgs, *track)
	}
	query := `SELECT score, (` + pointsSQL + `)::text FROM (
		SELECT a.score::float8 AS score, coalesce(a.objective_scores, '{}') || coalesce(e.s, '{}') AS m
		FROM attempts a LEFT JOIN (
			SELECT r.attempt_id, jsonb_object_agg(r.question_id, r.points) AS s
			FROM review_items r JOIN attempts a ON a.id = r.attempt_id
			WHERE ` + attemptsWhere + ` AND r.points IS NOT NULL AND r.` + sqlFinalSlot + `
			GROUP BY r.attempt_id) e ON e.attempt_id = a.id
		WHERE ` + attemptsWhere + ` OFFSET 0) x`
	args = append(args, whereArgs...)
	args = append(args, whereArgs...)

	// The option counts are another query, on another connection, run
	// while this one streams: it writes only the accumulators' chosen
	// maps, which the loop below never touches.
	optDone := make(chan error, 1)
	go func() { optDone <- g.countOptions(db, attemptsWhere, whereArgs, items) }()
	fail := func(err error) (*Statistics, error) {
		<-optDone
		return nil, err
	}

	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return fail(fmt.Errorf("grading: statistics: %w", err))
	}
	defer rows.Close()

	var (
		scores     []float64
		meanT, m2T float64
		common     []int // positions in order of the questions every attempt so far had
		co         [][]float64
		first      = true
		accs       = make([]*itemAcc, len(order))
		points     = make([]float64, len(order))
		had        = make([]bool, len(order))
		score      *float64
		raw        []byte
	)
	for i, id := range order {
		accs[i] = items[id]
	}
	for rows.Next() {
		if err := rows.Scan(&score, &raw); err != nil {
			return fail(fmt.Errorf("grading: statistics row: %w", err))
		}
		if err := parseFloatArray(raw, points, had); err != nil {
			return fail(fmt.Errorf("grading: statistics points: %w", err))
		}
		t := 0.0
		if score != nil {
			t = *score
		}

		scores = append(scores, t)
		nT := float64(len(scores))
		d := t - meanT
		meanT += d / nT
		m2T += d * (t - meanT)

		for i, x := range points {
			if had[i] {
				accs[i].add(x, t-x)
			}
		}

		// Alpha's co-moments over the questions every attempt so far had.
		// Their running means (updated above) are over the same attempts,
		// so the pairwise Welford update holds; a question missing from
		// this attempt leaves the set for good.
		if first {
			first = false
			for i := range order {
				if had[i] {
					common = append(common, i)
				}
			}
			co = make([][]float64, len(common))
			for i := range co {
				co[i] = make([]float64, len(common))
			}
		} else {
			keep := make([]int, 0, len(common))
			for a, i := range common {
				if had[i] {
					keep = append(keep, a)
				}
			}
			if len(keep) < len(common) {
				nc := make([]int, len(keep))
				nco := make([][]float64, len(keep))
				for a, i := range keep {
					nc[a] = common[i]
					nco[a] = make([]float64, len(keep))
					for b, j := range keep {
						nco[a][b] = co[i][j]
					}
				}
				common, co = nc, nco
			}
		}
		// The item means were already moved to include this attempt:
		// co_ij += (x_i − mean_i,old)(x_j − mean_j,new), where
		// x_i − mean_i,old = (x_i − mean_i,new)·n/(n−1).
		if nT > 1 {
			f := nT / (nT - 1)
			for a, i := range common {
				di := (points[i] - accs[i].meanX) * f
				row := co[a]
				for b, j := range common {
					row[b] += di * (points[j] - accs[j].meanX)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fail(fmt.Errorf("grading: statistics rows: %w", err))
	}
	if err := <-optDone; err != nil {
		return nil, err
	}
	commonAccs := make([]*itemAcc, len(common))
	for a, i := range common {
		commonAccs[a] = accs[i]
	}

	out := &Statistics{ExamID: examID, Version: n, Track: track, Attempts: len(scores)}
	out.Score = scoreStats(scores, meanT, m2T, maxScore)
	out.Reliability = reliability(len(scores), commonAccs, co, out.Score.SD)
	out.Questions = make([]QuestionStats, 0, len(order))
	for _, id := range order {
		out.Questions = append(out.Questions, questionStats(items[id]))
	}
	return out, nil
}

func fptr(v float64) *float64 { return &v }

func scoreStats(scores []float64, mean, m2, maxScore float64) ScoreStats {
	s := ScoreStats{Histogram: histogram(scores, maxScore)}
	n := len(scores)
	if n == 0 {
		return s
	}
	sorted := slices.Clone(scores)
	sort.Float64s(sorted)
	s.Mean = fptr(mean)
	s.Min, s.Max = fptr(sorted[0]), fptr(sorted[n-1])
	if n%2 == 1 {
		s.Median = fptr(sorted[n/2])
	} else {
		s.Median = fptr((sorted[n/2-1] + sorted[n/2]) / 2)
	}
	if n >= 2 {
		s.SD = fptr(math.Sqrt(m2 / float64(n-1)))
	}
	return s
}

// histogram puts scores into ten equal bins from 0 to maxScore. A score is
// placed by comparing it with the very bounds reported, so a reader
// checking from ≤ score < to agrees at every edge.
func histogram(scores []float64, maxScore float64) []Bin {
	bins := make([]Bin, 10)
	for i := range bins {
		bins[i].From = maxScore * float64(i) / 10
		bins[i].To = maxScore * float64(i+1) / 10
	}
	bins[9].To = maxScore
	for _, v := range scores {
		i := 9
		if maxScore > 0 {
			i = int(math.Floor(v / maxScore * 10))
		}
		i = min(max(i, 0), 9)
		for i > 0 && v < bins[i].From {
			i--
		}
		for i < 9 && v >= bins[i].To {
			i++
		}
		bins[i].Count++
	}
	return bins
}

func reliability(n int, common []*itemAcc, co [][]float64, sd *float64) Reliability {
	k := len(common)
	if k < 2 || n < 5 {
		return Reliability{}
	}
	var sumVar, varT float64
	for i := range common {
		sumVar += common[i].m2X
		for j := range common {
			varT += co[i][j]
		}
	}
	// Same denominator (n − 1) on both sides, so it cancels.
	if varT <= 1e-9*sumVar || varT <= 0 {
		return Reliability{}
	}
	kf := float64(k)
	alpha := kf / (kf - 1) * (1 - sumVar/varT)
	r := Reliability{Alpha: fptr(alpha)}
	if sd != nil && alpha <= 1 {
		r.SEM = fptr(*sd * math.Sqrt(1-alpha))
	}
	return r
}

func questionStats(a *itemAcc) QuestionStats {
	q := a.q
	s := QuestionStats{QuestionID: q.ID, Type: q.Type, Attempts: a.n, MaxPoints: q.MaxPoints(), Flags: []string{}}
	if a.isChoice {
		s.Options = make([]OptionCount, 0, len(q.Options))
		for _, o := range q.Options {
			s.Options = append(s.Options, OptionCount{Key: o.Key, Chosen: a.chosen[o.Key]})
		}
	}
	if a.n == 0 {
		return s
	}
	s.MeanPoints = fptr(a.meanX)
	if s.MaxPoints > 0 {
		s.Facility = fptr(a.meanX / s.MaxPoints)
	}
	if a.n >= 3 && a.m2X > 0 && a.m2R > 0 {
		s.Discrimination = fptr(a.coXR / math.Sqrt(a.m2X*a.m2R))
	}
	if a.n >= FlagMinAttempts {
		if s.Discrimination != nil && *s.Discrimination < 0 {
			s.Flags = append(s.Flags, FlagNegativeDiscrimination)
		}
		if s.Facility != nil && *s.Facility >= 0.95 {
			s.Flags = append(s.Flags, FlagTooEasy)
		}
		if s.Facility != nil && *s.Facility < 0.20 {
			s.Flags = append(s.Flags, FlagTooHard)
		}
	}
	return s
}

// countOptions adds to each choice question of items how many times the
// graded attempts (attemptsWhere over attempts a) chose each of its keys.
// PostgreSQL counts the attempts per question and distinct response in
// one GROUP BY, so only those few distinct responses are decoded here,
// not one per attempt; keys the question does not have are dropped. An
// answer is only ever saved for a question its attempt has (SaveAnswer
// looks it up in the attempt's draw and track) and grading gives every
// objective question of the attempt points, so each response counted has
// its question's points in the attempt.
func (g *Grader) countOptions(db *gorm.DB, attemptsWhere string, args []any, items map[string]*itemAcc) error {
	rows, err := db.Raw(`SELECT w.question_id, w.response, count(*)
		FROM attempts a JOIN answers w ON w.attempt_id = a.id
		WHERE `+attemptsWhere+` AND jsonb_exists_any(w.response, array['choice', 'choices'])
		GROUP BY 1, 2`, args...).Rows()
	if err != nil {
		return fmt.Errorf("grading: statistics options: %w", err)
	}
	defer rows.Close()
	var (
		id    string
		raw   []byte
		count int
	)
	for rows.Next() {
		if err := rows.Scan(&id, &raw, &count); err != nil {
			return fmt.Errorf("grading: statistics options row: %w", err)
		}
		acc := items[id]
		if acc == nil || !acc.isChoice {
			continue
		}
		var r exam.Response
		if json.Unmarshal(raw, &r) != nil {
			continue // checked when saved; a bad one counts as no choice
		}
		if r.Choice != nil && acc.validKeys[*r.Choice] {
			acc.chosen[*r.Choice] += count
		}
		for _, k := range r.Choices {
			if acc.validKeys[k] {
				acc.chosen[k] += count
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("grading: statistics options rows: %w", err)
	}
	return nil
}

// parseFloatArray reads PostgreSQL's text form of a one-dimensional
// float8[] ("{1,0.5,NULL}") into points, had[i] false where the element is
// NULL; it must have exactly len(points) elements.
func parseFloatArray(raw []byte, points []float64, had []bool) error {
	if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
		return fmt.Errorf("not an array: %q", raw)
	}
	body := raw[1 : len(raw)-1]
	if len(points) == 0 {
		if len(body) > 0 {
			return fmt.Errorf("elements in %q, want none", raw)
		}
		return nil
	}
	for i := range points {
		el := body
		if k := bytes.IndexByte(body, ','); k >= 0 {
			el, body = body[:k], body[k+1:]
		} else if i < len(points)-1 {
			return fmt.Errorf("%d elements, want %d", i+1, len(points))
		} else {
			body = nil
		}
		if string(el) == "NULL" {
			points[i], had[i] = 0, false
			continue
		}
		v, err := strconv.ParseFloat(string(el), 64)
		if err != nil {
			return err
		}
		points[i], had[i] = v, true
	}
	if len(body) > 0 {
		return fmt.Errorf("more than %d elements", len(points))
	}
	return nil
}
