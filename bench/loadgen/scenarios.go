package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// saver drives autosaves over every (attempt, question) of a pool in a
// fixed round-robin, so each answer is touched once a cycle and the same
// answer is never saved twice at once. seq is a clock in microseconds,
// shared by all savers, so every save is newer than the stored one.
type saver struct {
	api   *api
	exam  *examInfo
	cands []*candidate
	next  atomic.Int64
	seq   atomic.Int64

	mu   sync.Mutex
	acks map[ackKey]acked
	// unknown holds the saves whose answer never came (the client timed
	// out or the connection broke): the server may have committed them, so
	// a stored row newer than the acknowledged one must be one of these.
	unknown map[ackKey]map[int64]json.RawMessage
	// stale counts 200s that reported a stored seq other than ours.
	stale atomic.Int64
}

func newSaver(a *api, e *examInfo, cands []*candidate) *saver {
	s := &saver{api: a, exam: e, cands: cands, acks: make(map[ackKey]acked, len(cands)*len(e.Questions))}
	s.seq.Store(time.Now().UnixMicro())
	return s
}

func (s *saver) keys() int64 { return int64(len(s.cands) * len(s.exam.Questions)) }

func (s *saver) save(ctx context.Context, _ int, _ int64) error {
	idx := s.next.Add(1) - 1
	n := int64(len(s.cands))
	c := s.cands[idx%n]
	q := s.exam.Questions[(idx/n)%int64(len(s.exam.Questions))]
	cycle := int(idx / s.keys())
	return s.saveOne(ctx, c, q, cycle)
}

func (s *saver) saveOne(ctx context.Context, c *candidate, q question, variant int) error {
	resp := responseFor(q, c, variant+c.N)
	seq := s.seq.Add(1)
	body := make([]byte, 0, len(resp)+40)
	body = append(body, `{"response":`...)
	body = append(body, resp...)
	body = append(body, `,"seq":`...)
	body = strconv.AppendInt(body, seq, 10)
	body = append(body, '}')
	var out struct {
		Seq int64 `json:"seq"`
	}
	if status, err := s.api.do(ctx, "PUT", "/candidate/attempt/answers/"+q.ID, c.Access, body, &out, 200); err != nil {
		if status == 0 || status >= 500 && status != 503 {
			k := ackKey{c.AttemptID, q.ID}
			s.mu.Lock()
			if s.unknown == nil {
				s.unknown = map[ackKey]map[int64]json.RawMessage{}
			}
			if s.unknown[k] == nil {
				s.unknown[k] = map[int64]json.RawMessage{}
			}
			s.unknown[k][seq] = resp
			s.mu.Unlock()
		}
		return err
	}
	if out.Seq != seq {
		s.stale.Add(1)
		return nil
	}
	k := ackKey{c.AttemptID, q.ID}
	s.mu.Lock()
	if prev, ok := s.acks[k]; !ok || prev.seq < seq {
		s.acks[k] = acked{seq: seq, resp: resp}
	}
	s.mu.Unlock()
	return nil
}

