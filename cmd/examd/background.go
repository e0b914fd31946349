package main

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"examd/exam"
	"examd/internal/metrics"
)

// sweepEvery is how often the timeout sweeper looks for attempts past
// deadline + grace; the contract allows 15 s, so a few seconds with jitter
// leaves room for a slow pass and spreads several servers apart.
const sweepEvery = 3 * time.Second

// startBackground runs the timeout sweeper until ctx ends. It holds no
// state: the attempts due are found in PostgreSQL, locked with SKIP LOCKED,
// so any number of servers may sweep at once and a restart picks up
// whatever a stopped server missed.
func startBackground(ctx context.Context, log *slog.Logger, exams *exam.Store, met *metrics.Metrics) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			n, err := exams.SweepDue(ctx, 1000)
			if err != nil && ctx.Err() == nil {
				log.Warn("timeout sweep failed", "error", err)
			} else if n > 0 {
				met.TimeoutSubmits(n)
				log.Info("submitted attempts at their deadline", "count", n)
			}
			jitter := time.Duration(rand.Int64N(int64(time.Second)))
			select {
			case <-ctx.Done():
				return
			case <-time.After(sweepEvery - time.Second/2 + jitter):
			}
		}
	}()
	return done
}
