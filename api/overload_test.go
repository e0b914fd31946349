package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"examd/internal/config"
	"examd/internal/pgtest"
)

// lockedBuffer collects log output written from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the JSON log records written so far.
func (l *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// newShedApp runs the test in parallel on its own app, the real router on a
// fresh database with the given load limits, logging JSON to logs.
func newShedApp(t *testing.T, inFlight, queue int, wait time.Duration, logs io.Writer) *app {
	t.Helper()
	return newShedAppWaits(t, inFlight, queue, wait, wait, logs)
}

// newShedAppWaits is newShedApp with a separate wait under sustained
// overload.
func newShedAppWaits(t *testing.T, inFlight, queue int, wait, overloadWait time.Duration, logs io.Writer) *app {
	t.Helper()
	t.Parallel()
	return newAppTuned(t, pgtest.URL(t), logs, func(cfg *config.Config) {
		cfg.MaxInFlight, cfg.QueueLength, cfg.QueueWait, cfg.QueueOverloadWait = inFlight, queue, wait, overloadWait
	})
}

// shedFixture is a started attempt and a way to make its saves wait in
// PostgreSQL: a save share-locks its attempt row, so a transaction holding
// that row FOR UPDATE (as a submit would, only longer) stalls every save of
// the attempt inside the database, holding its place in flight.
type shedFixture struct {
	a       *app
	token   string
	attempt string
	essay   string
}

func newShedFixture(a *app) *shedFixture {
	a.t.Helper()
	_, _, c, att := a.startedAttempt("shed@acme.test", smallExam(600, 30), "manager")
	f := &shedFixture{a: a, token: c.token, attempt: att.ID, essay: att.question("essay")["id"].(string)}
	f.save(1) // warms the caches: later saves go straight to the upsert
	return f
}

func (f *shedFixture) saveReq(ctx context.Context, seq int) *resp {
	body := fmt.Sprintf(`{"response":{"text":"draft %d"},"seq":%d}`, seq, seq)
	req := httptest.NewRequestWithContext(ctx, "PUT", "/api/v1/candidate/attempt/answers/"+f.essay, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.RemoteAddr = "192.0.2.10:5555"
	rec := httptest.NewRecorder()
	f.a.e.ServeHTTP(rec, req)
	return &resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// save gives up after 15 s, so a test fails rather than hangs when a save
// that should be refused waits behind the lock instead.
func (f *shedFixture) save(seq int) *resp {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return f.saveReq(ctx, seq)
}

// lock holds the attempt row until the returned function is called.
func (f *shedFixture) lock() (release func()) {
	f.a.t.Helper()
	tx := f.a.db.Begin()
	if err := tx.Exec(`SELECT 1 FROM attempts WHERE id = ? FOR UPDATE`, f.attempt).Error; err != nil {
		f.a.t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback() }) }
	f.a.t.Cleanup(release)
	return release
}

// waitBlocked waits until n statements of this database wait for a lock.
func waitBlocked(t *testing.T, db *gorm.DB, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var got int
		if err := db.Raw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d statements wait for the lock, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (f *shedFixture) storedSeq() int64 {
	var seq int64
	if err := f.a.db.Raw(`SELECT seq FROM answers WHERE attempt_id = ? AND question_id = ?`, f.attempt, f.essay).Scan(&seq).Error; err != nil {
		f.a.t.Fatal(err)
	}
	return seq
}

func assertRefused(t *testing.T, what string, r *resp) {
	t.Helper()
	if r.Status != 503 || r.Code() != "unavailable" || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("%s: %d %q Retry-After %q, want 503 unavailable with Retry-After 1: %s", what, r.Status, r.Code(), r.Header.Get("Retry-After"), r.Body)
	}
}

// Past the limit (everything in flight, no queue), a request is refused at
// once with 503 and Retry-After and changes nothing, while the accepted
// ones complete; probes and the web app still answer.
func TestOverloadRefusesPastTheLimit(t *testing.T) {
	logs := &lockedBuffer{}
	a := newShedApp(t, 2, 0, time.Minute, logs)
	f := newShedFixture(a)
	release := f.lock()

	accepted := make(chan *resp, 2)
	for seq := 2; seq <= 3; seq++ {
		go func() { accepted <- f.save(seq) }()
	}
	waitBlocked(t, a.db, 2)

	t0 := time.Now()
	r := f.save(10)
	if took := time.Since(t0); took > 2*time.Second {
		t.Errorf("the refusal took %s; it must not wait", took)
	}
	assertRefused(t, "third save with two in flight", r)
	if got := a.do("GET", "/healthz", nil, ""); got.Status != 200 {
		t.Errorf("/healthz while shedding: %d", got.Status)
	}
	if got := a.do("GET", "/readyz", nil, ""); got.Status != 200 {
		t.Errorf("/readyz while shedding: %d", got.Status)
	}
	if got := a.do("GET", "/take/some-token", nil, ""); got.Status != 200 {
		t.Errorf("the web app while shedding: %d", got.Status)
	}

	release()
	for range 2 {
		if r := <-accepted; r.Status != 200 {
			t.Fatalf("an accepted save: %d %s", r.Status, r.Body)
		}
	}
	if seq := f.storedSeq(); seq != 3 {
		t.Fatalf("stored seq %d, want 3: the refused save (seq 10) must change nothing", seq)
	}
	// Places are given back: the next save is served.
	if r := f.save(11); r.Status != 200 {
		t.Fatalf("a save after the rush: %d %s", r.Status, r.Body)
	}
	// A refusal is an expected answer, in the request log as 503, not an
	// error line.
	refusals := 0
	for _, l := range logs.lines(t) {
		if l["level"] == "ERROR" {
			t.Errorf("logged as an error: %v", l)
		}
		if l["msg"] == "request" && l["status"] == float64(503) {
			refusals++
		}
	}
	if refusals != 1 {
		t.Errorf("%d request lines with status 503, want 1", refusals)
	}
}

// The queue is bounded in length and in wait: with one request in flight
// and room for one to wait, of two more one is refused at once (the queue
// is full) and the other after the wait; a request that waits less than
// the bound is served.
func TestOverloadQueueIsShortAndBounded(t *testing.T) {
	const wait = 1500 * time.Millisecond
	a := newShedApp(t, 1, 1, wait, nil)
	f := newShedFixture(a)
	release := f.lock()
	first := make(chan *resp, 1)
	go func() { first <- f.save(2) }()
	waitBlocked(t, a.db, 1)

	type timed struct {
		r   *resp
		dur time.Duration
	}
	results := make(chan timed, 2)
	for seq := 3; seq <= 4; seq++ {
		go func() {
			t0 := time.Now()
			r := f.save(seq)
			results <- timed{r, time.Since(t0)}
		}()
	}
	var got []timed
	for range 2 {
		got = append(got, <-results)
	}
	sort.Slice(got, func(i, j int) bool { return got[i].dur < got[j].dur })
	for i, g := range got {
		assertRefused(t, fmt.Sprintf("save %d of two past the one in flight", i+1), g.r)
	}
	if got[0].dur >= wait {
		t.Errorf("with the queue full a request waited %s; it must be refused at once", got[0].dur)
	}
	if got[1].dur < wait-50*time.Millisecond {
		t.Errorf("the queued request was refused after %s, before its %s wait", got[1].dur, wait)
	}

	// A request that queues and gets a place within the wait is served.
	queued := make(chan *resp, 1)
	go func() { queued <- f.save(5) }()
	time.Sleep(300 * time.Millisecond)
	release()
	if r := <-first; r.Status != 200 {
		t.Fatalf("the save in flight: %d %s", r.Status, r.Body)
	}
	if r := <-queued; r.Status != 200 {
		t.Fatalf("the queued save: %d %s", r.Status, r.Body)
	}
	if seq := f.storedSeq(); seq != 5 {
		t.Fatalf("stored seq %d, want 5", seq)
	}
}

// A brief stall at a low rate is waited out, even when it lasts far
// longer than the overload wait: requests arriving slower than the server
// serves them queue for up to QUEUE_WAIT, and all are served once the
// stall ends. (A fixed 20 ms queue, as under overload, would have refused
// them.)
func TestOverloadBriefStallIsWaitedOut(t *testing.T) {
	a := newShedAppWaits(t, 1, 8, 10*time.Second, 20*time.Millisecond, nil)
	f := newShedFixture(a)
	release := f.lock()
	results := make(chan *resp, 4)
	go func() { results <- f.save(2) }()
	waitBlocked(t, a.db, 1)
	for seq := 3; seq <= 5; seq++ {
		go func() { results <- f.save(seq) }()
	}
	time.Sleep(600 * time.Millisecond)
	release()
	for range 4 {
		if r := <-results; r.Status != 200 {
			t.Fatalf("a save during a 600 ms stall: %d %s", r.Status, r.Body)
		}
	}
	if seq := f.storedSeq(); seq < 3 || seq > 5 {
		t.Fatalf("stored seq %d, want one of the queued saves (3 to 5)", seq)
	}
}

// Sustained overload is refused at once rather than queued: with every
// place stalled and saves arriving far faster than one place serves them,
// a queue long enough for all of them (1,000, each allowed 10 s) stops
// taking them once their expected wait passes the budget (the 20 ms one
// as soon as the overload is recognised), refusing the rest within
// moments; those it took are all served when the stall ends. (A fixed
// queue of that length and wait took every one, and refused hundreds only
// after 10 s.) Which budget applies when is tested on a fake clock in
// shedpolicy_test.go.
func TestOverloadSustainedArrivalsAreRefusedAtOnce(t *testing.T) {
	const total = 1000
	a := newShedAppWaits(t, 1, total, 10*time.Second, 20*time.Millisecond, nil)
	f := newShedFixture(a)
	for seq := 2; seq <= 6; seq++ { // a few measured saves: the service time
		if r := f.save(seq); r.Status != 200 {
			t.Fatalf("warm-up save: %d %s", r.Status, r.Body)
		}
	}
	release := f.lock()
	first := make(chan *resp, 1)
	go func() { first <- f.save(10) }()
	waitBlocked(t, a.db, 1)

	type timed struct {
		seq int
		r   *resp
		dur time.Duration
	}
	results := make(chan timed, total)
	// 50 saves every 20 ms for 400 ms: 2,500 a second.
	for burst := range total / 50 {
		for k := range 50 {
			seq := 11 + burst*50 + k
			go func() {
				t0 := time.Now()
				r := f.save(seq)
				results <- timed{seq, r, time.Since(t0)}
			}()
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Those refused answer while the stall still holds.
	time.Sleep(300 * time.Millisecond)
	release()
	if r := <-first; r.Status != 200 {
		t.Fatalf("the stalled save: %d %s", r.Status, r.Body)
	}
	refused, served, slow := 0, 0, 0
	newest := 0
	for range total {
		g := <-results
		switch g.r.Status {
		case 503:
			assertRefused(t, "a save past the overload budget", g.r)
			refused++
			if g.dur > time.Second {
				slow++
			}
		case 200:
			served++
			newest = max(newest, g.seq)
		default:
			t.Fatalf("a save: %d %s", g.r.Status, g.r.Body)
		}
	}
	if refused < total/3 {
		t.Fatalf("%d of %d refused under sustained overload, %d queued and served; want most refused at once", refused, total, served)
	}
	if slow > 0 {
		t.Errorf("%d refusals took over a second; under overload they must be answered at once", slow)
	}
	if seq := f.storedSeq(); served > 0 && int(seq) != newest {
		t.Fatalf("stored seq %d, want the newest served save's %d", seq, newest)
	}
}

// A request whose client goes away is dropped quietly: the request line
// says 499, and nothing is logged as an error or a 500 — whether the
// client left while its statement ran or while it waited in the queue.
func TestCancelledRequestIsNotLoggedAs500(t *testing.T) {
	logs := &lockedBuffer{}
	a := newShedApp(t, 1, 1, time.Minute, logs)
	f := newShedFixture(a)
	release := f.lock()

	// In the database.
	ctx1, cancel1 := context.WithCancel(context.Background())
	done1 := make(chan *resp, 1)
	go func() { done1 <- f.saveReq(ctx1, 2) }()
	waitBlocked(t, a.db, 1)
	// In the queue, behind it.
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := make(chan *resp, 1)
	go func() { done2 <- f.saveReq(ctx2, 3) }()
	time.Sleep(200 * time.Millisecond)
	cancel2()
	<-done2
	cancel1()
	<-done1
	release()
	if r := f.save(4); r.Status != 200 {
		t.Fatalf("a save after the cancelled ones: %d %s", r.Status, r.Body)
	}

	var closed, ok int
	for _, l := range logs.lines(t) {
		if l["level"] == "ERROR" {
			t.Errorf("logged as an error: %v", l)
		}
		if l["msg"] != "request" || l["method"] != "PUT" {
			continue
		}
		switch l["status"] {
		case float64(499):
			closed++
			if e, _ := l["error"].(string); !strings.Contains(e, "context canceled") {
				t.Errorf("a 499 line should say why: %v", l)
			}
		case float64(200):
			ok++
		default:
			t.Errorf("a save logged with status %v: %v", l["status"], l)
		}
	}
	if closed != 2 || ok != 2 {
		t.Fatalf("request lines: %d with 499, %d with 200; want 2 and 2", closed, ok)
	}
	if seq := f.storedSeq(); seq != 4 {
		t.Fatalf("stored seq %d, want 4", seq)
	}
}

// Logins hash a password (argon2id) and have a lane of their own: with
// every place of the main lane taken by stalled saves, staff still log in
// and sign up, so a flood of one kind cannot starve the other.
func TestLoginsDoNotTakeThePlacesOfSaves(t *testing.T) {
	a := newShedApp(t, 1, 0, time.Minute, nil)
	f := newShedFixture(a)
	release := f.lock()
	defer release()
	stalled := make(chan *resp, 1)
	go func() { stalled <- f.save(2) }()
	waitBlocked(t, a.db, 1)
	assertRefused(t, "a save with the main lane full", f.save(3))

	a.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": "shed@acme.test", "password": "correct horse battery"}, "")
	a.signup("Other", "other@other.test")

	release()
	if r := <-stalled; r.Status != 200 {
		t.Fatalf("the stalled save: %d %s", r.Status, r.Body)
	}
}
