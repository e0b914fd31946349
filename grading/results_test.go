package grading

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"examd/exam"
	"examd/internal/database"
	"examd/internal/pgtest"
)

// queryCounter is a GORM logger that counts the statements run.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) LogMode(logger.LogLevel) logger.Interface { return c }
func (c *queryCounter) Info(context.Context, string, ...any)     {}
func (c *queryCounter) Warn(context.Context, string, ...any)     {}
func (c *queryCounter) Error(context.Context, string, ...any)    {}
func (c *queryCounter) Trace(context.Context, time.Time, func() (string, int64), error) {
	c.n.Add(1)
}

type fixture struct {
	db     *gorm.DB
	exams  *exam.Store
	grader *Grader
	org    string
	user   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := pgtest.Open(t, pgtest.URL(t), database.Options{})
	f := &fixture{db: db, exams: exam.NewStore(db, NewScorer(db))}
	f.grader = New(db, f.exams)
	if err := db.Raw(`INSERT INTO organizations (name) VALUES ('Org') RETURNING id`).Scan(&f.org).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(`INSERT INTO users (org_id, email, name, role, password_hash) VALUES (?, 'r@x.test', 'R', 'recruiter', 'x') RETURNING id`,
		f.org).Scan(&f.user).Error; err != nil {
		t.Fatal(err)
	}
	return f
}

// parallelFixture runs the test in parallel with the others and gives it
// its own fixture on a fresh database (newFixture), which makes that safe.
func parallelFixture(t *testing.T) *fixture {
	t.Helper()
	t.Parallel()
	return newFixture(t)
}

// mixedExam: two sections, an objective question and an essay in each.
func mixedExam() *exam.Document {
	return &exam.Document{Title: "Mixed", TimeLimitSeconds: 600, PassScore: 3, Sections: []exam.Section{
		{Title: "A", Questions: []exam.Question{
			{Type: exam.TypeTrueFalse, Prompt: "tf", Answer: json.RawMessage(`true`), Points: 1},
			{Type: exam.TypeEssay, Prompt: "essay A", Points: 4},
		}},
		{Title: "B", Questions: []exam.Question{
			{Type: exam.TypeFillIn, Prompt: "x {{1}}", Blanks: []exam.Blank{{Accepted: []string{"abc"}, Points: 2}}},
			{Type: exam.TypeEssay, Prompt: "essay B", Points: 4},
		}},
	}}
}

