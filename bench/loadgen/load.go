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
// count requests were issued (count > 0), each in its own goroutine, whether
// or not earlier ones have finished. Latency runs from each request's
// scheduled time, so a stall shows in the percentiles instead of slowing
// the schedule (no coordinated omission). More than maxInFlight requests
// outstanding counts the new one as an error instead of sending it.
func openLoop(ctx context.Context, rate float64, d time.Duration, count int64, maxInFlight int64, fn op) *result {
	interval := time.Duration(float64(time.Second) / rate)
	if count <= 0 {
		count = int64(d / interval)
	}
	var wg sync.WaitGroup
	var inFlight, errs, refused atomic.Int64
	var mu sync.Mutex
	h, rh := newHist(), newHist()
	var firstErr error
	fail := func(err error) {
		errs.Add(1)
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	start := time.Now()
	for i := int64(0); i < count; i++ {
		at := start.Add(time.Duration(i) * interval)
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait)
		}
		if inFlight.Load() >= maxInFlight {
			fail(errOverload)
			continue
		}
		inFlight.Add(1)
		wg.Add(1)
		go func(i int64, at time.Time) {
			defer wg.Done()
			defer inFlight.Add(-1)
			err := fn(ctx, int(i), i)
			lat := time.Since(at)
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
		}(i, at)
	}
	wg.Wait()
	return &result{Requests: int64(h.n), Errors: errs.Load(), Elapsed: time.Since(start), Hist: h, FirstErr: firstErr,
		Refused: refused.Load(), RefusedHist: rh}
}

type overloadError struct{}

func (overloadError) Error() string { return "load generator: too many requests in flight; not sent" }

var errOverload error = overloadError{}
