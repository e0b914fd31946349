package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"examd/internal/savecheck"
)

// The bench's own lookup tables live in schema bench of the product's
// database, so pgbench scripts can draw an attempt or a question by number.
const benchSchema = `
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.pool (pool text, n int, invitation_id uuid NOT NULL, attempt_id uuid NOT NULL, PRIMARY KEY (pool, n));
CREATE TABLE bench.questions (exam text, k int, question_id text NOT NULL, response jsonb NOT NULL, PRIMARY KEY (exam, k));
`

func setupBenchSchema(ctx context.Context, db *pgxpool.Pool, pools map[string][]*candidate, exams map[string]*examInfo) error {
	if _, err := db.Exec(ctx, benchSchema); err != nil {
		return fmt.Errorf("bench schema: %w", err)
	}
	var rows [][]any
	for name, cands := range pools {
		for _, c := range cands {
			rows = append(rows, []any{name, c.N + 1, c.InvitationID, c.AttemptID})
		}
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"bench", "pool"}, []string{"pool", "n", "invitation_id", "attempt_id"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("bench pool: %w", err)
	}
	rows = nil
	for name, e := range exams {
		// Essay 0 carries text, the others are empty, as for the app's candidates.
		c := &candidate{EssayNo: 0}
		for k, q := range e.Questions {
			rows = append(rows, []any{name, k + 1, q.ID, string(responseFor(q, c, k))})
		}
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"bench", "questions"}, []string{"exam", "k", "question_id", "response"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("bench questions: %w", err)
	}
	_, err := db.Exec(ctx, `ANALYZE bench.pool; ANALYZE bench.questions`)
	return err
}

// fillAnswers writes every question's answer for the given attempts in SQL
// (for the pool whose answers only matter as the input of submits), with
// the same responses the HTTP saves send: one essay with text a candidate.
func fillAnswers(ctx context.Context, db *pgxpool.Pool, e *examInfo, cands []*candidate) (int64, error) {
	var ids []string
	var essay []int32
	for _, c := range cands {
		ids = append(ids, c.AttemptID)
		essay = append(essay, int32(c.EssayNo))
	}
	var qids, resps []string
	var essayNos []int32
	for k, q := range e.Questions {
		qids = append(qids, q.ID)
		resps = append(resps, string(responseFor(q, &candidate{EssayNo: -2}, k)))
		essayNos = append(essayNos, int32(q.EssayNo))
	}
	text := string(responseFor(question{Type: "essay", EssayNo: 0}, &candidate{EssayNo: 0}, 3))
	tag, err := db.Exec(ctx, `
		INSERT INTO answers AS x (attempt_id, question_id, response, seq, saved_at)
		SELECT a.id, q.qid, CASE WHEN q.essay_no = a.essay_no THEN $5::jsonb ELSE q.resp::jsonb END, 1, now()
		FROM unnest($1::uuid[], $2::int[]) AS a(id, essay_no), unnest($3::text[], $4::text[], $6::int[]) AS q(qid, resp, essay_no)
		ON CONFLICT (attempt_id, question_id) DO UPDATE SET response = EXCLUDED.response, seq = x.seq + 1`,
		ids, essay, qids, resps, text, essayNos)
	if err != nil {
		return 0, fmt.Errorf("fill answers: %w", err)
	}
	return tag.RowsAffected(), nil
}

// missingAnswers lists, per attempt, the question ids without an answer.
func missingAnswers(ctx context.Context, db *pgxpool.Pool, e *examInfo, cands []*candidate) (map[string][]string, error) {
	var ids, qids []string
	for _, c := range cands {
		ids = append(ids, c.AttemptID)
	}
	for _, q := range e.Questions {
		qids = append(qids, q.ID)
	}
	rows, err := db.Query(ctx, `SELECT a.id::text, q.qid FROM unnest($1::uuid[]) a(id) CROSS JOIN unnest($2::text[]) q(qid)
		WHERE NOT EXISTS (SELECT 1 FROM answers x WHERE x.attempt_id = a.id AND x.question_id = q.qid)`, ids, qids)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for rows.Next() {
		var a, q string
		if err := rows.Scan(&a, &q); err != nil {
			return nil, err
		}
		out[a] = append(out[a], q)
	}
	return out, rows.Err()
}

// ackKey names one answer.
type ackKey struct{ attempt, question string }

// acked is the newest acknowledged save of an answer.
type acked struct {
	seq  int64
	resp json.RawMessage
}

