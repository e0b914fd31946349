package exam

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"gorm.io/gorm"

	"examd/outbox"
)

// SubmittedAttempt is what the Scorer is given: the attempt, locked, with
// its frozen version as it stands (keys as amended).
type SubmittedAttempt struct {
	ID          string
	OrgID       string
	ExamID      string
	Version     int
	Track       string
	SubmittedBy string
	Doc         *Document
	// Reopened tells that an admin reopened the attempt after a timeout,
	// so review items of its first submission may exist already.
	Reopened bool
}

// SubmissionScores is what a Scorer computes for a submission.
type SubmissionScores struct {
	// Objective holds the points of every question scored without a
	// reviewer (objective ones and empty essays), by question id.
	Objective map[string]float64
	// Auto is the sum of Objective; Max the most the attempt can earn.
	Auto, Max float64
	// Review lists the questions that await a reviewer; none means the
	// attempt is graded at once.
	Review []ReviewNeed
	// Queue, when set, is an INSERT (of review items) that the Store runs
	// as a CTE of the statement recording the submission, so a submission
	// is written in one round trip. It must not read the attempt's row: a
	// CTE sees the row as it was before the statement.
	Queue Statement
}

// Statement is a piece of SQL with its arguments.
type Statement struct {
	SQL  string
	Args []any
}

// ReviewNeed is a question of a submission that a reviewer must score.
type ReviewNeed struct {
	QuestionID string
	MaxPoints  float64
}

// Scorer scores submissions for the Store, which owns the submission
// itself: the Store locks the attempt, asks ScoreSubmission for the scores,
// writes status, timestamps and scores in one UPDATE, then lets
// QueueReviews queue what needs a reviewer, all in one transaction. An
// error from either rolls the submission back. grading.Scorer is the
// implementation; cmd/examd wires it in NewStore.
type Scorer interface {
	// ScoreSubmission scores a submission, reading its answers through tx
	// (which holds the attempt locked, still in progress).
	ScoreSubmission(ctx context.Context, tx *gorm.DB, a *SubmittedAttempt) (SubmissionScores, error)
	// QueueReviews runs after the submission is recorded with sc (and
	// sc.Queue), in the same transaction.
	QueueReviews(ctx context.Context, tx *gorm.DB, a *SubmittedAttempt, sc *SubmissionScores) error
	// QuestionPoints returns the points each question of a submitted
	// attempt has earned so far, by question id; an essay still awaiting
	// its reviewer is absent. The candidate's outcome view uses it.
	QuestionPoints(ctx context.Context, attemptID string) (map[string]float64, error)
}

// Attempt is the candidate's attempt as the API shows it.
type Attempt struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	StartedAt time.Time `json:"started_at"`
	Clock
	SubmittedAt *time.Time `json:"submitted_at"`
	GraceSecs   int        `json:"grace_seconds"`
	Title       string     `json:"title"`
	// Sections is the []CandidateSection of the attempt's view, encoded
	// (see viewJSON).
	Sections json.RawMessage `json:"sections"`
	// Responses is the saved answers, encoded: an object of question id to
	// {response, seq}, keys in byte order (as encoding/json writes a map).
	Responses json.RawMessage `json:"responses"`
	// Tag is a validator (hex) of everything above but ServerTime: any
	// save, submission, deadline move or grading changes it.
	Tag string `json:"-"`
}

type attemptRow struct {
	ID          string
	OrgID       string
	ExamID      string
	ExamVersion int
	Track       string
	Status      string
	ShuffleSeed int64
	Drawn       DrawnIDs
	StartedAt   time.Time
	Deadline    time.Time
	SubmitBy    time.Time
	SubmittedAt *time.Time
	Reopened    bool
	Now         time.Time
	// VersionStamp is read by a submit only (see versionStampLock).
	VersionStamp string
}

const attemptSelect = `SELECT id, org_id, exam_id, exam_version, track, status, shuffle_seed, drawn, started_at, deadline, submit_by, submitted_at,
	reopened_at IS NOT NULL AS reopened, now() AS now FROM attempts `

