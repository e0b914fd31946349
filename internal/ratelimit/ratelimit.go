// Package ratelimit counts failures (bad logins, bad invitation tokens) per
// key in a sliding window kept in PostgreSQL, so several examd processes
// enforce one limit and a restart does not reset it.
//
// Keys are stored as their SHA-256 only: a key of any length or content (a
// 20,000-character email, a NUL) is counted like any other, and the lookup
// index holds 32 bytes a row.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Rule is a limit: at most Max failures per key within Window. A key with
// Max failures in the window is blocked until the oldest of them leaves it.
type Rule struct {
	Scope  string
	Max    int
	Window time.Duration
}

// Hit is one failure to count: a key of a scope.
type Hit struct {
	Scope string
	Key   string
}

// Limiter checks and records failures.
type Limiter struct{ db *gorm.DB }

// New returns a Limiter on db.
func New(db *gorm.DB) *Limiter { return &Limiter{db: db} }

// KeyHash is the stored form of a key.
func KeyHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

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
			WHERE scope = ? AND key_hash = ? AND at > now() - make_interval(secs => ?)
			ORDER BY at DESC LIMIT ?)
		SELECT count(*) AS n, min(at) AS oldest, now() AS now FROM recent`,
		r.Scope, KeyHash(key), r.Window.Seconds(), r.Max).Scan(&row).Error
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

// Record counts one failure for each key of scope.
func (l *Limiter) Record(ctx context.Context, scope string, keys ...string) error {
	hits := make([]Hit, len(keys))
	for i, k := range keys {
		hits[i] = Hit{Scope: scope, Key: k}
	}
	return l.RecordHits(ctx, hits...)
}

// RecordHits counts one failure for each hit, in one statement.
func (l *Limiter) RecordHits(ctx context.Context, hits ...Hit) error {
	if len(hits) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO auth_failures (scope, key_hash) VALUES `)
	args := make([]any, 0, 2*len(hits))
	for i, h := range hits {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?)")
		args = append(args, h.Scope, KeyHash(h.Key))
	}
	if err := l.db.WithContext(ctx).Exec(q.String(), args...).Error; err != nil {
		return fmt.Errorf("ratelimit: record: %w", err)
	}
	// Keep the table small: forget failures older than a day now and then.
	if time.Now().UnixNano()%64 == 0 {
		l.db.WithContext(ctx).Exec(`DELETE FROM auth_failures WHERE at < now() - interval '1 day'`)
	}
	return nil
}
