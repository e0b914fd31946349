package grading

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"examd/exam"
)

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType   string     `json:"Node Type"`
	IndexName  string     `json:"Index Name"`
	ActualRows float64    `json:"Actual Rows"`
	Plans      []planNode `json:"Plans"`
}

func (n planNode) walk(f func(planNode)) {
	f(n)
	for _, c := range n.Plans {
		c.walk(f)
	}
}

// explainClaim runs claimSQL under EXPLAIN ANALYZE in a transaction that
// is rolled back, and returns the plan and how many of review_items'
// updates in it were HOT.
func explainClaim(t *testing.T, db *gorm.DB, moderation bool, org, me, examID string) (planNode, int64) {
	t.Helper()
	var root planNode
	var hot int64
	err := db.Transaction(func(tx *gorm.DB) error {
		var out []string
		var hot0 int64
		if err := tx.Raw(`SELECT n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'review_items'`).Scan(&hot0).Error; err != nil {
			return err
		}
		if err := tx.Raw(`EXPLAIN (ANALYZE, FORMAT JSON) `+claimSQL(moderation, true), map[string]any{
			"org": org, "me": me, "exam": examID, "lease": LeaseDuration.Seconds(),
		}).Scan(&out).Error; err != nil {
			return err
		}
		var plans []struct{ Plan planNode }
		if err := json.Unmarshal([]byte(out[0]), &plans); err != nil {
			return err
		}
		root = plans[0].Plan
		if err := tx.Raw(`SELECT n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'review_items'`).Scan(&hot).Error; err != nil {
			return err
		}
		hot -= hot0
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
	return root, hot
}

var errRollback = fmt.Errorf("rollback")

// A claim reads the waiting items in index order and stops at the first it
// may take, even when the statistics still say the table is empty (a fresh
// wave of essays before autovacuum's ANALYZE): no sort of the queue, the
// queue's own partial index, one row read from it. Before, the planner
// sorted every waiting item at every claim. The take is a HOT update (no
// index covers what it sets).
func TestClaimReadsTheQueueInIndexOrder(t *testing.T) {
	f := parallelFixture(t)
	ctx := context.Background()
	if err := f.db.Exec(`ANALYZE review_items`).Error; err != nil {
		t.Fatal(err)
	}
	doc := &exam.Document{Title: "Essays", TimeLimitSeconds: 600}
	sec := exam.Section{Title: "S"}
	for i := range 30 {
		sec.Questions = append(sec.Questions, exam.Question{Type: exam.TypeEssay, Prompt: fmt.Sprintf("essay %d", i), Points: 2})
	}
	doc.Sections = []exam.Section{sec}
	e := f.publish(t, doc)
	answers := map[string]string{}
	for _, id := range qids(e) {
		answers[id] = `{"text": "x"}`
	}
	for i := range 4 {
		f.take(t, e.ID, fmt.Sprintf("c%d", i), answers, true) // 120 items
	}
	var other string
	if err := f.db.Raw(`INSERT INTO users (org_id, email, name, role, password_hash) VALUES (?, 'rev@x.test', 'Rev', 'reviewer', 'x') RETURNING id`,
		f.org).Scan(&other).Error; err != nil {
		t.Fatal(err)
	}
	// hotToo: whether the take must be a HOT update. Only asked of the fresh
	// queue: once half of it has been updated, whether a page still has room
	// depends on pruning, which a snapshot held by any other session on the
	// cluster (the other packages' tests run beside this one) holds back.
	check := func(when string, moderation bool, index string, maxRows float64, hotToo bool) {
		t.Helper()
		plan, hot := explainClaim(t, f.db, moderation, f.org, other, e.ID)
		used := false
		plan.walk(func(n planNode) {
			if n.NodeType == "Sort" || n.NodeType == "Incremental Sort" {
				t.Errorf("%s: the claim sorts (%s)", when, n.NodeType)
			}
			if n.IndexName == index {
				used = true
				if n.ActualRows > maxRows {
					t.Errorf("%s: %v rows read from %s, want at most %v", when, n.ActualRows, index, maxRows)
				}
			}
		})
		if !used {
			t.Errorf("%s: the claim does not read %s", when, index)
		}
		if hotToo && hot != 1 {
			t.Errorf("%s: %d HOT updates of review_items, want the take's 1", when, hot)
		}
	}
	check("a fresh queue", false, "review_items_marks_queue_idx", 1, true)

	// Half the queue scored, one item held by f.user: still one row read
	// past the held one.
	for range 60 {
		it, err := f.grader.Claim(ctx, f.org, f.user, e.ID)
		if err != nil || it == nil {
			t.Fatalf("claim: %v %v", it, err)
		}
		if _, err := f.grader.ScoreReview(ctx, f.org, f.user, it.ID, Mark{Points: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if it, err := f.grader.Claim(ctx, f.org, f.user, e.ID); err != nil || it == nil {
		t.Fatalf("claim: %v %v", it, err)
	}
	check("half the queue scored", false, "review_items_marks_queue_idx", 2, false)
	// A moderation claim (of a reviewer who holds nothing) reads the
	// moderation queue's index, unsorted, too (once the statistics know the
	// table is not empty: the moderation queue is small, and a seq scan of
	// a table believed empty is what the planner then prefers).
	if err := f.db.Exec(`ANALYZE review_items`).Error; err != nil {
		t.Fatal(err)
	}
	check("a moderation claim", true, "review_items_moderation_queue_idx", 0, false)
}
