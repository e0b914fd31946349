// Package ratelimit counts failures (bad logins, bad invitation tokens) per
// key in a sliding window kept in PostgreSQL, so several examd processes
// enforce one limit and a restart does not reset it.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Rule is a limit: at most Max failures per key within Window.
type Rule struct {
	Scope  string
	Max    int
	Window time.Duration
}

// Limiter checks and records failures.
type Limiter struct{ db *gorm.DB }

// New returns a Limiter on db.
func New(db *gorm.DB) *Limiter { return &Limiter{db: db} }

// Check reports whether key has reached the rule's limit and, if so, how
// long until the oldest counted failure leaves the window.
func (l *Limiter) Check(ctx context.Context, r Rule, key string) (blocked bool, retryAfter time.Duration, err error) {
	var row struct {
		N      int
		Oldest *time.Time
		Now    time.Time
	}
	// The Max-th newest failure decides when the key is free again.
	err = l.db.WithContext(ctx).Raw(`
		WITH recent AS (
			SELECT at FROM auth_failures
			WHERE scope = ? AND key = ? AND at > now() - make_interval(secs => ?)
			ORDER BY at DESC LIMIT ?)
		SELECT count(*) AS n, min(at) AS oldest, now() AS now FROM recent`,
		r.Scope, key, r.Window.Seconds(), r.Max).Scan(&row).Error
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: check: %w", err)
	}
	if row.N < r.Max || row.Oldest == nil {
		return false, 0, nil
	}
	wait := row.Oldest.Add(r.Window).Sub(row.Now)
	if wait < time.Second {
		wait = time.Second
	}
	return true, wait, nil
}

// Record counts one failure for each key of its rule.
func (l *Limiter) Record(ctx context.Context, scope string, keys ...string) error {
	for _, k := range keys {
		if err := l.db.WithContext(ctx).Exec(`INSERT INTO auth_failures (scope, key) VALUES (?, ?)`, scope, k).Error; err != nil {
			return fmt.Errorf("ratelimit: record: %w", err)
		}
	}
	// Keep the table small: forget failures older than a day now and then.
	if time.Now().UnixNano()%64 == 0 {
		l.db.WithContext(ctx).Exec(`DELETE FROM auth_failures WHERE at < now() - interval '1 day'`)
	}
	return nil
}