// StartAttempt begins the attempt of an invitation, or returns the one already
// begun (created reports which). Concurrent starts make one attempt: the
// insert is guarded by the unique invitation key.
//
// A start is usually one statement: the invitation's version is known from
// its session (the invitationVersions cache, filled by OpenSession), so the
// insert checks the window and revocation itself. When it inserts nothing
// (started already, outside its window, revoked) or the version is not
// cached, the invitation is read to tell which.
func (s *Store) StartAttempt(ctx context.Context, invitationID string) (a *Attempt, created bool, err error) {
	if _, ok := s.attempts.Get(invitationID); ok {
		// Begun already (an identity is known only of an attempt that
		// exists, and a begun invitation cannot be revoked).
		a, err = s.CandidateAttempt(ctx, invitationID)
		return a, false, err
	}
	if v, ok := s.invitationVersions.Get(invitationID); ok {
		if a, err := s.insertAttempt(ctx, invitationID, v, false); a != nil || err != nil {
			return a, a != nil, err
		}
	}
	inv, err := s.CandidateInvitation(ctx, invitationID)
	if err != nil {
		return nil, false, err
	}
	if inv.Revoked {
		return nil, false, ErrInvalidToken
	}
	if inv.AttemptID == nil {
		if inv.OpensAt != nil && inv.Now.Before(*inv.OpensAt) {
			return nil, false, ErrNotOpen
		}
		if inv.ClosesAt != nil && !inv.Now.Before(*inv.ClosesAt) {
			return nil, false, ErrWindowClosed
		}
		v := invitationVersion{inv.ExamID, inv.ExamVersion}
		s.invitationVersions.Put(invitationID, v)
		if a, err := s.insertAttempt(ctx, invitationID, v, true); a != nil || err != nil {
			return a, a != nil, err
		}
	}
	a, err = s.CandidateAttempt(ctx, invitationID)
	return a, false, err
}

// insertAttempt starts the attempt of invitation (of version v) and
// returns it, or nil when it inserted nothing: the invitation is revoked or
// has its attempt already, or, unless windowChecked, the database's clock
// is outside its window.
func (s *Store) insertAttempt(ctx context.Context, invitationID string, v invitationVersion, windowChecked bool) (*Attempt, error) {
	d, err := s.cachedVersion(ctx, v.examID, v.version)
	if err != nil {
		return nil, err
	}
	// The seed orders the attempt's questions and makes its draw.
	seed := rand.Int64()
	// deadline = min(now + limit + extra time, closes_at); all times from the
	// database clock. The attempt and its attempt.started event are one
	// statement (so atomic without a transaction) and one round trip.
	events, eventsArg := outbox.AttemptEvents(outbox.AttemptStarted)
	// Scanned by hand (no reflection): this runs for every start.
	rows, err := s.db.WithContext(ctx).Raw(`WITH a AS (INSERT INTO attempts (invitation_id, org_id, exam_id, exam_version, track, shuffle_seed, drawn, started_at, deadline, submit_by)
			SELECT i.id, i.org_id, i.exam_id, i.exam_version, i.track, ?, ?::jsonb, now(),
				least(now() + make_interval(secs => ? + i.extra_time_seconds), coalesce(i.closes_at, 'infinity')),
				least(now() + make_interval(secs => ? + i.extra_time_seconds), coalesce(i.closes_at, 'infinity')) + make_interval(secs => ?)
			FROM invitations i WHERE i.id = ? AND i.revoked_at IS NULL
				AND (? OR ((i.opens_at IS NULL OR now() >= i.opens_at) AND (i.closes_at IS NULL OR now() < i.closes_at)))
			ON CONFLICT (invitation_id) DO NOTHING
			RETURNING *), `+events+`
			SELECT id, org_id, exam_id, exam_version, track, shuffle_seed, drawn, started_at, deadline, now() AS now FROM a`,
		seed, d.DrawQuestions(seed), d.TimeLimitSeconds, d.TimeLimitSeconds, d.Grace(), invitationID, windowChecked, eventsArg).Rows()
	if err != nil {
		return nil, fmt.Errorf("exam: start: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("exam: start: %w", err)
		}
		return nil, nil
	}
	var st startedAttempt
	if err := rows.Scan(&st.ID, &st.OrgID, &st.ExamID, &st.ExamVersion, &st.Track, &st.ShuffleSeed, &st.Drawn, &st.StartedAt, &st.Deadline, &st.Now); err != nil {
		return nil, fmt.Errorf("exam: start: %w", err)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("exam: start: %w", err)
	}
	// Just made: in progress, nothing saved, its deadline in hand; no
	// need to read it back.
	s.attempts.Put(invitationID, &st.attemptIdentity)
	return s.freshAttempt(d, &st)
}

