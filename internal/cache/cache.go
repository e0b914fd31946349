// Package cache is the one in-memory cache examd uses: a map bounded in
// entries, with an optional time to live, safe for concurrent use.
//
// examd keeps nothing in memory that another server would need, so a cache
// only ever holds what can be read again from PostgreSQL. Each user states
// its key, its bound and why its entries cannot go stale (or how they are
// forgotten); docs/design.md lists them all in one table.
//
// When the map is full it starts over rather than evicting one entry at a
// time: the entries are cheap to rebuild (one query each), and starting over
// needs no bookkeeping on the hot path of a read.
package cache

import (
	"sync"
	"time"
)

// Bounded maps K to V with at most Max entries. A zero TTL keeps entries
// until the map starts over or they are forgotten.
type Bounded[K comparable, V any] struct {
	max int
	ttl time.Duration
	now func() time.Time

	mu sync.RWMutex
	m  map[K]entry[V]
}

type entry[V any] struct {
	v  V
	at time.Time
}

// New returns a cache of at most max entries (max ≥ 1) whose entries live
// ttl (0: until dropped).
func New[K comparable, V any](max int, ttl time.Duration) *Bounded[K, V] {
	if max < 1 {
		max = 1
	}
	return &Bounded[K, V]{max: max, ttl: ttl, now: time.Now}
}

// WithClock sets the clock the time to live is measured on (tests).
func (c *Bounded[K, V]) WithClock(now func() time.Time) *Bounded[K, V] {
	c.now = now
	return c
}

// Get returns k's value and whether it was there and alive.
func (c *Bounded[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	e, ok := c.m[k]
	c.mu.RUnlock()
	if !ok || (c.ttl > 0 && c.now().Sub(e.at) > c.ttl) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put stores v under k; a full map starts over first.
func (c *Bounded[K, V]) Put(k K, v V) {
	at := c.now()
	c.mu.Lock()
	if _, ok := c.m[k]; c.m == nil || (!ok && len(c.m) >= c.max) {
		c.m = make(map[K]entry[V], min(c.max, 1024))
	}
	c.m[k] = entry[V]{v: v, at: at}
	c.mu.Unlock()
}

// Forget drops k, so the next Get misses.
func (c *Bounded[K, V]) Forget(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.mu.Unlock()
}

// ForgetIf drops every entry whose key matches.
func (c *Bounded[K, V]) ForgetIf(match func(K) bool) {
	c.mu.Lock()
	for k := range c.m {
		if match(k) {
			delete(c.m, k)
		}
	}
	c.mu.Unlock()
}

// Len is the number of entries held, alive or expired.
func (c *Bounded[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
