package grading

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

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

	// Per attempt: its score, its objective points and its final essay
	// scores (aggregated in one GROUP BY over the same attempts and
	// joined, not a subquery run per attempt), as JSON text that
	// scanPoints reads without building maps. Looking the questions up in
	// PostgreSQL instead (50 ->> a row) cost more than this scan: each
	// lookup walks the stored, compressed objective_scores again. The
	// essays' object is json_object_agg's text, not jsonb's: building
	// and printing a jsonb per attempt took a third of the query.
	attemptsWhere := `a.org_id = ? AND a.exam_id = ? AND a.exam_version = ? AND a.status = 'graded'`
	whereArgs := []any{orgID, examID, n}
	if track != nil {
		attemptsWhere += ` AND a.track = ?`
		whereArgs = append(whereArgs, *track)
	}
	// The review items are found by their attempts' ids (an array the
	// index on review_items' attempt_id is probed with), not joined by
	// hash to a scan of every review item: the version's items cost the
	// same however many other exams the organization, or the database,
	// holds.
	query := `SELECT a.score::float8, a.objective_scores::text, e.s::text
		FROM attempts a LEFT JOIN (
			SELECT r.attempt_id, json_object_agg(r.question_id, r.points) AS s
			FROM review_items r
			WHERE r.attempt_id = ANY(ARRAY(SELECT a.id FROM attempts a WHERE ` + attemptsWhere + `))
				AND r.points IS NOT NULL AND r.` + sqlFinalSlot + `
			GROUP BY r.attempt_id) e ON e.attempt_id = a.id
		WHERE ` + attemptsWhere
	args := append(append([]any{}, whereArgs...), whereArgs...)

	// The option counts are another query, on another connection, run
	// while this one streams: it writes only the accumulators' chosen
	// maps, which the loop below never touches.
	optDone := make(chan error, 1)
	go func() {
		optDone <- statsRead(db, "SET LOCAL enable_sort = off", func(tx *gorm.DB) error {
			return g.countOptions(tx, attemptsWhere, whereArgs, items)
		})
	}()
	var out *Statistics
	err = statsRead(db, "SET LOCAL work_mem = '64MB'", func(tx *gorm.DB) error {
		var err error
		out, err = g.foldAttempts(tx, query, args, order, items, maxScore)
		return err
	})
	if optErr := <-optDone; err == nil {
		err = optErr
	}
	if err != nil {
		return nil, err
	}
	out.ExamID, out.Version, out.Track = examID, n, track
	// Only now: the option counts are in the accumulators.
	out.Questions = make([]QuestionStats, 0, len(order))
	for _, id := range order {
		out.Questions = append(out.Questions, questionStats(items[id]))
	}
	return out, nil
}

// statsRead runs fn in a read-only transaction of its own with the
// statistics' planner settings: no JIT (its compiling cost 100 ms and
// more on a plan just over jit_above_cost, for queries that take a few
// hundred), and set, one more SET LOCAL for the query fn runs.
func statsRead(db *gorm.DB, set string, fn func(tx *gorm.DB) error) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL jit = off; " + set).Error; err != nil {
			return fmt.Errorf("grading: statistics settings: %w", err)
		}
		return fn(tx)
	}, &sql.TxOptions{ReadOnly: true})
}