// startedAttempt is what the starting statement returns: the attempt's
// identity, deadline and the database's clock.
type startedAttempt struct {
	attemptIdentity
	Deadline time.Time
	Now      time.Time
}

// freshAttempt is the attempt st just started, of version d, as
// CandidateAttempt would read it back.
func (s *Store) freshAttempt(d *Document, st *startedAttempt) (*Attempt, error) {
	view, err := s.candidateView(d, st.Track)
	if err != nil {
		return nil, err
	}
	return &Attempt{ID: st.ID, Status: "in_progress", StartedAt: st.StartedAt, Clock: Clock{st.Deadline, st.Now},
		GraceSecs: d.Grace(), Title: d.Title, Responses: json.RawMessage("{}"),
		Sections: view.appendView(make([]byte, 0, 16<<10), st.ShuffleSeed, st.Drawn)}, nil
}

// CandidateAttempt returns the candidate's attempt with its questions (in
// the attempt's order) and saved answers. The attempt's state (deadline
// included: an accommodation may have moved it) and its answers come in one
// query; its identity and view from caches.
func (s *Store) CandidateAttempt(ctx context.Context, invitationID string) (*Attempt, error) {
	a, _, err := s.CandidateAttemptUnless(ctx, invitationID, nil)
	return a, err
}

// CandidateAttemptUnless is CandidateAttempt for a client holding a copy:
// when known accepts the attempt's Tag, it answers unchanged with only the
// Tag and the server's clock set, having read the attempt's state and a
// summary of its answers (their count and the sum of their seqs) instead
// of the answers themselves, and built no view. A save only ever raises
// an answer's seq or adds one, so any save changes the summary. known may
// be nil (always the whole attempt).
func (s *Store) CandidateAttemptUnless(ctx context.Context, invitationID string, known func(tag string) bool) (*Attempt, bool, error) {
	id, d, err := s.attemptVersion(ctx, invitationID)
	if err != nil {
		return nil, false, err
	}
	// A drawn attempt's view is composed from the version's (its pools
	// encoded once) and its drawn ids by appendView.
	view, err := s.candidateView(d, id.Track)
	if err != nil {
		return nil, false, err
	}
	var submitted sql.NullTime
	var count, seqSum string
	a := &Attempt{ID: id.ID, StartedAt: id.StartedAt, GraceSecs: d.Grace(), Title: d.Title}
	if known != nil {
		err = s.queryRow(ctx, `SELECT a.status, a.deadline, a.submitted_at, now(), x.n::text, x.s::text
			FROM attempts a, LATERAL (SELECT count(*) AS n, coalesce(sum(seq), 0) AS s FROM answers WHERE attempt_id = a.id) x
			WHERE a.id = $1`, id.ID).Scan(&a.Status, &a.Deadline, &submitted, &a.ServerTime, &count, &seqSum)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, ErrNoAttempt
		}
		if err != nil {
			return nil, false, fmt.Errorf("exam: read attempt: %w", err)
		}
		if submitted.Valid {
			a.SubmittedAt = &submitted.Time
		}
		// An outcome view holds points that grading changes: its tag
		// hashes the view itself, so that case always reads it.
		if !a.outcome(d) {
			a.Tag = a.tag('v', view.digest[:], id.ShuffleSeed, count, seqSum)
			if known(a.Tag) {
				return a, true, nil
			}
		}
	}
	// PostgreSQL builds the responses object (sorted bytewise, like
	// encoding/json's map keys): one row back instead of 50 to scan; not
	// even that when this server holds the object as read at the same
	// summary of the answers (see savedResponses).
	var responses []byte
	var key string
	held, _ := s.responses.Get(id.ID)
	heldKey := ""
	if held != nil {
		heldKey = held.key
	}
	err = s.queryRow(ctx, `SELECT a.status, a.deadline, a.submitted_at, now(), x.n::text, x.s::text, x.k,
			CASE WHEN x.k = $2 THEN NULL ELSE (SELECT coalesce(json_object_agg(question_id,
				json_build_object('response', response, 'seq', seq) ORDER BY question_id COLLATE "C")::text, '{}')
				FROM answers WHERE attempt_id = a.id) END
		FROM attempts a, LATERAL (SELECT n, s, n || ':' || s || ':' || t AS k FROM (SELECT count(*) AS n, coalesce(sum(seq), 0) AS s,
			coalesce(floor(extract(epoch FROM max(saved_at)) * 1000000)::bigint, 0) AS t FROM answers WHERE attempt_id = a.id) y) x
		WHERE a.id = $1`, id.ID, heldKey).Scan(&a.Status, &a.Deadline, &submitted, &a.ServerTime, &count, &seqSum, &key, &responses)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, ErrNoAttempt
	}
	if err != nil {
		return nil, false, fmt.Errorf("exam: read attempt: %w", err)
	}
	if responses == nil && held != nil && key == heldKey {
		a.Responses = held.body
	} else {
		a.Responses = appendCompactJSON(make([]byte, 0, len(responses)), responses)
		s.holdResponses(id.ID, key, a.Responses)
	}
	a.SubmittedAt = nil
	if submitted.Valid {
		a.SubmittedAt = &submitted.Time
	}
	if a.outcome(d) {
		// After submission only: explanations and points. While in
		// progress nothing of this is sent, whatever the setting.
		points, err := s.scorer.QuestionPoints(ctx, id.ID)
		if err != nil {
			return nil, false, err
		}
		if a.Sections, err = outcomeView(d.ForAttempt(id.Drawn), id.Track, id.ShuffleSeed, points); err != nil {
			return nil, false, fmt.Errorf("exam: outcome view: %w", err)
		}
	} else {
		a.Sections = view.appendView(make([]byte, 0, 16<<10), id.ShuffleSeed, id.Drawn)
	}
	if a.outcome(d) {
		a.Tag = a.tag('o', a.Sections, id.ShuffleSeed, count, seqSum)
	} else {
		a.Tag = a.tag('v', view.digest[:], id.ShuffleSeed, count, seqSum)
	}
	return a, false, nil
}

