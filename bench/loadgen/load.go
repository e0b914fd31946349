package main

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// result is what a load phase measured.
type result struct {
	Requests int64
	Errors   int64
	Elapsed  time.Duration
	Hist     *hist
	FirstErr error
	// Refused counts requests the server turned away for load (an op
	// returned errRefused); they are neither errors nor in Hist, whose
	// latencies are the accepted requests'. RefusedHist times them.
	Refused     int64
	RefusedHist *hist
	// Open loop only. Dropped counts requests due while every worker was
	// busy, never sent (the generator's limit, not an answer of examd);
	// ClientErrs, of Errors, those without an HTTP answer (timeouts,
	// broken connections); Lag, the most a batch was handed out late.
	Dropped    int64
	ClientErrs int64
	Lag        time.Duration
}

// errRefused is what an op returns for a request the server refused for
// load (503 with Retry-After): expected under overload, timed apart.
var errRefused = errors.New("refused for load")

func (r *result) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

func (r *result) p50() float64 { return r.Hist.quantile(0.50) }
func (r *result) p99() float64 { return r.Hist.quantile(0.99) }

// op is one request of a load phase; worker is the goroutine's index and i
// the request's sequence number across the phase.
type op func(ctx context.Context, worker int, i int64) error

// closedLoop runs conns workers back to back until d has passed (d > 0) or
// until limit requests were issued (limit > 0), whichever comes first.
// Latency is measured per request; throughput is completed requests over
// the elapsed time.
func closedLoop(ctx context.Context, conns int, d time.Duration, limit int64, fn op) *result {
	var wg sync.WaitGroup
	var next, errs atomic.Int64
	hists := make([]*hist, conns)
	var errMu sync.Mutex
	var firstErr error
	start := time.Now()
	var stop time.Time
	if d > 0 {
		stop = start.Add(d)
	}
	for w := range conns {
		hists[w] = newHist()
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := hists[w]
			for {
				if !stop.IsZero() && time.Now().After(stop) {
					return
				}
				i := next.Add(1) - 1
				if limit > 0 && i >= limit {
					return
				}
				t0 := time.Now()
				err := fn(ctx, w, i)
				h.record(time.Since(t0))
				if err != nil {
					errs.Add(1)
					errMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					errMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	r := &result{Elapsed: time.Since(start), Hist: newHist(), Errors: errs.Load(), FirstErr: firstErr}
	for _, h := range hists {
		r.Hist.merge(h)
	}
	r.Requests = int64(r.Hist.n)
	return r
}

// openLoop issues requests at a constant rate (per second) for d or until
// count requests were issued (count > 0), whether or not earlier ones have
// finished. Latency runs from each request's scheduled time, so a stall
// shows in the percentiles instead of slowing the schedule (no coordinated
// omission). At most maxInFlight requests are outstanding, each sent by
// one of as many long-lived workers: a request due while all are busy is
// not sent and counted in Dropped, apart from the server's answers (it
// says the generator, not examd, could not keep up). The schedule is
// served in batches about a millisecond apart, so the generator does not
// wake for every request at thousands a second; Lag is how late the
// latest batch was handed out past its schedule.
func openLoop(ctx context.Context, rate float64, d time.Duration, count int64, maxInFlight int64, fn op) *result {
	interval := time.Duration(float64(time.Second) / rate)
	if count <= 0 {
		count = int64(d / interval)
	}
	var errs, refused, clientErrs atomic.Int64
	var mu sync.Mutex
	h, rh := newHist(), newHist()
	var firstErr error
	fail := func(err error) {
		errs.Add(1)
		var he *httpError
		if !errors.As(err, &he) {
			clientErrs.Add(1)
		}
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	type job struct {
		i  int64
		at time.Time
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	do := func(j job) {
		err := fn(ctx, int(j.i), j.i)
		lat := time.Since(j.at)
		if errors.Is(err, errRefused) {
			refused.Add(1)
			mu.Lock()
			rh.record(lat)
			mu.Unlock()
			return
		}
		mu.Lock()
		h.record(lat)
		mu.Unlock()
		if err != nil {
			fail(err)
		}
	}
	// Workers start as needed, each with the job no idle worker took, so
	// their number (and their connections) grows with the requests in
	// flight, not in a burst of maxInFlight new connections at once.
	workers := int64(0)
	worker := func(first job) {
		defer wg.Done()
		do(first)
		for j := range jobs {
			do(j)
		}
	}
	var dropped int64
	var lag time.Duration
	start := time.Now()
	for i := int64(0); i < count; {
		now := time.Now()
		for ; i < count; i++ {
			at := start.Add(time.Duration(i) * interval)
			if at.After(now) {
				break
			}
			select {
			case jobs <- job{i, at}:
			default:
				if workers < maxInFlight {
					workers++
					wg.Add(1)
					go worker(job{i, at})
				} else {
					dropped++
				}
			}
		}
		lag = max(lag, time.Since(start.Add(time.Duration(max(i-1, 0))*interval)))
		if i < count {
			time.Sleep(max(time.Until(start.Add(time.Duration(i)*interval)), time.Millisecond))
		}
	}
	close(jobs)
	wg.Wait()
	return &result{Requests: int64(h.n), Errors: errs.Load(), Elapsed: time.Since(start), Hist: h, FirstErr: firstErr,
		Refused: refused.Load(), RefusedHist: rh, Dropped: dropped, ClientErrs: clientErrs.Load(), Lag: lag}
}