// foldAttempts streams query's rows (an attempt's score, objective points
// and final essay points) into the statistics of the questions of order.
func (g *Grader) foldAttempts(db *gorm.DB, query string, args []any, order []string, items map[string]*itemAcc, maxScore float64) (*Statistics, error) {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("grading: statistics: %w", err)
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
		obj, ess   []byte
		pos        = make(map[string]int, len(order))
	)
	for i, id := range order {
		accs[i] = items[id]
		pos[id] = i
	}
	for rows.Next() {
		if err := rows.Scan(&score, &obj, &ess); err != nil {
			return nil, fmt.Errorf("grading: statistics row: %w", err)
		}
		clear(had)
		if err := scanPoints(obj, pos, points, had); err != nil {
			return nil, fmt.Errorf("grading: statistics objective scores: %w", err)
		}
		if err := scanPoints(ess, pos, points, had); err != nil {
			return nil, fmt.Errorf("grading: statistics essay scores: %w", err)
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
		return nil, fmt.Errorf("grading: statistics rows: %w", err)
	}
	commonAccs := make([]*itemAcc, len(common))
	for a, i := range common {
		commonAccs[a] = accs[i]
	}

	out := &Statistics{Attempts: len(scores)}
	out.Score = scoreStats(scores, meanT, m2T, maxScore)
	out.Reliability = reliability(len(scores), commonAccs, co, out.Score.SD)
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
// not one per attempt; keys the question does not have are dropped. The
// answers are found by their attempts' ids (one bitmap scan of the
// answers' primary key), not by hashing a scan of every answer in the
// database. The planner cannot know that array's length, guesses a few
// hundred rows and would sort some 200,000 jsonb values to group them:
// statsRead runs this with enable_sort off, and the hash aggregate takes
// a third of the time (EXPLAIN ANALYZE at 10,000 attempts). An
// answer is only ever saved for a question its attempt has (SaveAnswer
// looks it up in the attempt's draw and track) and grading gives every
// objective question of the attempt points, so each response counted has
// its question's points in the attempt.
func (g *Grader) countOptions(db *gorm.DB, attemptsWhere string, args []any, items map[string]*itemAcc) error {
	rows, err := db.Raw(`SELECT w.question_id, w.response, count(*)
		FROM answers w
		WHERE w.attempt_id = ANY(ARRAY(SELECT a.id FROM attempts a WHERE `+attemptsWhere+`))
			AND jsonb_exists_any(w.response, array['choice', 'choices'])
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

// scanPoints reads a JSON object of points ({"question id": number, …},
// as PostgreSQL writes jsonb) and sets points[pos[id]] and had[pos[id]]
// for each id in pos; other ids are skipped, and an empty raw (SQL NULL)
// is no points. Keys without escapes and plain numbers are read in place;
// anything else is handed to encoding/json, so the result is always what
// decoding the object into a map[string]float64 would give.
func scanPoints(raw []byte, pos map[string]int, points []float64, had []bool) error {
	if len(raw) == 0 {
		return nil
	}
	if ok := scanPointsFast(raw, pos, points, had); ok {
		return nil
	}
	var m map[string]float64
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	for id, x := range m {
		if i, ok := pos[id]; ok {
			points[i], had[i] = x, true
		}
	}
	return nil
}

// scanPointsFast is scanPoints' fast path; false when raw is anything but
// a flat object of escape-free keys and numbers (then nothing is trusted:
// the slow path sets every key again).
func scanPointsFast(raw []byte, pos map[string]int, points []float64, had []bool) bool {
	i, n := 0, len(raw)
	skip := func() {
		for i < n && (raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\t' || raw[i] == '\r') {
			i++
		}
	}
	skip()
	if i >= n || raw[i] != '{' {
		return false
	}
	i++
	skip()
	if i < n && raw[i] == '}' {
		i++
		skip()
		return i == n
	}
	for {
		if i >= n || raw[i] != '"' {
			return false
		}
		k := bytes.IndexByte(raw[i+1:], '"')
		if k < 0 {
			return false
		}
		key := raw[i+1 : i+1+k]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		i += k + 2
		skip()
		if i >= n || raw[i] != ':' {
			return false
		}
		i++
		skip()
		start := i
		for i < n && (raw[i] >= '0' && raw[i] <= '9' || raw[i] == '-' || raw[i] == '+' || raw[i] == '.' || raw[i] == 'e' || raw[i] == 'E') {
			i++
		}
		if start == i || raw[start] != '-' && (raw[start] < '0' || raw[start] > '9') {
			return false
		}
		x, err := strconv.ParseFloat(string(raw[start:i]), 64)
		if err != nil {
			return false
		}
		if p, ok := pos[string(key)]; ok {
			points[p], had[p] = x, true
		}
		skip()
		if i >= n {
			return false
		}
		if raw[i] == '}' {
			i++
			skip()
			return i == n
		}
		if raw[i] != ',' {
			return false
		}
		i++
		skip()
	}
}
