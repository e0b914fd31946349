package exam

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/database"
	"examd/internal/pgtest"
)

// The store's own tests, on a real PostgreSQL: what the HTTP tests rely on,
// said once at the level of the package that owns it.

type storeFixture struct {
	db    *gorm.DB
	s     *Store
	sc    *fixedScorer
	org   string
	other string
	user  string
}

func newStoreFixture(t *testing.T) *storeFixture {
	t.Helper()
	db := pgtest.Open(t, pgtest.URL(t), database.Options{})
	f := &storeFixture{db: db, sc: &fixedScorer{}}
	f.s = NewStore(db, f.sc)
	for _, id := range []*string{&f.org, &f.other} {
		if err := db.Raw(`INSERT INTO organizations (name) VALUES ('Org') RETURNING id`).Scan(id).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Raw(`INSERT INTO users (org_id, email, name, role, password_hash) VALUES (?, 'r@x.test', 'R', 'recruiter', 'x') RETURNING id`,
		f.org).Scan(&f.user).Error; err != nil {
		t.Fatal(err)
	}
	return f
}

// fixedScorer gives every submission the same scores and counts the
// reviews it was asked to queue, so the store's own part of a submission
// (status, timestamps, one UPDATE) is tested without grading.
type fixedScorer struct {
	mu     sync.Mutex
	scores SubmissionScores
	queued []*SubmissionScores
}

func (f *fixedScorer) ScoreSubmission(context.Context, *gorm.DB, *SubmittedAttempt) (SubmissionScores, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.scores, nil
}

func (f *fixedScorer) QueueReviews(_ context.Context, _ *gorm.DB, _ *SubmittedAttempt, sc *SubmissionScores) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queued = append(f.queued, sc)
	return nil
}

func (f *fixedScorer) QuestionPoints(context.Context, string) (map[string]float64, error) {
	return map[string]float64{}, nil
}

func storeDoc() *Document {
	return &Document{Title: "Store", TimeLimitSeconds: 600, PassScore: 1, Tracks: []string{"m", "s"}, Sections: []Section{
		{Title: "A", Questions: []Question{
			{Type: TypeTrueFalse, Prompt: "tf", Answer: json.RawMessage(`true`), Points: 1},
			{Type: TypeEssay, Prompt: "only m", Points: 4, Tracks: []string{"m"}},
		}},
	}}
}

func (f *storeFixture) create(t *testing.T) *Exam {
	t.Helper()
	d := storeDoc()
	if err := Validate(d); err != nil {
		t.Fatal(err)
	}
	e, err := f.s.Create(context.Background(), f.org, f.user, d)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// publishAndInvite publishes e and invites one candidate.
func (f *storeFixture) publishAndInvite(t *testing.T, e *Exam, who NewInvitation) CreatedInvitation {
	t.Helper()
	ctx := context.Background()
	if _, err := f.s.Publish(ctx, f.org, e.ID, f.user); err != nil {
		t.Fatal(err)
	}
	inv, err := f.s.Invite(ctx, f.org, f.user, e.ID, []NewInvitation{who}, false, "http://x")
	if err != nil {
		t.Fatal(err)
	}
	return inv[0]
}

func TestStoreReplaceKeepsKnownIDsAndRefusesUnknownOnes(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	ctx := context.Background()
	e := f.create(t)
	q0 := e.Document.Sections[0].Questions[0].ID
	if q0 == "" || e.Document.Sections[0].ID == "" {
		t.Fatal("ids not assigned on create")
	}

	d := storeDoc()
	d.Sections[0].ID = e.Document.Sections[0].ID
	d.Sections[0].Questions[0].ID = q0
	d.Sections[0].Questions[0].Prompt = "tf, edited"
	got, err := f.s.Replace(ctx, f.org, e.ID, d)
	if err != nil {
		t.Fatal(err)
	}
	if got.Document.Sections[0].Questions[0].ID != q0 {
		t.Errorf("replace gave the kept question a new id")
	}
	if got.Document.Sections[0].Questions[1].ID == e.Document.Sections[0].Questions[1].ID {
		t.Errorf("a question sent without id kept the old one's id")
	}

	d = storeDoc()
	d.Sections[0].ID = "22222222-2222-4222-8222-222222222222"
	d.Sections[0].Questions[0].ID = "11111111-1111-4111-8111-111111111111"
	_, err = f.s.Replace(ctx, f.org, e.ID, d)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("unknown id: got %v, want a ValidationError", err)
	}
	want := []FieldError{
		{Field: "sections[0].id", Code: "unknown_id", Message: "no section with this id in this exam; leave id out for a new section"},
		{Field: "sections[0].questions[0].id", Code: "unknown_id", Message: "no question with this id in this exam; leave id out for a new question"},
	}
	if !reflect.DeepEqual(ve.Problems, want) {
		t.Errorf("unknown ids: %+v, want %+v", ve.Problems, want)
	}
	after, _ := f.s.Get(ctx, f.org, e.ID)
	if after.Document.Sections[0].Questions[0].Prompt != "tf, edited" {
		t.Errorf("a refused replace changed the draft")
	}
}

