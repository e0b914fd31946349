package main

// The outbox across crashes and servers, with the real binary: every event
// committed before a SIGKILL is delivered after the restart, and two
// servers on one database never have one event in flight at once.

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"examd/internal/pgtest"
)

// hookReceiver verifies every request's signature with its own Standard
// Webhooks code and counts deliveries per webhook-id; a webhook-id arriving
// while the same id is still being answered is a double flight.
type hookReceiver struct {
	t        *testing.T
	srv      *httptest.Server
	mu       sync.Mutex
	secret   string
	delay    time.Duration
	count    map[string]int
	types    map[string]string
	inFlight map[string]bool
	overlaps int
}

func newHookReceiver(t *testing.T, delay time.Duration) *hookReceiver {
	r := &hookReceiver{t: t, delay: delay, count: map[string]int{}, types: map[string]string{}, inFlight: map[string]bool{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		id, ts := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp")
		r.mu.Lock()
		key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
		mac := hmac.New(sha256.New, key)
		fmt.Fprintf(mac, "%s.%s.", id, ts)
		mac.Write(body)
		if got := req.Header.Get("webhook-signature"); got != "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			r.mu.Unlock()
			t.Errorf("bad signature %q on %s", got, id)
			w.WriteHeader(400)
			return
		}
		if r.inFlight[id] {
			r.overlaps++
		}
		r.inFlight[id] = true
		r.mu.Unlock()
		time.Sleep(r.delay)
		var ev struct {
			Type string `json:"type"`
		}
		json.Unmarshal(body, &ev)
		r.mu.Lock()
		delete(r.inFlight, id)
		r.count[id]++
		r.types[id] = ev.Type
		r.mu.Unlock()
		w.WriteHeader(200)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// figures: distinct events received, and requests beyond the first per event.
func (r *hookReceiver) figures() (distinct, duplicates, overlaps int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.count {
		distinct++
		duplicates += n - 1
	}
	return distinct, duplicates, r.overlaps
}

var hookEnv = []string{"WEBHOOK_ALLOW_PRIVATE=true", "WEBHOOK_RETRY_SCHEDULE=200ms,500ms,1s,1s,1s"}

func createHook(t *testing.T, base, staff, url string, events ...string) string {
	var w struct {
		Secret string `json:"secret"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/webhooks", staff, map[string]any{"url": url, "events": events}, &w)
	return w.Secret
}

func committedEvents(t *testing.T, dbURL, typ string) int {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM outbox_events WHERE type = $1`, typ).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCrashDeliversEveryCommittedEvent(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	rcv := newHookReceiver(t, 20*time.Millisecond)
	srv := startServer(t, dbURL, freeAddr(t), hookEnv...)
	staff, examID := prepare(t, srv.url, essayExam(1, 3600, 30))
	rcv.mu.Lock()
	rcv.secret = createHook(t, srv.url, staff, rcv.srv.URL, "attempt.submitted")
	rcv.mu.Unlock()
	const n = 60
	cands := make([]started, n)
	for i := range cands {
		cands[i] = startCandidate(t, srv.url, staff, examID, i)
	}
	// A batch of submits; SIGKILL right after the last one is answered.
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for _, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A refused submit (503 under load) is sent again, as the
			// candidate's page does.
			for range 100 {
				switch call("POST", srv.url+"/api/v1/candidate/attempt/submit", c.token, nil, nil) {
				case 200:
					mu.Lock()
					acked++
					mu.Unlock()
					return
				case 503:
					time.Sleep(20 * time.Millisecond)
				default:
					return
				}
			}
		}()
	}
	wg.Wait()
	srv.cmd.Process.Signal(syscall.SIGKILL)
	srv.cmd.Wait()
	before, _, _ := rcv.figures()
	committed := committedEvents(t, dbURL, "attempt.submitted")
	if acked != n || committed != n {
		t.Fatalf("%d submits acknowledged, %d events committed; want %d", acked, committed, n)
	}
	startServer(t, dbURL, freeAddr(t), hookEnv...)
	// Claims the killed server held come due when their 30 s lease ends.
	deadline := time.Now().Add(90 * time.Second)
	for {
		distinct, dups, overlaps := rcv.figures()
		if distinct == committed {
			t.Logf("events committed %d, delivered before the kill %d, delivered in all %d, duplicates %d, double flights %d",
				committed, before, distinct, dups, overlaps)
			if overlaps != 0 {
				t.Errorf("%d events were in flight twice at once", overlaps)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart %d of %d committed events were delivered", distinct, committed)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestTwoServersNeverDeliverOneEventAtOnce(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	rcv := newHookReceiver(t, 30*time.Millisecond)
	a := startServer(t, dbURL, freeAddr(t), hookEnv...)
	b := startServer(t, dbURL, freeAddr(t), hookEnv...)
	staff, examID := prepare(t, a.url, essayExam(1, 3600, 30))
	rcv.mu.Lock()
	rcv.secret = createHook(t, a.url, staff, rcv.srv.URL, "invitation.created", "attempt.started", "attempt.submitted")
	rcv.mu.Unlock()
	const n = 30
	for i := range n {
		base := a.url
		if i%2 == 1 {
			base = b.url
		}
		c := startCandidate(t, base, staff, examID, i)
		mustCall(t, 200, "POST", base+"/api/v1/candidate/attempt/submit", c.token, nil, nil)
	}
	want := 3 * n
	deadline := time.Now().Add(60 * time.Second)
	for {
		distinct, dups, overlaps := rcv.figures()
		if distinct == want {
			t.Logf("two servers: events %d, delivered %d, duplicates %d, double flights %d", want, distinct, dups, overlaps)
			if overlaps != 0 || dups != 0 {
				t.Errorf("%d double flights and %d duplicates with no lost acknowledgement", overlaps, dups)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events delivered", distinct, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
