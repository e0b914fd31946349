package main

import (
	"context"
	"testing"
	"time"
)

// Every scheduled request is sent while workers can be started, even when
// each takes longer than the interval (workers are started on demand).
func TestOpenLoopSendsEveryRequestWithinItsBound(t *testing.T) {
	slow := func(context.Context, int, int64) error { time.Sleep(20 * time.Millisecond); return nil }
	r := openLoop(context.Background(), 1000, 0, 200, 1024, slow)
	if r.Requests != 200 || r.Dropped != 0 || r.Errors != 0 {
		t.Fatalf("%d answered, %d dropped, %d errors; want 200, 0, 0", r.Requests, r.Dropped, r.Errors)
	}
}

// Past its bound of requests in flight the generator drops what it cannot
// send and says so, apart from errors and refusals.
func TestOpenLoopCountsItsOwnDropsApart(t *testing.T) {
	slow := func(context.Context, int, int64) error { time.Sleep(100 * time.Millisecond); return nil }
	r := openLoop(context.Background(), 1000, 0, 100, 4, slow)
	if r.Errors != 0 || r.Refused != 0 {
		t.Fatalf("drops counted as %d errors, %d refusals", r.Errors, r.Refused)
	}
	if r.Dropped < 80 || r.Requests+r.Dropped != 100 {
		t.Fatalf("%d answered and %d dropped of 100 with 4 workers busy 100 ms each", r.Requests, r.Dropped)
	}
}

// An experiment's flags replace only the sizes they give.
func TestSizesWithReplacesOnlyTheGivenSizes(t *testing.T) {
	got := full.with(sizes{W: 40, OpenDur: 5 * time.Second})
	if got.W != 40 || got.OpenDur != 5*time.Second {
		t.Errorf("W %d, OpenDur %s; want 40 and 5s", got.W, got.OpenDur)
	}
	got.W, got.OpenDur = full.W, full.OpenDur
	if got != full {
		t.Errorf("other sizes changed: %+v; want %+v", got, full)
	}
}