// verifyAcks checks that each answer holds its newest acknowledged save:
// the same seq and the same response. It returns how many were checked and
// the problems found.
func verifyAcks(ctx context.Context, db *pgxpool.Pool, acks map[ackKey]acked, unknown map[ackKey]map[int64]json.RawMessage) (int, []string, error) {
	var ids []string
	seen := map[string]bool{}
	for k := range acks {
		if !seen[k.attempt] {
			seen[k.attempt] = true
			ids = append(ids, k.attempt)
		}
	}
	stored, err := savecheck.Stored(ctx, db, ids)
	if err != nil {
		return 0, nil, err
	}
	var problems []string
	for k, want := range acks {
		g, ok := stored[savecheck.Key{Attempt: k.attempt, Question: k.question}]
		got := acked{seq: g.Seq, resp: g.Resp}
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s/%s: acknowledged seq %d, no row", k.attempt, k.question, want.seq))
		case got.seq > want.seq && unknown[k][got.seq] != nil && savecheck.SameJSON(got.resp, unknown[k][got.seq]):
			// A later save whose answer the client never got was committed:
			// newer than what was acknowledged, so nothing was lost.
		case got.seq != want.seq:
			problems = append(problems, fmt.Sprintf("%s/%s: acknowledged seq %d, stored %d", k.attempt, k.question, want.seq, got.seq))
		case !savecheck.SameJSON(got.resp, want.resp):
			problems = append(problems, fmt.Sprintf("%s/%s: stored %s, acknowledged %s", k.attempt, k.question, got.resp, want.resp))
		}
	}
	return len(acks), problems, nil
}

// examState fingerprints an exam's attempts and review items, to show that
// a repeated submit changes nothing.
func examState(ctx context.Context, db *pgxpool.Pool, examID string) (string, error) {
	var s string
	err := db.QueryRow(ctx, `SELECT
		(SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY a.id), '')) FROM attempts a WHERE exam_id = $1) || ':' ||
		(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r.id), '')) FROM review_items r WHERE exam_id = $1) || ':' ||
		(SELECT count(*)::text FROM answers x JOIN attempts a ON a.id = x.attempt_id WHERE a.exam_id = $1)`, examID).Scan(&s)
	return s, err
}

// scoredCounts counts an exam's attempts, those scored (objective scores
// recorded, status grading or graded) and its review items.
type scoredCounts struct {
	Attempts, Scored, Graded, ReviewItems, ReviewScored int64
}

func countScored(ctx context.Context, db *pgxpool.Pool, examID string) (*scoredCounts, error) {
	var c scoredCounts
	err := db.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM attempts WHERE exam_id = $1),
		(SELECT count(*) FROM attempts WHERE exam_id = $1 AND status IN ('grading', 'graded') AND objective_scores IS NOT NULL AND auto_score IS NOT NULL),
		(SELECT count(*) FROM attempts WHERE exam_id = $1 AND status = 'graded'),
		(SELECT count(*) FROM review_items WHERE exam_id = $1),
		(SELECT count(*) FROM review_items WHERE exam_id = $1 AND scored_at IS NOT NULL)`, examID).
		Scan(&c.Attempts, &c.Scored, &c.Graded, &c.ReviewItems, &c.ReviewScored)
	return &c, err
}

// checkAcks checks in SQL that every save of sv acknowledged in phase is
// stored, reports the first five missing ones as failures and returns how
// many answers were checked and how many were missing or different.
func (b *bench) checkAcks(sv *saver, phase string) (n, missing int, err error) {
	n, problems, err := verifyAcks(b.ctx, b.db, sv.acks, sv.unknown)
	if err != nil {
		return 0, 0, err
	}
	for i, p := range problems {
		if i == 5 {
			b.fail("… %d more", len(problems)-5)
			break
		}
		b.fail("%s: acknowledged save missing: %s", phase, p)
	}
	b.detail("%s check in SQL: %d answers, each holding its newest acknowledged save (seq and response): %d missing or different.", phase, n, len(problems))
	return n, len(problems), nil
}

// snapshot reads the exam's counts and its whole state (examState) in SQL.
func (b *bench) snapshot(examID string) (*scoredCounts, string, error) {
	cnt, err := countScored(b.ctx, b.db, examID)
	if err != nil {
		return nil, "", err
	}
	state, err := examState(b.ctx, b.db, examID)
	return cnt, state, err
}