// publish creates and publishes d and returns the exam with its ids.
func (f *fixture) publish(t *testing.T, d *exam.Document) *exam.Exam {
	t.Helper()
	ctx := context.Background()
	if err := exam.Validate(d); err != nil {
		t.Fatal(err)
	}
	d.Normalize()
	e, err := f.exams.Create(ctx, f.org, f.user, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.exams.Publish(ctx, f.org, e.ID, f.user); err != nil {
		t.Fatal(err)
	}
	return e
}

// take invites a candidate, saves answers (question id → raw response) and
// submits; it returns the attempt id.
func (f *fixture) take(t *testing.T, examID, name string, answers map[string]string, submit bool) string {
	t.Helper()
	ctx := context.Background()
	inv, err := f.exams.Invite(ctx, f.org, f.user, examID, []exam.NewInvitation{{CandidateName: name, CandidateEmail: name + "@c.test"}}, false, "http://x")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := f.exams.StartAttempt(ctx, inv[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for qid, raw := range answers {
		if _, err := f.exams.SaveAnswer(ctx, inv[0].ID, qid, json.RawMessage(raw), 1); err != nil {
			t.Fatal(err)
		}
	}
	if submit {
		if _, err := f.exams.Submit(ctx, inv[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	return a.ID
}

func qids(e *exam.Exam) []string {
	var ids []string
	e.Questions(func(_, _ int, _ *exam.Section, q *exam.Question) { ids = append(ids, q.ID) })
	return ids
}

// Results, a page of them sorted by a section, the CSV and the attempt
// detail run a fixed number of statements whatever the number of attempts,
// answers, review items and events.
func TestResultsRunAFixedNumberOfQueries(t *testing.T) {
	f := parallelFixture(t)
	e := f.publish(t, mixedExam())
	ids := qids(e)
	answers := map[string]string{ids[0]: `{"value": true}`, ids[1]: `{"text": "a"}`, ids[2]: `{"blanks": ["ABC"]}`, ids[3]: `{"text": "b"}`}

	count := func(run func(g *Grader) error) int64 {
		t.Helper()
		var c queryCounter
		g := &Grader{db: f.db.Session(&gorm.Session{Logger: &c}), exams: f.exams}
		if err := run(g); err != nil {
			t.Fatal(err)
		}
		return c.n.Load()
	}
	ctx := context.Background()
	measure := func() (list, page, csv, detail int64) {
		var attemptID string
		if err := f.db.Raw(`SELECT id FROM attempts ORDER BY started_at DESC LIMIT 1`).Scan(&attemptID).Error; err != nil {
			t.Fatal(err)
		}
		list = count(func(g *Grader) error { _, err := g.Results(ctx, f.org, e.ID); return err })
		page = count(func(g *Grader) error {
			_, _, err := g.ResultsPage(ctx, f.org, e.ID, ResultQuery{Sort: "-section:" + e.Sections[0].ID, Limit: 3})
			return err
		})
		csv = count(func(g *Grader) error { return g.ResultsCSV(ctx, f.org, e.ID, io.Discard) })
		detail = count(func(g *Grader) error { _, err := g.AttemptDetail(ctx, f.org, attemptID); return err })
		return
	}
	f.take(t, e.ID, "first", answers, true)
	l1, p1, c1, d1 := measure()
	for i := 0; i < 5; i++ {
		f.take(t, e.ID, fmt.Sprint("more", i), answers, i%2 == 0)
	}
	l6, p6, c6, d6 := measure()
	if l1 != l6 || p1 != p6 || c1 != c6 || d1 != d6 {
		t.Fatalf("statements grow with attempts: list %d → %d, page %d → %d, csv %d → %d, detail %d → %d", l1, l6, p1, p6, c1, c6, d1, d6)
	}
	// The list and its pages read the versions and the essays' points for
	// the rows' section and tag scores: four statements, as the CSV.
	if l1 > 4 || p1 > 4 || c1 > 4 || d1 > 4 {
		t.Errorf("statements: list %d, page %d, csv %d, detail %d", l1, p1, c1, d1)
	}
}

// The CSV's section columns add the objective points and the reviewed
// essay points of each section.
func TestResultsCSVSectionScores(t *testing.T) {
	f := parallelFixture(t)
	ctx := context.Background()
	e := f.publish(t, mixedExam())
	ids := qids(e)
	// tf right (A: 1), fill-in full-width right (B: 2), both essays answered.
	attemptID := f.take(t, e.ID, "c", map[string]string{ids[0]: `{"value": true}`, ids[1]: `{"text": "a"}`,
		ids[2]: `{"blanks": ["ＡＢＣ"]}`, ids[3]: `{"text": "b"}`}, true)
	reviewer := f.user
	for range 2 {
		item, err := f.grader.Claim(ctx, f.org, reviewer, e.ID)
		if err != nil || item == nil {
			t.Fatalf("claim: %v %v", item, err)
		}
		// essay A gets 3.5, essay B gets 2.
		pts := 3.5
		if item.Question.Prompt == "essay B" {
			pts = 2
		}
		if _, err := f.grader.ScoreReview(ctx, f.org, reviewer, item.ID, Mark{Points: pts}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := f.grader.AttemptDetail(ctx, f.org, attemptID)
	if err != nil {
		t.Fatal(err)
	}
	// A: 1 + 3.5 = 4.5; B: 2 + 2 = 4; total 8.5 ≥ 3: passed.
	if d.Status != "graded" || *d.Score != 8.5 || *d.AutoScore != 3 || *d.ManualScore != 5.5 || *d.MaxScore != 11 || !*d.Passed {
		t.Fatalf("detail: status %s score %v auto %v manual %v max %v passed %v", d.Status, *d.Score, *d.AutoScore, *d.ManualScore, *d.MaxScore, *d.Passed)
	}
	var sb strings.Builder
	if err := f.grader.ResultsCSV(ctx, f.org, e.ID, &sb); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFinvitation_id,attempt_id,candidate_name,candidate_email,track,status,auto_score,manual_score,score,max_score,passed,submitted_at,submitted_by,A,B\r\n"
	if !strings.HasPrefix(sb.String(), want) {
		t.Fatalf("CSV header: %q", sb.String())
	}
	if !strings.Contains(sb.String(), ",graded,3,5.5,8.5,11,true,") || !strings.HasSuffix(sb.String(), ",candidate,4.5,4\r\n") {
		t.Fatalf("CSV: %q", sb.String())
	}
}

func TestCheckPoints(t *testing.T) {
	for _, c := range []struct {
		points, max float64
		code        string // "" when the points are fine
	}{
		{0, 6, ""}, {6, 6, ""}, {0.5, 6, ""}, {5.5, 6, ""}, {3, 6, ""},
		{-0.5, 6, "out_of_range"}, {6.5, 6, "out_of_range"}, {7.3, 20, "not_multiple_of_half"},
		{0.25, 6, "not_multiple_of_half"}, {1e300, 6, "out_of_range"}, {math.NaN(), 6, "wrong_type"},
	} {
		err := checkPoints(c.points, c.max)
		var ve *exam.ValidationError
		if (err == nil) != (c.code == "") || (err != nil && (!errors.As(err, &ve) || ve.Problems[0].Field != "points" || ve.Problems[0].Code != c.code)) {
			t.Errorf("checkPoints(%v, %v) = %+v, want code %q", c.points, c.max, err, c.code)
		}
		if c.code == "out_of_range" && (ve.Problems[0].Params["min"] != 0 || ve.Problems[0].Params["max"] != c.max) {
			t.Errorf("checkPoints(%v, %v) params %v", c.points, c.max, ve.Problems[0].Params)
		}
	}
}