// outcome reports whether the attempt is shown with its outcome
// (explanations and points) instead of the plain view.
func (a *Attempt) outcome(d *Document) bool {
	return a.Status != "in_progress" && d.ShowExplanations
}

// tag is a validator of everything the attempt's body says but
// server_time: its state, its view (kind 'v': the frozen view's digest,
// whose order the seed decides; kind 'o': an outcome view's bytes) and the
// summary of its answers.
func (a *Attempt) tag(kind byte, view []byte, seed int64, count, seqSum string) string {
	b := make([]byte, 0, 256)
	b = append(b, a.ID...)
	b = append(b, 0)
	b = append(b, a.Status...)
	b = append(b, 0)
	b = a.StartedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, 0)
	b = a.Deadline.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, 0)
	if a.SubmittedAt != nil {
		b = a.SubmittedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	}
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(a.GraceSecs), 10)
	b = append(b, 0)
	b = append(b, a.Title...)
	b = append(b, 0)
	b = append(b, count...)
	b = append(b, 0)
	b = append(b, seqSum...)
	b = append(b, 0)
	b = strconv.AppendInt(b, seed, 10)
	b = append(b, 0, kind)
	h := sha256.New()
	h.Write(b)
	h.Write(view)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Clock is what the candidate's countdown reads from the attempt and from
// every save's acknowledgement: the attempt's deadline as the database holds
// it then, and the database's clock, so that the countdown follows a
// deadline moved while the attempt runs.
type Clock struct {
	Deadline   time.Time `json:"deadline"`
	ServerTime time.Time `json:"server_time"`
}

// SaveResult is the acknowledgement of a save.
type SaveResult struct {
	QuestionID string    `json:"question_id"`
	Seq        int64     `json:"seq"`
	SavedAt    time.Time `json:"saved_at"`
	Clock
}

