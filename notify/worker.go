package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"
)

// DefaultSchedule is the wait after each failed request: exponential,
// with ±20 % jitter, more than 24 hours in all (about 30 h; at least 24 h
// even with the shortest jitter), then the delivery is failed.
var DefaultSchedule = []time.Duration{
	10 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 8 * time.Hour, 8 * time.Hour,
}

// Delivery limits.
const (
	RequestTimeout = 10 * time.Second
	// lease is how long a claimed delivery is held: more than a request's
	// timeout and its recording, so no other server sends it meanwhile.
	lease        = 30 * time.Second
	maxBodyRead  = 4 << 10
	batchSize    = 100
	parallelism  = 16
	pollInterval = 250 * time.Millisecond
)

// WorkerOptions configure a delivery worker.
type WorkerOptions struct {
	DB           *gorm.DB
	Log          *slog.Logger
	Schedule     []time.Duration // nil: DefaultSchedule
	AllowPrivate bool
	Resolver     Resolver // nil: the system's
}

// Worker sends pending deliveries. Any number of workers (in any number of
// servers) may run on one database.
type Worker struct {
	db       *gorm.DB
	log      *slog.Logger
	schedule []time.Duration
	client   *http.Client
}

// NewWorker builds a worker.
func NewWorker(o WorkerOptions) *Worker {
	w := &Worker{db: o.DB, log: o.Log, schedule: o.Schedule}
	if w.log == nil {
		w.log = slog.Default()
	}
	if len(w.schedule) == 0 {
		w.schedule = DefaultSchedule
	}
	tr := &http.Transport{
		DialContext:           newGuardedDialer(o.Resolver, o.AllowPrivate).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: RequestTimeout,
		MaxIdleConnsPerHost:   parallelism,
		IdleConnTimeout:       90 * time.Second,
	}
	w.client = &http.Client{Transport: tr, Timeout: RequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return w
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("webhook delivery pass failed", "error", err)
		}
		if n == batchSize {
			continue // more may be due
		}
		jitter := time.Duration(rand.Int64N(int64(pollInterval)))
		select {
		case <-ctx.Done():
			return
		case <-time.After(pollInterval/2 + jitter):
		}
	}
}

type claimed struct {
	ID        string
	Attempts  int
	URL       string
	Secret    string
	EventID   string
	Type      string
	CreatedAt time.Time
	Data      string
}

// RunOnce claims a batch of due deliveries, sends them and records each
// result; it returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	var batch []claimed
	err := w.db.WithContext(ctx).Raw(`WITH c AS (
			SELECT id FROM webhook_deliveries
			WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
			ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
		UPDATE webhook_deliveries d SET attempts = d.attempts + 1, lease_until = now() + make_interval(secs => ?)
		FROM c, webhooks h, outbox_events e
		WHERE d.id = c.id AND h.id = d.webhook_id AND e.id = d.event_id
		RETURNING d.id, d.attempts, h.url, h.secret, e.id AS event_id, e.type, e.created_at, e.data::text AS data`,
		batchSize, lease.Seconds()).Scan(&batch).Error
	if err != nil {
		return 0, fmt.Errorf("notify: claim: %w", err)
	}
	sem := make(chan struct{}, parallelism)
	var wg sync.WaitGroup
	for i := range batch {
		sem <- struct{}{}
		wg.Add(1)
		go func(c *claimed) {
			defer func() { <-sem; wg.Done() }()
			status, msg := w.send(ctx, c)
			if err := w.record(context.WithoutCancel(ctx), c, status, msg); err != nil {
				w.log.Warn("recording a webhook delivery failed", "delivery", c.ID, "error", err)
			}
		}(&batch[i])
	}
	wg.Wait()
	return len(batch), nil
}

// Body is what a receiver gets.
type Body struct {
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// send makes one request; status is the HTTP status (0: no answer).
func (w *Worker) send(ctx context.Context, c *claimed) (int, string) {
	body, err := json.Marshal(Body{Type: c.Type, Timestamp: c.CreatedAt.UTC(), Data: json.RawMessage(c.Data)})
	if err != nil {
		return 0, err.Error()
	}
	ts := time.Now().Unix()
	sig, err := Sign(c.Secret, c.EventID, ts, body)
	if err != nil {
		return 0, err.Error()
	}
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "examd-webhooks/1")
	req.Header.Set("webhook-id", c.EventID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxBodyRead))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, ""
	}
	if len(snippet) > 200 {
		snippet = snippet[:200]
	}
	return resp.StatusCode, fmt.Sprintf("HTTP %d: %s", resp.StatusCode, bytes.ToValidUTF8(snippet, nil))
}

// record writes one request's result, only if the delivery is still this
// worker's claim (attempts unchanged).
func (w *Worker) record(ctx context.Context, c *claimed, status int, msg string) error {
	var last *int
	if status != 0 {
		last = &status
	}
	db := w.db.WithContext(ctx)
	if status >= 200 && status < 300 {
		return db.Exec(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_status = ?, last_error = '', lease_until = NULL
			WHERE id = ? AND attempts = ?`, last, c.ID, c.Attempts).Error
	}
	if c.Attempts > len(w.schedule) {
		return db.Exec(`UPDATE webhook_deliveries SET status = 'failed', last_status = ?, last_error = ?, lease_until = NULL
			WHERE id = ? AND attempts = ?`, last, msg, c.ID, c.Attempts).Error
	}
	wait := w.schedule[c.Attempts-1]
	wait = time.Duration(float64(wait) * (0.8 + 0.4*rand.Float64()))
	return db.Exec(`UPDATE webhook_deliveries SET last_status = ?, last_error = ?, lease_until = NULL,
			next_attempt_at = now() + make_interval(secs => ?) WHERE id = ? AND attempts = ?`,
		last, msg, wait.Seconds(), c.ID, c.Attempts).Error
}
