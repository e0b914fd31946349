package grading

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"

	"examd/exam"
	"examd/internal/database"
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

	query := `SELECT a.score::float8 AS score, a.objective_scores,
			(SELECT jsonb_object_agg(r.question_id, r.points) FROM review_items r
				WHERE r.attempt_id = a.id AND r.points IS NOT NULL AND r.` + sqlFinalSlot + `) AS essay_scores,
			(SELECT jsonb_object_agg(w.question_id, w.response) FROM answers w
				WHERE w.attempt_id = a.id AND jsonb_exists_any(w.response, array['choice', 'choices'])) AS responses
		FROM attempts a
		WHERE a.org_id = ? AND a.exam_id = ? AND a.exam_version = ? AND a.status = 'graded'`
	// Choice responses are told by their shape, not by a list of question
	// ids: "question_id IN (…20 ids…)" made PostgreSQL descend the answers
	// index once per id and attempt, twice as slow over 2,000 attempts as
	// one range scan of the attempt's answers with this filter.
	args := []any{orgID, examID, n}
	if track != nil {
		query += ` AND a.track = ?`
		args = append(args, *track)
	}
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("grading: statistics: %w", err)
	}
	defer rows.Close()

	var (
		scores            []float64
		meanT, m2T        float64
		common            []*itemAcc // questions every attempt so far had
		co                [][]float64
		first             = true
		points            = map[string]float64{}
		objective, essays map[string]float64
		responses         map[string]exam.Response
	)
	for rows.Next() {
		var (
			score                 *float64
			objRaw, essRaw, rsRaw []byte
		)
		if err := rows.Scan(&score, &objRaw, &essRaw, &rsRaw); err != nil {
			return nil, fmt.Errorf("grading: statistics row: %w", err)
		}
		t := 0.0
		if score != nil {
			t = *score
		}
		objective, essays, responses = nil, nil, nil
		if len(objRaw) > 0 {
			if err := json.Unmarshal(objRaw, &objective); err != nil {
				return nil, fmt.Errorf("grading: statistics objective scores: %w", err)
			}
		}
		if len(essRaw) > 0 {
			if err := json.Unmarshal(essRaw, &essays); err != nil {
				return nil, fmt.Errorf("grading: statistics essay scores: %w", err)
			}
		}
		if len(rsRaw) > 0 {
			_ = json.Unmarshal(rsRaw, &responses) // checked when saved; a bad row counts as no choice
		}
		clear(points)
		for id, p := range objective {
			points[id] = p
		}
		for id, p := range essays {
			points[id] = p
		}

		scores = append(scores, t)
		nT := float64(len(scores))
		d := t - meanT
		meanT += d / nT
		m2T += d * (t - meanT)

		for id, x := range points {
			acc := items[id]
			if acc == nil {
				continue
			}
			acc.add(x, t-x)
			if acc.isChoice {
				if r, ok := responses[id]; ok {
					if r.Choice != nil && acc.validKeys[*r.Choice] {
						acc.chosen[*r.Choice]++
					}
					for _, k := range r.Choices {
						if acc.validKeys[k] {
							acc.chosen[k]++
						}
					}
				}
			}
		}

		// Alpha's co-moments over the questions every attempt so far had.
		// Their running means (updated above) are over the same attempts,
		// so the pairwise Welford update holds; a question missing from
		// this attempt leaves the set for good.
		if first {
			first = false
			for _, id := range order {
				if _, ok := points[id]; ok {
					common = append(common, items[id])
				}
			}
			co = make([][]float64, len(common))
			for i := range co {
				co[i] = make([]float64, len(common))
			}
		} else {
			keep := make([]int, 0, len(common))
			for i, acc := range common {
				if _, ok := points[acc.q.ID]; ok {
					keep = append(keep, i)
				}
			}
			if len(keep) < len(common) {
				nc := make([]*itemAcc, len(keep))
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
			for i, ai := range common {
				di := (points[ai.q.ID] - ai.meanX) * f
				row := co[i]
				for j, aj := range common {
					row[j] += di * (points[aj.q.ID] - aj.meanX)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("grading: statistics rows: %w", err)
	}

	out := &Statistics{ExamID: examID, Version: n, Track: track, Attempts: len(scores)}
	out.Score = scoreStats(scores, meanT, m2T, maxScore)
	out.Reliability = reliability(len(scores), common, co, out.Score.SD)
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
