package grading

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"examd/audit"
	"examd/exam"
)

// Candidates start and submit while the key is amended back and forth: no
// deadlock, and afterwards every submitted attempt carries the score of the
// final key, whichever moment it was submitted at.
func TestAmendmentRacesSubmissions(t *testing.T) {
	f := parallelFixture(t)
	ctx := context.Background()
	e := f.publish(t, &exam.Document{Title: "Race", TimeLimitSeconds: 600, PassScore: 1, Sections: []exam.Section{{Title: "S",
		Questions: []exam.Question{{Type: exam.TypeSingleChoice, Prompt: "pick", Points: 2,
			Options: []exam.Option{{Key: "a", Text: "A"}, {Key: "b", Text: "B"}}, Answer: json.RawMessage(`"a"`)}}}}})
	qid := qids(e)[0]
	// Some attempts already in progress when the amendments begin.
	for i := 0; i < 5; i++ {
		f.take(t, e.ID, fmt.Sprint("early", i), map[string]string{qid: `{"choice": "b"}`}, false)
	}

	const amendments, candidates = 12, 4
	var wg sync.WaitGroup
	errs := make(chan error, amendments+candidates*20)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < amendments; i++ {
			key := `{"answer": "a"}`
			if i%2 == 0 {
				key = `{"answer": "b"}`
			}
			if _, err := f.grader.AmendKey(ctx, audit.Actor{OrgID: f.org, UserID: f.user, Role: "admin"}, e.ID, 1, qid, json.RawMessage(key), "a typo in the key", false); err != nil {
				errs <- fmt.Errorf("amend %d: %w", i, err)
			}
		}
	}()
	for c := 0; c < candidates; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				inv, err := f.exams.Invite(ctx, f.org, f.user, e.ID, []exam.NewInvitation{{CandidateName: "n", CandidateEmail: fmt.Sprintf("c%d-%d@c.test", c, i)}}, false, "http://x")
				if err != nil {
					errs <- err
					return
				}
				if _, _, err := f.exams.StartAttempt(ctx, inv[0].ID); err != nil {
					errs <- err
					return
				}
				if _, err := f.exams.SaveAnswer(ctx, inv[0].ID, qid, json.RawMessage(`{"choice": "b"}`), 1); err != nil {
					errs <- err
					return
				}
				if _, err := f.exams.Submit(ctx, inv[0].ID); err != nil {
					errs <- fmt.Errorf("submit: %w", err)
					return
				}
			}
		}()
	}
	// The early attempts are submitted in the middle of it all.
	var early []string
	if err := f.db.Raw(`SELECT invitation_id FROM attempts WHERE status = 'in_progress'`).Scan(&early).Error; err != nil {
		t.Fatal(err)
	}
	for _, inv := range early {
		if _, err := f.exams.Submit(ctx, inv); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	// The last amendment (i = 11) set the key to a: every "b" scores 0.
	d, err := exam.ReadVersion(ctx, f.db, e.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := d.Sections[0].Questions[0].AnswerKey(); k != "a" {
		t.Fatalf("final key %q", k)
	}
	var rows []struct {
		Status string
		Score  *float64
		N      int
	}
	if err := f.db.Raw(`SELECT status, score, count(*) AS n FROM attempts GROUP BY status, score`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Status != "graded" || rows[0].Score == nil || *rows[0].Score != 0 || rows[0].N != 5+candidates*15 {
		for _, r := range rows {
			if r.Score != nil {
				t.Errorf("%s, score %v: %d attempts", r.Status, *r.Score, r.N)
			} else {
				t.Errorf("%s, no score: %d attempts", r.Status, r.N)
			}
		}
	}
	var recorded int
	if err := f.db.Raw(`SELECT count(*) FROM key_amendments`).Scan(&recorded).Error; err != nil || recorded != amendments {
		t.Fatalf("recorded %d amendments (%v)", recorded, err)
	}
}

// A dry run writes nothing, also to the amendment log.
func TestAmendmentDryRunWritesNothing(t *testing.T) {
	f := parallelFixture(t)
	ctx := context.Background()
	e := f.publish(t, mixedExam())
	ids := qids(e)
	f.take(t, e.ID, "c", map[string]string{ids[0]: `{"value": false}`}, true)
	before, err := exam.ReadVersion(ctx, f.db, e.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.grader.AmendKey(ctx, audit.Actor{OrgID: f.org, UserID: f.user, Role: "admin"}, e.ID, 1, ids[0], json.RawMessage(`{"answer": false}`), "", true)
	if err != nil || res.Regraded != 1 || len(res.Changed) != 1 || res.Changed[0].OldScore != 0 || res.Changed[0].NewScore != 1 {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	after, err := exam.ReadVersion(ctx, f.db, e.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	var n int
	var score float64
	f.db.Raw(`SELECT count(*) FROM key_amendments`).Scan(&n)
	f.db.Raw(`SELECT score FROM attempts`).Scan(&score)
	if string(b1) != string(b2) || n != 0 || score != 0 {
		t.Fatalf("dry run wrote: amendments %d, score %v, document changed %v", n, score, string(b1) != string(b2))
	}
	// Other organizations, unknown versions and questions: not found.
	for _, c := range []struct {
		org, exam string
		v         int
		q         string
	}{
		{"00000000-0000-0000-0000-000000000000", e.ID, 1, ids[0]},
		{f.org, e.ID, 2, ids[0]},
		{f.org, e.ID, 0, ids[0]},
		{f.org, "nope", 1, ids[0]},
		{f.org, e.ID, 1, "nope"},
	} {
		if _, err := f.grader.AmendKey(ctx, audit.Actor{OrgID: c.org, UserID: f.user, Role: "admin"}, c.exam, c.v, c.q, json.RawMessage(`{"answer": true}`), "wrong key", false); !errors.Is(err, ErrNotFound) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
