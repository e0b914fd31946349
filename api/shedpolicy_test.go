package api

import (
	"sort"
	"testing"
	"time"
)

// The admission policy on a fake clock: a discrete simulation of a server
// with a fixed number of places and a fixed service time, fed at constant
// rates, with an optional stall during which nothing in flight progresses
// (a checkpoint or a lock in PostgreSQL). Deterministic: no goroutines, no
// real time.

const (
	simPlaces = 24
	simSvc    = 6500 * time.Microsecond // 24 places / 6.5 ms ≈ 3,692 req/s
	simQueue  = 32 * simPlaces
	simWait   = time.Second
	simOWait  = 50 * time.Millisecond
	simStep   = 250 * time.Microsecond
)

var simCapacity = float64(simPlaces) / simSvc.Seconds()

type simPhase struct {
	until time.Duration // phase ends at this offset
	rate  float64       // arrivals per second
	// pause, every period (if set): the sender stops for pause, then sends
	// what fell due meanwhile at once, as a load generator on the same
	// cores does when it is not scheduled for a moment.
	period, pause time.Duration
}

// deliver is when an arrival scheduled at off reaches the server.
func (ph simPhase) deliver(off time.Duration) time.Duration {
	if ph.period > 0 && off%ph.period < ph.pause {
		return off - off%ph.period + ph.pause
	}
	return off
}

type simReq struct {
	arrived, deadline time.Time
}

type simSlot struct {
	busy       bool
	start, end time.Time
}

// simOutcome is what happened to the requests that arrived in [from, to).
type simOutcome struct {
	arrived, refused int
	waits            []time.Duration // queueing delay of the accepted ones
}

func (o *simOutcome) share() float64 { return float64(o.refused) / float64(max(o.arrived, 1)) }

func (o *simOutcome) waitQuantile(q float64) time.Duration {
	if len(o.waits) == 0 {
		return 0
	}
	w := append([]time.Duration(nil), o.waits...)
	sort.Slice(w, func(i, j int) bool { return w[i] < w[j] })
	return w[min(len(w)-1, int(q*float64(len(w))))]
}

type simRun struct {
	maxQueued int
	// queuedAt samples the queue length every 10 ms.
	queuedAt map[time.Duration]int
	reqs     []struct {
		at       time.Duration
		refused  bool
		accepted bool
		wait     time.Duration
	}
}

func (r *simRun) outcome(from, to time.Duration) *simOutcome {
	o := &simOutcome{}
	for _, q := range r.reqs {
		if q.at < from || q.at >= to {
			continue
		}
		o.arrived++
		if q.refused {
			o.refused++
		} else if q.accepted {
			o.waits = append(o.waits, q.wait)
		}
	}
	return o
}

