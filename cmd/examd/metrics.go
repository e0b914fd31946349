package main

import (
	"errors"
	"examd/outbox"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"gorm.io/gorm"

	"examd/internal/metrics"
)

// newMetrics builds the registry with the gauges read from the database at
// each scrape: the review queue and the connection pool. Features with a
// backlog add theirs with met.Gauge (the outbox: examd_outbox_backlog).
func newMetrics(db *gorm.DB) *metrics.Metrics {
	met := metrics.New()
	if sqlDB, err := db.DB(); err == nil {
		met.DBPool(sqlDB)
	}
	met.Gauge("examd_review_queue_depth", "Essays waiting for a reviewer's score, every organization.", func() (int64, error) {
		var n int64
		err := db.Raw(`SELECT count(*) FROM review_items WHERE scored_at IS NULL`).Scan(&n).Error
		return n, err
	})
	met.Gauge("examd_outbox_backlog", "Webhook deliveries not yet delivered or failed, every organization.", func() (int64, error) {
		return outbox.Backlog(db)
	})
	return met
}

// startMetrics serves /metrics on addr, a listener of its own (the public
// one never answers /metrics). No addr, no listener.
func startMetrics(log *slog.Logger, addr string, met *metrics.Metrics) (*http.Server, error) {
	if addr == "" || met == nil {
		return nil, nil
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", met.Handler())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics listener stopped", "error", err)
		}
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return srv, nil
}

// shutdownTimeout bounds how long SIGTERM waits for in-flight requests
// (SHUTDOWN_TIMEOUT, a Go duration; 10 s by default).
func shutdownTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("SHUTDOWN_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Second
}
