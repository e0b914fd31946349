package api

import (
	"math"
	"sync"
	"time"
)

// shedPolicy decides whether a request that finds every place in flight
// taken may wait for one, and for how long. A queue of fixed length and
// wait cannot tell the two situations apart that matter here:
//
//   - a brief stall (a checkpoint, autovacuum, a lock held for a moment)
//     while requests arrive slower than the server serves them: nothing
//     completes for a few hundred milliseconds, the queue fills, and then
//     drains on its own. Refusing there turns a hiccup into failed saves.
//   - sustained overload, requests arriving faster than they are served:
//     the queue never drains, so every place in it only adds its wait to an
//     answer that comes anyway, and memory with it.
//
// What tells them apart is the arrival rate against the capacity the
// server showed before the stall. So the policy keeps two estimates: the
// service time of a request in flight (an EWMA of the time a place is
// held, in which each sample counts at most twice the estimate, so the few
// requests caught in a stall barely move it), from which capacity is
// places / service time; and the arrival rate (an EWMA over 100 ms
// windows). While arrivals stay at or under capacity, a request may queue
// if its expected wait (its place in the queue × service time / places) is
// under the long budget (QUEUE_WAIT), and waits at most that. Once
// arrivals exceed capacity and the queue has been non-empty for a whole
// overloadAfter, the budget is the short one (QUEUE_OVERLOAD_WAIT): the
// queue holds about that much work and anything past it is refused at
// once. That stays so while arrivals exceed capacity, through moments
// when the queue empties (overloadMemory). The queue never holds more
// than maxQueue whatever the estimates.
//
// It takes the time as an argument, so that it can be tested on a fake
// clock; the methods are safe for concurrent use.
type shedPolicy struct {
	places       int
	maxQueue     int
	wait         time.Duration // budget while the server drains its queue
	overloadWait time.Duration // budget under sustained overload

	mu       sync.Mutex
	queued   int
	nonEmpty time.Time // when the queue last became non-empty
	lastOver time.Time // when overload was last recognised
	svc      float64   // EWMA of the time a place is held, seconds; 0: unknown
	rate     float64   // EWMA of arrivals per second
	winStart time.Time
	winCount int
}

const (
	// rateWindow is the window over which arrivals are counted.
	rateWindow = 100 * time.Millisecond
	// rateAlpha weighs the newest window: arrivals are followed within a
	// few windows.
	rateAlpha = 0.5
	// svcAlpha weighs each service time; with thousands of requests a
	// second the estimate follows a real change within tens of
	// milliseconds, while 24 stalled requests move it by at most 27 %.
	svcAlpha = 0.01
	// overloadAfter is how long the queue must stay non-empty, with
	// arrivals past capacity, before the short budget applies: a burst
	// that drains sooner is not overload.
	overloadAfter = 100 * time.Millisecond
	// overloadMemory is how long a recognised overload is remembered while
	// arrivals stay past capacity, even if the queue empties meanwhile: a
	// sender that pauses for a moment (a load generator or a proxy on busy
	// cores) drains the queue, then sends what fell due at once, and that
	// burst is the same overload, not a new brief one to queue on the long
	// budget (which let it wait about 200 ms in simulation).
	overloadMemory = time.Second
)

func newShedPolicy(places, maxQueue int, wait, overloadWait time.Duration) *shedPolicy {
	return &shedPolicy{places: places, maxQueue: maxQueue, wait: wait, overloadWait: min(overloadWait, wait)}
}

// arrive counts a request arriving at now (every request, admitted at
// once or not).
func (p *shedPolicy) arrive(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.roll(now)
	p.winCount++
}

// roll folds the windows that ended by now into the arrival rate.
func (p *shedPolicy) roll(now time.Time) {
	if p.winStart.IsZero() {
		p.winStart = now
		return
	}
	elapsed := now.Sub(p.winStart)
	if elapsed < rateWindow {
		return
	}
	k := int64(elapsed / rateWindow)
	p.rate += rateAlpha * (float64(p.winCount)/rateWindow.Seconds() - p.rate)
	if k > 1 { // windows without an arrival
		p.rate *= math.Pow(1-rateAlpha, float64(k-1))
	}
	p.winStart = p.winStart.Add(time.Duration(k) * rateWindow)
	p.winCount = 0
}

// served records that a request held its place for d.
func (p *shedPolicy) served(d time.Duration) {
	s := d.Seconds()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.svc == 0 {
		p.svc = s
		return
	}
	p.svc += svcAlpha * (min(s, 2*p.svc) - p.svc)
}

// overloaded reports whether requests arrive faster than they are served
// and have for a while (the queue non-empty for overloadAfter, or overload
// seen within overloadMemory), and records now as overload seen when so;
// p.mu is held.
func (p *shedPolicy) overloaded(now time.Time) bool {
	if p.svc == 0 || p.rate <= float64(p.places)/p.svc {
		return false
	}
	recent := !p.lastOver.IsZero() && now.Sub(p.lastOver) < overloadMemory
	if !recent && (p.queued == 0 || now.Sub(p.nonEmpty) < overloadAfter) {
		return false
	}
	p.lastOver = now
	return true
}

// enqueue decides for a request at now that found no free place: ok and
// the longest it may wait, or refused. An admitted request must call
// dequeue when it leaves the queue (with a place or not).
func (p *shedPolicy) enqueue(now time.Time) (wait time.Duration, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.roll(now)
	if p.queued >= p.maxQueue {
		return 0, false
	}
	budget := p.wait
	if p.overloaded(now) {
		budget = p.overloadWait
	}
	expected := time.Duration(float64(p.queued+1) * p.svc / float64(p.places) * float64(time.Second))
	if expected > budget {
		return 0, false
	}
	if p.queued == 0 {
		p.nonEmpty = now
	}
	p.queued++
	return budget, true
}

func (p *shedPolicy) dequeue() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queued--
}

// state is for tests and logs: queue length, service time, arrival rate.
func (p *shedPolicy) state() (queued int, svc time.Duration, rate float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queued, time.Duration(p.svc * float64(time.Second)), p.rate
}