func TestStoreOrganizationsSeeOnlyTheirOwnExams(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	ctx := context.Background()
	e := f.create(t)
	if _, err := f.s.Get(ctx, f.other, e.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("other org Get: %v, want ErrNotFound", err)
	}
	if _, err := f.s.Replace(ctx, f.other, e.ID, storeDoc()); !errors.Is(err, ErrNotFound) {
		t.Errorf("other org Replace: %v, want ErrNotFound", err)
	}
	if _, err := f.s.Publish(ctx, f.other, e.ID, f.user); !errors.Is(err, ErrNotFound) {
		t.Errorf("other org Publish: %v, want ErrNotFound", err)
	}
	if l, err := f.s.List(ctx, f.other); err != nil || len(l) != 0 {
		t.Errorf("other org List: %v %v, want empty", l, err)
	}
	if _, err := f.s.Get(ctx, f.org, "not-a-uuid"); !errors.Is(err, ErrNotFound) {
		t.Errorf("malformed id: %v, want ErrNotFound", err)
	}
}

func TestStoreConcurrentPublishesMakeDistinctFrozenVersions(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	ctx := context.Background()
	e := f.create(t)
	var wg sync.WaitGroup
	got := make(chan int, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.s.Publish(ctx, f.org, e.ID, f.user)
			if err != nil {
				t.Error(err)
				return
			}
			got <- p.Version
		}()
	}
	wg.Wait()
	close(got)
	seen := map[int]bool{}
	for v := range got {
		if seen[v] {
			t.Errorf("version %d made twice", v)
		}
		seen[v] = true
	}
	for v := 1; v <= 6; v++ {
		if !seen[v] {
			t.Errorf("version %d missing; got %v", v, seen)
		}
	}
	// Editing the draft leaves version 1 as it was.
	d := storeDoc()
	d.Title = "changed"
	if _, err := f.s.Replace(ctx, f.org, e.ID, d); err != nil {
		t.Fatal(err)
	}
	v1, err := f.s.GetVersion(ctx, f.org, e.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Exam.Title != "Store" {
		t.Errorf("version 1 title %q after editing the draft, want Store", v1.Exam.Title)
	}
}