// fillMissing saves, through the API, every answer of the pool that no
// save has written yet (unmeasured), so each attempt holds 50 answers.
func (s *saver) fillMissing(ctx context.Context, missing map[string][]string) error {
	byAttempt := map[string]*candidate{}
	for _, c := range s.cands {
		byAttempt[c.AttemptID] = c
	}
	byID := map[string]question{}
	for _, q := range s.exam.Questions {
		byID[q.ID] = q
	}
	type job struct {
		c *candidate
		q question
	}
	var jobs []job
	for a, qs := range missing {
		for _, q := range qs {
			jobs = append(jobs, job{byAttempt[a], byID[q]})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	r := closedLoop(ctx, 16, 0, int64(len(jobs)), func(ctx context.Context, _ int, i int64) error {
		return s.saveOne(ctx, jobs[i].c, jobs[i].q, 0)
	})
	if r.Errors > 0 {
		return fmt.Errorf("filling %d answers: %d errors, first: %v", len(jobs), r.Errors, r.FirstErr)
	}
	return nil
}

// resume is S2's request: the candidate's whole attempt.
func resume(a *api, cands []*candidate) op {
	return func(ctx context.Context, _ int, i int64) error {
		c := cands[i%int64(len(cands))]
		_, err := a.do(ctx, "GET", "/candidate/attempt", c.Access, nil, nil, 200)
		return err
	}
}

// conditionalResume is S2's reload as the candidate page makes it: the
// page keeps its last copy with its ETag and sends If-None-Match, so while
// nothing changed the answer is a 304 without a body. tags holds each
// candidate's ETag (filled by prime); a 200 replaces it.
type conditionalResume struct {
	api   *api
	cands []*candidate
	tags  []atomic.Pointer[string]
	// fresh counts 304s; full counts 200s.
	fresh, full atomic.Int64
}

func newConditionalResume(a *api, cands []*candidate) *conditionalResume {
	return &conditionalResume{api: a, cands: cands, tags: make([]atomic.Pointer[string], len(cands))}
}

// prime loads every candidate's copy once (unmeasured), as the page did
// when it was first opened.
func (r *conditionalResume) prime(ctx context.Context) error {
	res := closedLoop(ctx, 16, 0, int64(len(r.cands)), r.get)
	if res.Errors > 0 {
		return fmt.Errorf("priming %d copies: %d errors, first: %v", len(r.cands), res.Errors, res.FirstErr)
	}
	r.fresh.Store(0)
	r.full.Store(0)
	return nil
}

func (r *conditionalResume) get(ctx context.Context, _ int, i int64) error {
	k := i % int64(len(r.cands))
	req, err := http.NewRequestWithContext(ctx, "GET", r.api.base+"/candidate/attempt", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.cands[k].Access)
	if t := r.tags[k].Load(); t != nil {
		req.Header.Set("If-None-Match", *t)
	}
	resp, err := r.api.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	switch resp.StatusCode {
	case http.StatusNotModified:
		r.fresh.Add(1)
	case http.StatusOK:
		r.full.Add(1)
		t := resp.Header.Get("ETag")
		if t == "" {
			return fmt.Errorf("GET /candidate/attempt: 200 without an ETag")
		}
		r.tags[k].Store(&t)
	default:
		return &httpError{Method: "GET", Path: "/candidate/attempt", Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After")}
	}
	return nil
}

// startRush is S3: each candidate, arriving at a constant rate, opens a
// session with its invitation token and starts (201). Each request's
// latency goes to reqs (the session's from the arrival time).
type startRush struct {
	api   *api
	cands []*candidate
	mu    sync.Mutex
	reqs  *hist
	last  atomic.Int64 // unix ns of the last completion
}

func (s *startRush) run(ctx context.Context, _ int, i int64) error {
	c := s.cands[i]
	arrived := time.Now()
	err := openSession(ctx, s.api, c)
	t1 := time.Now()
	var t2 time.Time
	if err == nil {
		err = startAttempt(ctx, s.api, c)
		t2 = time.Now()
	}
	s.mu.Lock()
	s.reqs.record(t1.Sub(arrived))
	if !t2.IsZero() {
		s.reqs.record(t2.Sub(t1))
	}
	s.mu.Unlock()
	for {
		old := s.last.Load()
		now := time.Now().UnixNano()
		if now <= old || s.last.CompareAndSwap(old, now) {
			break
		}
	}
	return err
}

// submitter is S4's request; it keeps each attempt's first submitted_at.
type submitter struct {
	api   *api
	cands []*candidate
	mu    sync.Mutex
	at    map[string]string
	// changed counts repeated submits whose answer differed from the first.
	changed atomic.Int64
}

func newSubmitter(a *api, cands []*candidate) *submitter {
	return &submitter{api: a, cands: cands, at: map[string]string{}}
}

func (s *submitter) submit(ctx context.Context, _ int, i int64) error {
	c := s.cands[i%int64(len(s.cands))]
	var out struct {
		Status      string `json:"status"`
		SubmittedAt string `json:"submitted_at"`
	}
	if _, err := s.api.do(ctx, "POST", "/candidate/attempt/submit", c.Access, nil, &out, 200); err != nil {
		return err
	}
	if out.Status != "submitted" {
		return fmt.Errorf("submit answered status %q", out.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.at[c.AttemptID]; !ok {
		s.at[c.AttemptID] = out.SubmittedAt
	} else if prev != out.SubmittedAt {
		s.changed.Add(1)
	}
	return nil
}

// reviewResult is S5's outcome.
type reviewResult struct {
	Claims, Scores *hist
	Scored         int64
	Errors         int64
	DoubleClaims   int64
	FirstErr       error
	Elapsed        time.Duration
}

// drainReviews has each reviewer claim and score essays of examID until the
// queue answers 204. Any item id handed out twice is a double claim.
func drainReviews(ctx context.Context, a *api, reviewers []*reviewer, examID string) *reviewResult {
	res := &reviewResult{Claims: newHist(), Scores: newHist()}
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	start := time.Now()
	fail := func(err error) {
		mu.Lock()
		res.Errors++
		if res.FirstErr == nil {
			res.FirstErr = err
		}
		mu.Unlock()
	}
	for w, r := range reviewers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			claims, scores := newHist(), newHist()
			defer func() {
				mu.Lock()
				res.Claims.merge(claims)
				res.Scores.merge(scores)
				mu.Unlock()
			}()
			for k := 0; ; k++ {
				var item struct {
					ID       string `json:"id"`
					Question struct {
						Points float64 `json:"points"`
					} `json:"question"`
					Response struct {
						Text string `json:"text"`
					} `json:"response"`
				}
				t0 := time.Now()
				st, err := a.do(ctx, "POST", "/reviews/claim", r.Access, map[string]string{"exam_id": examID}, &item, 200, 204)
				claims.record(time.Since(t0))
				if err != nil {
					fail(err)
					return
				}
				if st == 204 {
					return
				}
				mu.Lock()
				if other, dup := seen[item.ID]; dup {
					res.DoubleClaims++
					if res.FirstErr == nil {
						res.FirstErr = fmt.Errorf("review item %s claimed by reviewer %s and %d", item.ID, other, w)
					}
				}
				seen[item.ID] = strconv.Itoa(w)
				mu.Unlock()
				points := float64((k+w)%int(item.Question.Points*2+1)) / 2
				body, _ := json.Marshal(map[string]any{"points": points, "comment": "性能测试评分"})
				t1 := time.Now()
				_, err = a.do(ctx, "POST", "/reviews/"+item.ID+"/score", r.Access, body, nil, 200)
				scores.record(time.Since(t1))
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				res.Scored++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res
}
