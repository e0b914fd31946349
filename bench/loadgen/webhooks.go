package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The webhook row: a submit wave like S4's, on a pool of its own, with a
// webhook subscribed to attempt.submitted pointing at a receiver in this
// process. Every submit's event must arrive, signed, within 30 s of the
// last submit, while the wave keeps S4's p99 target. examd delivers to
// 127.0.0.1 because scripts/bench.sh starts it with WEBHOOK_ALLOW_PRIVATE.

const (
	hookFull        = 2000
	hookSmoke       = 20
	hookWithin      = 30 * time.Second
	hookWaitAtMost  = 90 * time.Second // how long the phase waits (to report a late finish too)
	hookTimestampOK = 5 * time.Minute
)

// hookReceiver checks each request's Standard Webhooks signature with its
// own HMAC (not examd's code) and counts what it got.
type hookReceiver struct {
	mu       sync.Mutex
	key      []byte
	want     map[string]bool // attempt ids of the pool
	seen     map[string]bool // webhook-ids answered 2xx
	requests int
	bad      int // bad or missing signature, stale timestamp
	foreign  int // well signed, but not one of the pool's submits
	first    error
	last     time.Time // when the last new event arrived
	all      chan struct{}
}

func (h *hookReceiver) problem(err error) {
	if h.first == nil {
		h.first = err
	}
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	now := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests++
	id, ts, sig := r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature")
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	ok := false
	for _, s := range strings.Fields(sig) {
		if v, found := strings.CutPrefix(s, "v1,"); found {
			if got, err := base64.StdEncoding.DecodeString(v); err == nil && hmac.Equal(got, want) {
				ok = true
			}
		}
	}
	sec, tsErr := strconv.ParseInt(ts, 10, 64)
	if err != nil || !ok || id == "" || tsErr != nil || now.Sub(time.Unix(sec, 0)).Abs() > hookTimestampOK {
		h.bad++
		h.problem(fmt.Errorf("bad delivery: id %q, timestamp %q, signature %q", id, ts, sig))
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var ev struct {
		Type string `json:"type"`
		Data struct {
			AttemptID string `json:"attempt_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Type != "attempt.submitted" || !h.want[ev.Data.AttemptID] {
		h.foreign++
		h.problem(fmt.Errorf("unexpected event %s: %.200s", id, body))
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.WriteHeader(http.StatusNoContent)
	if h.seen[id] {
		return // a duplicate: counted as requests - len(seen) - bad - foreign
	}
	h.seen[id] = true
	h.last = now
	if len(h.seen) == len(h.want) {
		close(h.all)
	}
}

func (b *bench) webhooks(s *seeder) error {
	ctx := b.ctx
	n := hookFull
	if b.cfg.smoke {
		n = hookSmoke
	}
	exH, err := s.publishExam(ctx, "客户服务经理面试题（压测H，webhook）")
	if err != nil {
		return fmt.Errorf("exam H: %w", err)
	}
	H, err := s.invite(ctx, exH.ID, "H", n)
	if err != nil {
		return fmt.Errorf("invitations H: %w", err)
	}
	if err := startAll(ctx, b.api, H, 16); err != nil {
		return fmt.Errorf("starting pool H: %w", err)
	}
	if _, err := fillAnswers(ctx, b.db, exH, H); err != nil {
		return fmt.Errorf("answers of pool H: %w", err)
	}

	rcv := &hookReceiver{want: map[string]bool{}, seen: map[string]bool{}, all: make(chan struct{})}
	for _, c := range H {
		rcv.want[c.AttemptID] = true
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: rcv, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	var hook struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	if _, err := b.api.do(ctx, "POST", "/webhooks", s.admin, map[string]any{"url": "http://" + ln.Addr().String() + "/bench",
		"events": []string{"attempt.submitted"}, "description": "bench receiver"}, &hook, 201); err != nil {
		return fmt.Errorf("creating the webhook: %w", err)
	}
	// Later phases' submits are not this row's: the webhook goes at the end.
	defer func() {
		if _, err := b.api.do(context.WithoutCancel(ctx), "DELETE", "/webhooks/"+hook.ID, s.admin, nil, nil, 204); err != nil {
			b.detail("webhook row: deleting the webhook: %v", err)
		}
	}()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(hook.Secret, "whsec_"))
	if err != nil || !strings.HasPrefix(hook.Secret, "whsec_") {
		return fmt.Errorf("webhook secret %q is not whsec_ + base64", hook.Secret)
	}
	rcv.mu.Lock()
	rcv.key = key
	rcv.mu.Unlock()

	sub := newSubmitter(b.api, H)
	c0 := b.cpu.sample()
	r := openLoop(ctx, b.sz.WaveRate, 0, int64(len(H)), 4096, sub.submit)
	r.Errors += r.Dropped
	lastSubmit := time.Now()
	select {
	case <-rcv.all:
	case <-time.After(hookWaitAtMost):
	}
	foreign := b.cpu.split(c0, b.cpu.sample()) + "; examd RSS " + b.cpu.rss()
	if r.FirstErr != nil {
		b.detail("webhook wave: first submit error: %v", r.FirstErr)
	}

	rcv.mu.Lock()
	got, requests, bad, other, first, last := len(rcv.seen), rcv.requests, rcv.bad, rcv.foreign, rcv.first, rcv.last
	rcv.mu.Unlock()
	dups := requests - got - bad - other
	after := last.Sub(lastSubmit).Seconds()
	if last.IsZero() {
		after = hookWaitAtMost.Seconds()
	}
	if first != nil {
		b.detail("webhook receiver: first problem: %v", first)
	}
	var committed int64
	if err := b.db.QueryRow(ctx, `SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1`, hook.ID).Scan(&committed); err != nil {
		return err
	}
	b.detail("webhook row: %d submits at %.0f/s (p50 %.1f, p99 %.1f, max %.1f ms, %d errors) with a webhook on attempt.submitted; %d deliveries queued in SQL; the receiver got %d requests: %d distinct events of the pool, %d duplicates, %d bad signatures, %d unexpected; the last new one %.2f s after the last submit's answer; %s.",
		r.Requests, b.sz.WaveRate, r.p50(), r.p99(), r.Hist.quantile(1), r.Errors, committed, requests, got, dups, bad, other, after, foreign)
	ok := got == n && bad == 0 && other == 0 && after <= hookWithin.Seconds()
	if !ok {
		b.fail("webhook row: %d of %d events delivered, %d bad signatures, %d unexpected, last %.1f s after the wave", got, n, bad, other, after)
	}
	ref := float64(n)
	b.add(Scenario{Name: fmt.Sprintf("webhook delivery of a submit wave (%d submits, attempt.submitted, signed)", n), Value: round(after), Unit: "s after the last submit",
		Reference: &ref, Ratio: num(float64(got) / ref),
		Target: fmt.Sprintf("all %d delivered within 30 s of the last submit, 0 bad signatures (duplicates counted: %d)", n, dups),
		Met:    ok, Errors: int64(bad + other + n - got)})
	b.add(Scenario{Name: fmt.Sprintf("webhook submit wave (%d at %.0f/s, open loop, webhook on)", n, b.sz.WaveRate), Value: round(r.p99()), Unit: "ms (p99)",
		Target: "p99 <= 250 ms, 0 errors", Met: r.p99() <= 250 && r.Errors == 0, P50ms: num(r.p50()), P99ms: num(r.p99()), Errors: r.Errors})
	return nil
}