func TestStoreAttemptLifecycle(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	ctx := context.Background()
	e := f.create(t)
	if _, err := f.s.Invite(ctx, f.org, f.user, e.ID, []NewInvitation{{CandidateName: "A", CandidateEmail: "a@x.test", Track: "s"}}, false, "http://x"); !errors.Is(err, ErrNotPublished) {
		t.Fatalf("invite before publish: %v, want ErrNotPublished", err)
	}
	inv := f.publishAndInvite(t, e, NewInvitation{CandidateName: "A", CandidateEmail: "a@x.test", Track: "s"})
	id := inv.ID
	if _, err := f.s.OpenSession(ctx, inv.Token+"x"); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("wrong token: %v, want ErrInvalidToken", err)
	}
	if _, err := f.s.OpenSession(ctx, inv.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SaveAnswer(ctx, id, e.Document.Sections[0].Questions[0].ID, json.RawMessage(`{"value":true}`), 1); !errors.Is(err, ErrNoAttempt) {
		t.Errorf("save before start: %v, want ErrNoAttempt", err)
	}

	// Concurrent starts make one attempt.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids, created := map[string]bool{}, 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, c, err := f.s.StartAttempt(ctx, id)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			ids[a.ID] = true
			if c {
				created++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(ids) != 1 || created != 1 {
		t.Fatalf("8 starts made %d attempts, %d reported created; want 1 and 1", len(ids), created)
	}

	// The supervisor's track does not see the manager's essay.
	a, err := f.s.CandidateAttempt(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var secs []CandidateSection
	if err := json.Unmarshal(a.Sections, &secs); err != nil {
		t.Fatal(err)
	}
	if len(secs) != 1 || len(secs[0].Questions) != 1 {
		t.Fatalf("track s sees %s, want the true/false question only", a.Sections)
	}
	essay := e.Document.Sections[0].Questions[1].ID
	if _, err := f.s.SaveAnswer(ctx, id, essay, json.RawMessage(`{"text":"x"}`), 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("saving another track's question: %v, want ErrNotFound", err)
	}

	// seq guards the stored answer.
	q := e.Document.Sections[0].Questions[0].ID
	if r, err := f.s.SaveAnswer(ctx, id, q, json.RawMessage(`{"value":false}`), 5); err != nil || r.Seq != 5 {
		t.Fatalf("save seq 5: %v %v", r, err)
	}
	if r, err := f.s.SaveAnswer(ctx, id, q, json.RawMessage(`{"value":true}`), 3); err != nil || r.Seq != 5 {
		t.Fatalf("stale save seq 3: %+v %v, want the stored seq 5", r, err)
	}
	a, _ = f.s.CandidateAttempt(ctx, id)
	var resp map[string]struct {
		Response json.RawMessage `json:"response"`
		Seq      int64           `json:"seq"`
	}
	if err := json.Unmarshal(a.Responses, &resp); err != nil {
		t.Fatal(err)
	}
	if string(resp[q].Response) != `{"value":false}` || resp[q].Seq != 5 {
		t.Errorf("stored %s seq %d, want {\"value\":false} seq 5", resp[q].Response, resp[q].Seq)
	}

	// Submit is idempotent and closes the attempt to saves.
	s1, err := f.s.Submit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := f.s.Submit(ctx, id)
	if err != nil || !s2.SubmittedAt.Equal(s1.SubmittedAt) {
		t.Errorf("second submit: %+v %v, want the first one's time %v", s2, err, s1.SubmittedAt)
	}
	if _, err := f.s.SaveAnswer(ctx, id, q, json.RawMessage(`{"value":true}`), 9); !errors.Is(err, ErrAttemptSubmitted) {
		t.Errorf("save after submit: %v, want ErrAttemptSubmitted", err)
	}
	if err := f.s.Revoke(ctx, audit.Actor{OrgID: f.org, UserID: f.user}, id); !errors.Is(err, ErrInvitationStarted) {
		t.Errorf("revoke a started invitation: %v, want ErrInvitationStarted", err)
	}
}

func TestStoreSubmitRecordsTheScorersScoresOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		scores     SubmissionScores
		wantStatus string
		wantPassed *bool
	}{
		{"nothing to review: graded, pass decided", SubmissionScores{Objective: map[string]float64{"q": 1}, Auto: 1, Max: 5}, "graded", ptr(true)},
		{"below the pass mark", SubmissionScores{Objective: map[string]float64{"q": 0}, Auto: 0, Max: 5}, "graded", ptr(false)},
		{"an essay to review: grading", SubmissionScores{Objective: map[string]float64{"q": 1}, Auto: 1, Max: 5,
			Review: []ReviewNeed{{QuestionID: "essay", MaxPoints: 4}}}, "grading", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newStoreFixture(t)
			f.sc.scores = tc.scores
			e := f.create(t)
			id := f.publishAndInvite(t, e, NewInvitation{CandidateName: "C", CandidateEmail: "c@x.test", Track: "m"}).ID
			if _, _, err := f.s.StartAttempt(ctx, id); err != nil {
				t.Fatal(err)
			}
			res, err := f.s.Submit(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Submit(ctx, id); err != nil {
				t.Fatal(err)
			}
			var row struct {
				Status          string
				SubmittedBy     string
				SubmittedAt     time.Time
				ObjectiveScores []byte
				AutoScore       float64
				Score           float64
				MaxScore        float64
				Passed          *bool
				Graded          bool
			}
			if err := f.db.Raw(`SELECT status, submitted_by, submitted_at, objective_scores, auto_score, score, max_score, passed,
				graded_at IS NOT NULL AS graded FROM attempts WHERE invitation_id = ?`, id).Scan(&row).Error; err != nil {
				t.Fatal(err)
			}
			var obj map[string]float64
			if err := json.Unmarshal(row.ObjectiveScores, &obj); err != nil {
				t.Fatal(err)
			}
			if row.Status != tc.wantStatus || row.SubmittedBy != "candidate" || !row.SubmittedAt.Equal(res.SubmittedAt) ||
				obj["q"] != tc.scores.Objective["q"] || row.AutoScore != tc.scores.Auto || row.Score != tc.scores.Auto ||
				row.MaxScore != tc.scores.Max || row.Graded != (tc.wantStatus == "graded") {
				t.Errorf("attempt row %+v (objective %v), want status %s with the scorer's scores %+v at %v", row, obj, tc.wantStatus, tc.scores, res.SubmittedAt)
			}
			if (row.Passed == nil) != (tc.wantPassed == nil) || (row.Passed != nil && *row.Passed != *tc.wantPassed) {
				t.Errorf("passed = %v, want %v", row.Passed, tc.wantPassed)
			}
			if len(f.sc.queued) != 1 || len(f.sc.queued[0].Review) != len(tc.scores.Review) {
				t.Errorf("reviews queued %d times (%v), want once, after the first submit only", len(f.sc.queued), f.sc.queued)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
