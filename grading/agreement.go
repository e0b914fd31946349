package grading

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
)

// Agreement is how closely an exam's two markers agree: over its pairs
// (double-marked essays with both marks in), the mean absolute difference
// of the two marks, ICC(2,1) and how many essays a moderator scored; and
// per reviewer, how many marks they gave and how far, on average and with
// its sign, their mark lay from their co-marker's (positive: lenient).
type Agreement struct {
	Pairs             int                 `json:"pairs"`
	MeanAbsDifference *float64            `json:"mean_abs_difference"`
	ICC               *float64            `json:"icc"`
	Moderated         int                 `json:"moderated"`
	Reviewers         []ReviewerAgreement `json:"reviewers"`
}

// ReviewerAgreement is one reviewer's line of Agreement. MeanDifference is
// the mean of (their mark − the co-marker's) over their paired marks.
type ReviewerAgreement struct {
	UserID         string   `json:"user_id"`
	Name           string   `json:"name"`
	Marks          int      `json:"marks"`
	MeanDifference *float64 `json:"mean_difference"`
}

// MinICCPairs is the fewest pairs ICC is computed on.
const MinICCPairs = 5

// ICC21 is the intraclass correlation ICC(2,1) of Shrout and Fleiss (1979):
// two-way random effects, absolute agreement, single rater, of n targets
// each rated by the same k raters (ratings[i][j]: target i, rater j):
//
//	ICC(2,1) = (MSR − MSE) / (MSR + (k−1)·MSE + k·(MSC − MSE)/n)
//
// with MSR the mean square between targets, MSC between raters and MSE the
// residual. ok is false when n < 2, k < 2 or the denominator is 0.
func ICC21(ratings [][]float64) (icc float64, ok bool) {
	n := len(ratings)
	if n < 2 {
		return 0, false
	}
	k := len(ratings[0])
	if k < 2 {
		return 0, false
	}
	grand := 0.0
	rowMean := make([]float64, n)
	colMean := make([]float64, k)
	for i, row := range ratings {
		if len(row) != k {
			return 0, false
		}
		for j, x := range row {
			rowMean[i] += x / float64(k)
			colMean[j] += x / float64(n)
			grand += x / float64(n*k)
		}
	}
	var ssr, ssc, sst float64
	for i, row := range ratings {
		ssr += float64(k) * (rowMean[i] - grand) * (rowMean[i] - grand)
		for _, x := range row {
			sst += (x - grand) * (x - grand)
		}
	}
	for j := range colMean {
		ssc += float64(n) * (colMean[j] - grand) * (colMean[j] - grand)
	}
	sse := sst - ssr - ssc
	msr := ssr / float64(n-1)
	msc := ssc / float64(k-1)
	mse := sse / float64((n-1)*(k-1))
	den := msr + float64(k-1)*mse + float64(k)*(msc-mse)/float64(n)
	if den == 0 || math.IsNaN(den) {
		return 0, false
	}
	return (msr - mse) / den, true
}

// Agreement computes an exam's rater agreement (ErrNotFound when examID
// names no exam of orgID). ICC's two raters are the first mark given to
// each essay and the second (by the time they were scored).
func (g *Grader) Agreement(ctx context.Context, orgID, examID string) (*Agreement, error) {
	if err := examInOrg(ctx, g.db, orgID, examID); err != nil {
		return nil, err
	}
	var pairs []struct {
		P1, P2 float64
		R1, R2 string
		S1, S2 time.Time
	}
	if err := g.db.WithContext(ctx).Raw(`SELECT m1.points AS p1, m2.points AS p2, m1.scored_by AS r1, m2.scored_by AS r2,
			m1.scored_at AS s1, m2.scored_at AS s2
		FROM review_items m1 JOIN review_items m2 ON m2.attempt_id = m1.attempt_id AND m2.question_id = m1.question_id AND m2.slot = 2
		WHERE m1.org_id = ? AND m1.exam_id = ? AND m1.slot = 1 AND m1.scored_at IS NOT NULL AND m2.scored_at IS NOT NULL
		ORDER BY m1.created_at, m1.id`, orgID, examID).Scan(&pairs).Error; err != nil {
		return nil, fmt.Errorf("grading: agreement pairs: %w", err)
	}
	var rev []struct {
		UserID string
		Name   string
		Marks  int
	}
	if err := g.db.WithContext(ctx).Raw(`SELECT u.id AS user_id, u.name, count(*) AS marks
		FROM review_items r JOIN users u ON u.id = r.scored_by
		WHERE r.org_id = ? AND r.exam_id = ? AND r.slot IN (1, 2) AND r.scored_at IS NOT NULL
		GROUP BY u.id, u.name ORDER BY u.name, u.id`, orgID, examID).Scan(&rev).Error; err != nil {
		return nil, fmt.Errorf("grading: agreement reviewers: %w", err)
	}
	var moderated int
	if err := g.db.WithContext(ctx).Raw(`SELECT count(*) FROM review_items
		WHERE org_id = ? AND exam_id = ? AND slot = 3 AND scored_by IS NOT NULL`, orgID, examID).Scan(&moderated).Error; err != nil {
		return nil, fmt.Errorf("grading: agreement moderated: %w", err)
	}
	out := &Agreement{Pairs: len(pairs), Moderated: moderated, Reviewers: make([]ReviewerAgreement, 0, len(rev))}
	sumDiff := map[string]float64{}
	nDiff := map[string]int{}
	ratings := make([][]float64, 0, len(pairs))
	abs := 0.0
	for _, p := range pairs {
		if p.S2.Before(p.S1) { // the first mark given is rater 1
			p.P1, p.P2, p.R1, p.R2 = p.P2, p.P1, p.R2, p.R1
		}
		abs += math.Abs(p.P1 - p.P2)
		ratings = append(ratings, []float64{p.P1, p.P2})
		sumDiff[p.R1] += p.P1 - p.P2
		nDiff[p.R1]++
		sumDiff[p.R2] += p.P2 - p.P1
		nDiff[p.R2]++
	}
	if len(pairs) > 0 {
		v := abs / float64(len(pairs))
		out.MeanAbsDifference = &v
	}
	if len(pairs) >= MinICCPairs {
		if v, ok := ICC21(ratings); ok {
			out.ICC = &v
		}
	}
	for _, r := range rev {
		ra := ReviewerAgreement{UserID: r.UserID, Name: r.Name, Marks: r.Marks}
		if n := nDiff[r.UserID]; n > 0 {
			v := sumDiff[r.UserID] / float64(n)
			ra.MeanDifference = &v
		}
		out.Reviewers = append(out.Reviewers, ra)
	}
	sort.SliceStable(out.Reviewers, func(i, j int) bool { return out.Reviewers[i].Name < out.Reviewers[j].Name })
	return out, nil
}
