package main

import (
	"database/sql"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"examd/internal/pgtest"
)

// SIGTERM while a request is in flight: the server stops accepting new
// connections, finishes the request (its save is acknowledged and stored),
// then exits 0.
func TestSIGTERMFinishesTheRequestInFlight(t *testing.T) {
	dbURL := pgtest.URL(t)
	srv := startServer(t, dbURL, freeAddr(t), "SHUTDOWN_TIMEOUT=20s")
	staff, examID := prepare(t, srv.url, essayExam(2, 600, 0))
	c := startCandidate(t, srv.url, staff, examID, 1)

	// A save whose body arrives in two halves, the second after SIGTERM.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("PUT", srv.url+"/api/v1/candidate/attempt/answers/"+c.questions[0], pr)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		done <- result{status: resp.StatusCode, body: string(b)}
	}()
	if _, err := io.WriteString(pw, `{"response": {"text": "在关机时`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The listener closes at once: a new connection is refused.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get(srv.url + "/healthz"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 5 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if srv.cmd.ProcessState != nil {
		t.Fatal("examd exited with a request in flight")
	}
	if _, err := io.WriteString(pw, `保存"}, "seq": 7}`); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-done
	if r.err != nil || r.status != 200 {
		t.Fatalf("the request in flight at SIGTERM: %d %v %s\n%s", r.status, r.err, r.body, srv.logs())
	}
	waited := make(chan error, 1)
	go func() { waited <- srv.cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("examd exited with %v after SIGTERM:\n%s", err, srv.logs())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("examd did not exit after SIGTERM:\n%s", srv.logs())
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var text string
	var seq int64
	if err := db.QueryRow(`SELECT response->>'text', seq FROM answers WHERE attempt_id = $1 AND question_id = $2`, c.attemptID, c.questions[0]).Scan(&text, &seq); err != nil {
		t.Fatalf("the acknowledged save is not stored: %v", err)
	}
	if text != "在关机时保存" || seq != 7 {
		t.Fatalf("stored %q seq %d", text, seq)
	}
	if !strings.Contains(srv.logs(), "stopped") {
		t.Fatalf("no orderly stop in the log:\n%s", srv.logs())
	}
}

// metricValue finds one sample in a Prometheus text exposition.
func metricValue(t *testing.T, text, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` ([0-9.e+-]+|NaN)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no %s in the metrics:\n%s", series, text)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(b)
}

func TestMetricsOnTheirOwnListener(t *testing.T) {
	dbURL := pgtest.URL(t)
	maddr := freeAddr(t)
	srv := startServer(t, dbURL, freeAddr(t), "METRICS_ADDR="+maddr)
	staff, examID := prepare(t, srv.url, essayExam(3, 600, 0))
	c := startCandidate(t, srv.url, staff, examID, 1)
	for i, q := range c.questions {
		mustCall(t, 200, "PUT", srv.url+"/api/v1/candidate/attempt/answers/"+q, c.token, map[string]any{"response": map[string]string{"text": "答"}, "seq": i + 1}, nil)
	}
	// A malformed seq is 422: counted by status, not as a save.
	mustCall(t, 422, "PUT", srv.url+"/api/v1/candidate/attempt/answers/"+c.questions[0], c.token, map[string]any{"response": map[string]string{"text": "x"}, "seq": 0}, nil)
	mustCall(t, 200, "POST", srv.url+"/api/v1/candidate/attempt/submit", c.token, nil, nil)
	// A short exam left to the sweeper is a timeout submission.
	staff2, shortID := prepare(t, srv.url, essayExam(1, 1, 0))
	startCandidate(t, srv.url, staff2, shortID, 2)
	m := scrape(t, "http://"+maddr+"/metrics")
	save := `route="/api/v1/candidate/attempt/answers/:question_id"`
	if v := metricValue(t, m, `examd_http_requests_total{`+save+`,status="200"}`); v != 3 {
		t.Fatalf("saves answered 200: %v", v)
	}
	if v := metricValue(t, m, `examd_http_requests_total{`+save+`,status="422"}`); v != 1 {
		t.Fatalf("saves answered 422: %v", v)
	}
	if v := metricValue(t, m, `examd_http_request_duration_seconds_count{`+save+`,status="200"}`); v != 3 {
		t.Fatalf("save latencies observed: %v", v)
	}
	if v := metricValue(t, m, "examd_saves_total"); v != 3 {
		t.Fatalf("examd_saves_total %v", v)
	}
	if v := metricValue(t, m, "examd_submits_total"); v != 1 {
		t.Fatalf("examd_submits_total %v", v)
	}
	if v := metricValue(t, m, "examd_review_queue_depth"); v != 3 {
		t.Fatalf("examd_review_queue_depth %v (3 essays submitted)", v)
	}
	if v := metricValue(t, m, `go_sql_max_open_connections{db_name="examd"}`); v < 1 {
		t.Fatalf("pool size %v", v)
	}
	if strings.Contains(m, c.attemptID) || strings.Contains(m, c.questions[0]) {
		t.Fatal("an id became a label")
	}
	deadline := time.Now().Add(20 * time.Second)
	for metricValue(t, scrape(t, "http://"+maddr+"/metrics"), "examd_timeout_submits_total") < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no timeout submission counted:\n%s", srv.logs())
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The public listener has no metrics.
	resp, err := http.Get(srv.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "examd_saves_total") {
		t.Fatal("the public listener serves the metrics")
	}
}