// SaveAnswer stores a candidate's answer with one statement (the attempt's
// identity and version come from caches): it inserts or
// replaces the (attempt, question) row only when seq is above the stored
// one, the attempt is in progress and the database clock is within
// deadline + grace. The attempt row is share-locked by the statement, so a
// save and a submit never interleave: either the save commits before the
// submit reads the answers, or it sees the attempt submitted.
func (s *Store) SaveAnswer(ctx context.Context, invitationID, questionID string, raw json.RawMessage, seq int64) (*SaveResult, error) {
	r, d, err := s.attemptVersion(ctx, invitationID)
	if err != nil {
		return nil, err
	}
	q := d.FindAttemptQuestion(questionID, r.Track, r.Drawn)
	if q == nil {
		return nil, ErrNotFound
	}
	resp, err := ParseResponse(q, raw)
	if err != nil {
		return nil, err
	}
	canonical, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	// One row back, scanned by hand: this runs for every autosave.
	var row struct {
		Status     string
		Late       bool
		Deadline   time.Time
		Now        time.Time
		NewSeq     sql.NullInt64
		NewSavedAt sql.NullTime
	}
	err = s.queryRow(ctx, `WITH a AS (
			SELECT id, status, now() > submit_by AS late, deadline FROM attempts WHERE id = $1 FOR SHARE),
		ins AS (
			INSERT INTO answers AS x (attempt_id, question_id, response, seq, saved_at)
			SELECT a.id, $2, $3, $4, now() FROM a WHERE a.status = 'in_progress' AND NOT a.late
			ON CONFLICT (attempt_id, question_id) DO UPDATE
				SET response = EXCLUDED.response, seq = EXCLUDED.seq, saved_at = EXCLUDED.saved_at
				WHERE x.seq < EXCLUDED.seq
			RETURNING seq, saved_at)
		SELECT a.status, a.late, a.deadline, now(), (SELECT seq FROM ins) AS new_seq, (SELECT saved_at FROM ins) AS new_saved_at
		FROM a`, r.ID, questionID, canonical, seq).Scan(&row.Status, &row.Late, &row.Deadline, &row.Now, &row.NewSeq, &row.NewSavedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoAttempt
	}
	if err != nil {
		return nil, fmt.Errorf("exam: save: %w", err)
	}
	switch {
	case row.Late:
		return nil, ErrDeadlinePassed
	case row.Status != "in_progress":
		return nil, ErrAttemptSubmitted
	case row.NewSeq.Valid:
		return &SaveResult{QuestionID: questionID, Seq: row.NewSeq.Int64, SavedAt: row.NewSavedAt.Time, Clock: Clock{row.Deadline.UTC(), row.Now.UTC()}}, nil
	}
	// A stale save changed nothing; report what is stored now (a concurrent
	// newer save may have landed since the statement's snapshot).
	var cur []SaveResult
	if err := s.db.WithContext(ctx).Raw(`SELECT question_id, seq, saved_at FROM answers WHERE attempt_id = ? AND question_id = ?`,
		r.ID, questionID).Scan(&cur).Error; err != nil {
		return nil, fmt.Errorf("exam: save: read stored answer: %w", err)
	}
	if len(cur) == 0 {
		return nil, fmt.Errorf("exam: save: no answer stored for %s", questionID)
	}
	cur[0].Deadline, cur[0].ServerTime = row.Deadline.UTC(), row.Now.UTC()
	return &cur[0], nil
}

// SubmitResult is the answer to a submit.
type SubmitResult struct {
	Status      string    `json:"status"`
	SubmittedAt time.Time `json:"submitted_at"`
	// AttemptID lets the api add the score when the exam shows it.
	AttemptID string `json:"-"`
	// ShowScore tells whether the exam shows scores to candidates, so the
	// api looks the score up only then.
	ShowScore bool `json:"-"`
}

// Submit submits the candidate's attempt (idempotently). After
// deadline + grace the submission counts as the timeout's, since the time
// was over whatever the client did.
func (s *Store) Submit(ctx context.Context, invitationID string) (*SubmitResult, error) {
	// Read before the transaction: it must not wait for a second connection.
	r, d, err := s.attemptVersion(ctx, invitationID)
	if err != nil {
		return nil, err
	}
	res, err := s.submit(ctx, r.ID, "candidate")
	if err != nil {
		return nil, err
	}
	res.ShowScore = d.ShowScoreToCandidate
	return res, nil
}

func (s *Store) submit(ctx context.Context, attemptID, by string) (*SubmitResult, error) {
	var res *SubmitResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		res, err = s.submitLocked(ctx, tx, attemptID, by)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrNoAttempt) {
			return nil, err
		}
		return nil, fmt.Errorf("exam: submit: %w", err)
	}
	return res, nil
}