// simulate runs the policy through phases; the stall [stallFrom, stallTo)
// freezes every request in flight (none if stallTo == 0).
func simulate(t *testing.T, phases []simPhase, stallFrom, stallTo time.Duration) *simRun {
	t.Helper()
	p := newShedPolicy(simPlaces, simQueue, simWait, simOWait)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sa, sb := t0.Add(stallFrom), t0.Add(stallTo)
	endOf := func(start time.Time) time.Time {
		end := start.Add(simSvc)
		if stallTo > 0 && start.Before(sb) && end.After(sa) {
			from := sa
			if start.After(sa) {
				from = start
			}
			end = end.Add(sb.Sub(from))
		}
		return end
	}
	run := &simRun{queuedAt: map[time.Duration]int{}}
	slots := make([]simSlot, simPlaces)
	var queue []int // indexes into run.reqs, FIFO
	startIn := func(now time.Time, idx int) bool {
		for i := range slots {
			if !slots[i].busy {
				slots[i] = simSlot{busy: true, start: now, end: endOf(now)}
				run.reqs[idx].accepted = true
				run.reqs[idx].wait = now.Sub(t0.Add(run.reqs[idx].at))
				return true
			}
		}
		return false
	}
	total := phases[len(phases)-1].until
	phase, next := 0, time.Duration(0) // next arrival's offset
	deadlines := map[int]time.Time{}
	for off := time.Duration(0); off < total+2*simWait; off += simStep {
		now := t0.Add(off)
		for i := range slots {
			if slots[i].busy && !slots[i].end.After(now) {
				p.served(slots[i].end.Sub(slots[i].start))
				slots[i].busy = false
			}
		}
		// Waiting requests take the free places in order; those past
		// their wait are refused.
		kept := queue[:0]
		for _, idx := range queue {
			switch {
			case now.After(deadlines[idx]):
				run.reqs[idx].refused = true
				p.dequeue()
			case startIn(now, idx):
				p.dequeue()
			default:
				kept = append(kept, idx)
			}
		}
		queue = kept
		for phase < len(phases) && phases[phase].deliver(next) <= off {
			if next >= phases[phase].until {
				phase++
				continue
			}
			at := t0.Add(phases[phase].deliver(next))
			run.reqs = append(run.reqs, struct {
				at       time.Duration
				refused  bool
				accepted bool
				wait     time.Duration
			}{at: phases[phase].deliver(next)})
			idx := len(run.reqs) - 1
			p.arrive(at)
			if !startIn(at, idx) {
				if w, ok := p.enqueue(at); ok {
					deadlines[idx] = at.Add(w)
					queue = append(queue, idx)
				} else {
					run.reqs[idx].refused = true
				}
			}
			next += time.Duration(float64(time.Second) / phases[phase].rate)
		}
		if q, _, _ := p.state(); q != len(queue) {
			t.Fatalf("at %s the policy counts %d queued, the queue holds %d", off, q, len(queue))
		}
		run.maxQueued = max(run.maxQueued, len(queue))
		if off%(10*time.Millisecond) == 0 {
			run.queuedAt[off] = len(queue)
		}
	}
	return run
}

// A 400 ms stall at a quarter of capacity: nothing is refused, the queue
// fills while nothing completes and drains afterwards, and no request
// waits much longer than the stall.
func TestShedPolicyWaitsOutABriefStallAtLowRate(t *testing.T) {
	run := simulate(t, []simPhase{{3 * time.Second, simCapacity / 4, 0, 0}}, time.Second, 1400*time.Millisecond)
	o := run.outcome(0, 3*time.Second)
	if o.refused != 0 {
		t.Fatalf("%d of %d requests refused around a 400 ms stall at a quarter of capacity", o.refused, o.arrived)
	}
	if w := o.waitQuantile(1); w > 450*time.Millisecond || w < 350*time.Millisecond {
		t.Errorf("longest wait %s, want about the stall (400 ms)", w)
	}
	if run.maxQueued < 300 || run.maxQueued > simQueue {
		t.Errorf("queue peaked at %d, want the stall's arrivals (about 370) within %d", run.maxQueued, simQueue)
	}
	if q := run.queuedAt[2*time.Second]; q != 0 {
		t.Errorf("%d still queued 600 ms after the stall", q)
	}
}

// Arrivals at twice capacity, sustained: about half are refused, the
// accepted ones wait at most the overload budget once the overload is
// recognised, and the queue holds about that budget's worth of work.
func TestShedPolicyShedsSustainedOverload(t *testing.T) {
	run := simulate(t, []simPhase{{5 * time.Second, 2 * simCapacity, 0, 0}}, 0, 0)
	if run.maxQueued > simQueue {
		t.Fatalf("queue reached %d, past its bound %d", run.maxQueued, simQueue)
	}
	steady := run.outcome(time.Second, 5*time.Second)
	if s := steady.share(); s < 0.45 || s > 0.55 {
		t.Errorf("refused %.3f of the requests at twice capacity, want about half", s)
	}
	if w := steady.waitQuantile(0.99); w > simOWait+5*time.Millisecond {
		t.Errorf("accepted p99 wait %s under sustained overload, want <= %s", w, simOWait)
	}
	// Goodput stays at capacity: the places never idle.
	if got, want := float64(len(steady.waits))/4, simCapacity; got < 0.97*want {
		t.Errorf("accepted %.0f req/s, want about capacity %.0f", got, want)
	}
	bound := int(simOWait.Seconds()*simCapacity) + simPlaces
	for at := time.Second; at < 5*time.Second; at += 10 * time.Millisecond {
		if q := run.queuedAt[at]; q > bound {
			t.Fatalf("%d queued at %s, want <= %d (the overload budget's worth)", q, at, bound)
		}
	}
	// The refusals start only after the overload is recognised, but the
	// first second's waits stay within the long budget.
	if w := run.outcome(0, time.Second).waitQuantile(1); w > simWait {
		t.Errorf("a request waited %s, past the %s bound", w, simWait)
	}
}

// Sustained overload from a sender that pauses now and then (50 ms every
// 400 ms) and then sends what fell due at once: the queue drains in each
// pause, but arrivals stay past capacity, so the burst after it must not
// be taken for a new, brief one and queued on the long budget. Accepted
// requests still wait at most about the overload budget.
func TestShedPolicyShedsOverloadFromAPausingSender(t *testing.T) {
	run := simulate(t, []simPhase{{5 * time.Second, 2 * simCapacity, 400 * time.Millisecond, 50 * time.Millisecond}}, 0, 0)
	steady := run.outcome(time.Second, 5*time.Second)
	if s := steady.share(); s < 0.4 || s > 0.6 {
		t.Errorf("refused %.3f of the requests at twice capacity, want about half", s)
	}
	if w := steady.waitQuantile(0.99); w > simOWait+5*time.Millisecond {
		t.Errorf("accepted p99 wait %s under overload with pauses, want <= %s", w, simOWait)
	}
}

// A stall far longer than the queue can cover: the queue never passes its
// bound, requests past it are refused, those queued too long are refused
// at their wait, and service resumes after the stall.
func TestShedPolicyQueueStaysBoundedInALongStall(t *testing.T) {
	run := simulate(t, []simPhase{{4 * time.Second, simCapacity / 2, 0, 0}}, time.Second, 3*time.Second)
	if run.maxQueued > simQueue {
		t.Fatalf("queue reached %d, past its bound %d", run.maxQueued, simQueue)
	}
	if run.maxQueued < simQueue-1 {
		t.Errorf("queue peaked at %d; a 2 s stall at half capacity should fill it (%d)", run.maxQueued, simQueue)
	}
	during := run.outcome(time.Second, 3*time.Second)
	if during.refused == 0 {
		t.Fatal("nothing refused in a 2 s stall")
	}
	if w := during.waitQuantile(1); w > simWait {
		t.Errorf("a request waited %s, past the %s bound", w, simWait)
	}
	if after := run.outcome(3500*time.Millisecond, 4*time.Second); after.refused != 0 {
		t.Errorf("%d refused a second after the stall ended", after.refused)
	}
}

// After an overload ends, the policy forgets it: a brief stall at a low
// rate is waited out again.
func TestShedPolicyRecoversAfterOverload(t *testing.T) {
	run := simulate(t, []simPhase{{2 * time.Second, 2 * simCapacity, 0, 0}, {5 * time.Second, simCapacity / 4, 0, 0}}, 3500*time.Millisecond, 3800*time.Millisecond)
	if o := run.outcome(time.Second, 2*time.Second); o.share() < 0.4 {
		t.Fatalf("the overload phase refused only %.3f", o.share())
	}
	if o := run.outcome(3*time.Second, 5*time.Second); o.refused != 0 {
		t.Fatalf("%d of %d refused around a 300 ms stall at a quarter of capacity after an overload", o.refused, o.arrived)
	}
}