// SweepDue submits, as timeouts, up to limit attempts whose deadline +
// grace has passed. Each is locked with SKIP LOCKED, so several servers
// sweeping at once submit each attempt exactly once. It returns how many it
// submitted.
func (s *Store) SweepDue(ctx context.Context, limit int) (int, error) {
	n := 0
	for n < limit {
		var ids []string
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Raw(`SELECT id FROM attempts WHERE status = 'in_progress' AND submit_by < now()
				ORDER BY submit_by LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&ids).Error; err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			_, err := s.submitLocked(ctx, tx, ids[0], "timeout")
			return err
		})
		if err != nil {
			return n, fmt.Errorf("exam: sweep: %w", err)
		}
		if len(ids) == 0 {
			return n, nil
		}
		n++
	}
	return n, nil
}

// submitLocked locks the attempt's row in tx (the sweeper holds it already)
// and submits it, scored by the Scorer in the same transaction. An
// attempt already submitted is left as it is and reported. A candidate's
// submit after deadline + grace counts as the timeout's: the time was over
// whatever the client did.
func (s *Store) submitLocked(ctx context.Context, tx *gorm.DB, attemptID, by string) (*SubmitResult, error) {
	// One statement locks the attempt and share-locks its version (the
	// share lock makes a key amendment in progress finish first, so the
	// attempt is scored with the key as amended: see AmendVersionKey).
	var rows []attemptRow
	if err := tx.Raw(`SELECT a.id, a.org_id, a.exam_id, a.exam_version, a.track, a.status, a.shuffle_seed, a.drawn, a.started_at, a.deadline,
			a.submit_by, a.submitted_at, a.reopened_at IS NOT NULL AS reopened, now() AS now, `+versionStampLock+`
		FROM attempts a JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version
		WHERE a.id = ? FOR UPDATE OF a FOR SHARE OF v`, attemptID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNoAttempt
	}
	r := rows[0]
	res := &SubmitResult{AttemptID: r.ID, Status: "submitted"}
	if r.Status != "in_progress" {
		res.SubmittedAt = *r.SubmittedAt
		return res, nil
	}
	if r.Now.After(r.SubmitBy) {
		by = "timeout"
	}
	d, err := s.scoringVersion(ctx, tx, r.ExamID, r.ExamVersion, r.VersionStamp)
	if err != nil {
		return nil, err
	}
	sub := &SubmittedAttempt{ID: r.ID, OrgID: r.OrgID, ExamID: r.ExamID, Version: r.ExamVersion,
		Track: r.Track, SubmittedBy: by, Doc: d.ForAttempt(r.Drawn), Reopened: r.Reopened}
	sc, err := s.scorer.ScoreSubmission(ctx, tx, sub)
	if err != nil {
		return nil, err
	}
	obj, err := json.Marshal(sc.Objective)
	if err != nil {
		return nil, err
	}
	status := "grading"
	var passed *bool
	if len(sc.Review) == 0 {
		status = "graded"
		p := sc.Auto >= d.PassScore
		passed = &p
	}
	// The one write of the attempt's row, with its events (a reopened
	// attempt's grading is decided by QueueReviews, which emits
	// attempt.graded itself when it completes it) and the review items of a
	// first submission, in one statement: submitted_at = now() is the
	// transaction's time, which r.Now holds.
	types := []string{outbox.AttemptSubmitted}
	if status == "graded" && !r.Reopened {
		types = append(types, outbox.AttemptGraded)
	}
	events, eventsArg := outbox.AttemptEvents(types...)
	q := `WITH a AS (UPDATE attempts SET status = ?, submitted_at = now(), submitted_by = ?,
			objective_scores = ?, auto_score = ?, manual_score = 0,
			score = ?, max_score = ?, passed = ?, graded_at = CASE WHEN ? THEN now() END WHERE id = ? RETURNING *), `
	args := []any{status, by, obj, sc.Auto, sc.Auto, sc.Max, passed, status == "graded", r.ID}
	if sc.Queue.SQL != "" {
		q += `r AS (` + sc.Queue.SQL + `), `
		args = append(args, sc.Queue.Args...)
	}
	if err := tx.WithContext(ctx).Exec(q+events+` SELECT count(*) FROM a`, append(args, eventsArg)...).Error; err != nil {
		return nil, fmt.Errorf("record submission: %w", err)
	}
	res.SubmittedAt = r.Now
	if err := s.scorer.QueueReviews(ctx, tx, sub, &sc); err != nil {
		return nil, err
	}
	return res, nil
}

// EventTypes are the integrity events a candidate's page reports.
var EventTypes = []string{"blur", "focus", "paste", "copy", "fullscreen_exit"}

// RecordEvent keeps an integrity event with the server's time and the
// client's address.
func (s *Store) RecordEvent(ctx context.Context, invitationID, typ string, clientAt *time.Time, addr string) error {
	r, err := s.attemptIdentityOf(ctx, invitationID)
	if err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Exec(`INSERT INTO attempt_events (attempt_id, type, client_at, client_address) VALUES (?, ?, ?, ?)`,
		r.ID, typ, clientAt, addr).Error; err != nil {
		return fmt.Errorf("exam: event: %w", err)
	}
	return nil
}
