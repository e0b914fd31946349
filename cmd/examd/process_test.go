package main

// Tests that run the real examd binary: a crash mid-stream of saves loses
// no acknowledged answer, and the timeout sweeper submits each attempt
// exactly once with two servers on one database, also after a restart that
// missed the deadline.

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"examd/internal/pgtest"
)

var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		// Every test here runs the binary on PostgreSQL; -short skips them
		// (through pgtest.URL), so there is nothing to build.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "examd-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "examd")
	out, err := exec.Command("go", "build", "-race", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building examd: %v\n%s", err, out)
		os.Exit(1)
	}
	pgtest.Main(m)
}

// server is one running examd serve.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	addr string
	mu   sync.Mutex
	log  bytes.Buffer
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startServer(t *testing.T, dbURL, addr string, extraEnv ...string) *server {
	t.Helper()
	s := &server{t: t, addr: addr, url: "http://" + addr}
	s.cmd = exec.Command(binary, "serve")
	s.cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "JWT_SECRET=process-test-secret-process-test-secret",
		"ADDR="+addr, "PUBLIC_URL="+s.url)
	s.cmd.Env = append(s.cmd.Env, extraEnv...)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.log.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := http.Get(s.url + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("examd did not become ready:\n%s", s.logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

func (s *server) kill() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
		s.cmd.Wait()
	}
}

// call sends JSON and decodes JSON; it returns the status (0 when the
// connection failed).
func call(method, url, token string, body, out any) int {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		json.Unmarshal(b, out)
	}
	return resp.StatusCode
}

func mustCall(t *testing.T, want int, method, url, token string, body, out any) {
	t.Helper()
	var raw json.RawMessage
	got := call(method, url, token, body, &raw)
	if got != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, url, got, want, raw)
	}
	if out != nil {
		json.Unmarshal(raw, out)
	}
}

func essayExam(n, limit, grace int) map[string]any {
	qs := make([]any, n)
	for i := range qs {
		qs[i] = map[string]any{"type": "essay", "prompt": fmt.Sprintf("题 %d", i+1), "points": 5}
	}
	return map[string]any{"title": "Essays", "time_limit_seconds": limit, "grace_seconds": grace, "pass_score": 1,
		"sections": []any{map[string]any{"title": "论述", "questions": qs}}}
}

// prepare signs up, publishes doc and returns the staff token and exam id.
func prepare(t *testing.T, base string, doc any) (string, string) {
	var s struct {
		AccessToken string `json:"access_token"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/signup", "", map[string]string{"organization": "P", "name": "P",
		"email": fmt.Sprintf("p%d@p.test", time.Now().UnixNano()), "password": "correct horse battery"}, &s)
	var e struct {
		ID string `json:"id"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/exams", s.AccessToken, doc, &e)
	mustCall(t, 201, "POST", base+"/api/v1/exams/"+e.ID+"/publish", s.AccessToken, nil, nil)
	return s.AccessToken, e.ID
}

type started struct {
	token     string
	attemptID string
	questions []string
}

func startCandidate(t *testing.T, base, staff, examID string, i int) started {
	var inv struct {
		Token string `json:"token"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/exams/"+examID+"/invitations", staff,
		map[string]string{"candidate_name": fmt.Sprintf("C%d", i), "candidate_email": fmt.Sprintf("c%d@c.test", i)}, &inv)
	var ses struct {
		AccessToken string `json:"access_token"`
	}
	mustCall(t, 200, "POST", base+"/api/v1/candidate/sessions", "", map[string]string{"token": inv.Token}, &ses)
	var att struct {
		ID       string `json:"id"`
		Sections []struct {
			Questions []struct {
				ID string `json:"id"`
			} `json:"questions"`
		} `json:"sections"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/candidate/attempt", ses.AccessToken, nil, &att)
	st := started{token: ses.AccessToken, attemptID: att.ID}
	for _, s := range att.Sections {
		for _, q := range s.Questions {
			st.questions = append(st.questions, q.ID)
		}
	}
	return st
}

// A stream of saves, examd killed with SIGKILL in the middle, restarted:
// every save answered 200 is in the database.
func TestCrashLosesNoAcknowledgedSave(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	addr := freeAddr(t)
	srv := startServer(t, dbURL, addr)
	staff, examID := prepare(t, srv.url, essayExam(40, 3600, 30))
	c := startCandidate(t, srv.url, staff, examID, 1)

	type ack struct {
		seq  int64
		text string
	}
	// Four clients save concurrently, each to its own ten questions, so that
	// several saves are in flight when the process dies.
	var mu sync.Mutex
	acked := map[string]ack{} // highest acknowledged save per question
	ackCount, killedAt := 0, 0
	killed := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(mine []string) {
			defer wg.Done()
			for seq := int64(1); ; seq++ {
				for qi, q := range mine {
					text := fmt.Sprintf("answer %d to %d — 答案", seq, qi)
					var res struct {
						Seq int64 `json:"seq"`
					}
					status := call("PUT", srv.url+"/api/v1/candidate/attempt/answers/"+q, c.token,
						map[string]any{"response": map[string]string{"text": text}, "seq": seq}, &res)
					switch status {
					case 200:
						if res.Seq != seq {
							t.Errorf("ack of seq %d said %d", seq, res.Seq)
							return
						}
						mu.Lock()
						acked[q] = ack{seq, text}
						ackCount++
						if ackCount == 300 {
							killedAt = ackCount
							once.Do(func() { srv.cmd.Process.Signal(syscall.SIGKILL); close(killed) })
						}
						mu.Unlock()
					case 0:
						select {
						case <-killed:
							return // the server is gone: stop this client
						default:
							t.Errorf("connection failed before the kill")
							return
						}
					default:
						t.Errorf("save answered %d", status)
						return
					}
				}
			}
		}(c.questions[w*10 : w*10+10])
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	srv.cmd.Wait()
	srv2 := startServer(t, dbURL, addr)
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT question_id, seq, response->>'text' FROM answers WHERE attempt_id = $1`, c.attemptID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]ack{}
	for rows.Next() {
		var q string
		var a ack
		rows.Scan(&q, &a.seq, &a.text)
		stored[q] = a
	}
	for q, a := range acked {
		s, ok := stored[q]
		if !ok || s.seq < a.seq {
			t.Fatalf("acknowledged save %s seq %d lost: stored %+v", q, a.seq, s)
		}
		if s.seq == a.seq && s.text != a.text {
			t.Fatalf("stored text %q, acknowledged %q", s.text, a.text)
		}
	}
	t.Logf("crash test: %d saves acknowledged (%d before the kill signal), all %d questions' latest acknowledged saves found after restart",
		ackCount, killedAt, len(acked))
	// The candidate resumes on the restarted server with the same answers.
	var att struct {
		Responses map[string]struct {
			Seq int64 `json:"seq"`
		} `json:"responses"`
	}
	mustCall(t, 200, "GET", srv2.url+"/api/v1/candidate/attempt", c.token, nil, &att)
	for q, a := range acked {
		if att.Responses[q].Seq < a.seq {
			t.Fatalf("resume shows seq %d for %s, acknowledged %d", att.Responses[q].Seq, q, a.seq)
		}
	}
}

var sweptRe = regexp.MustCompile(`"msg":"submitted attempts at their deadline","count":(\d+)`)

func sweptCount(logs string) int {
	n := 0
	for _, m := range sweptRe.FindAllStringSubmatch(logs, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}

// Two servers sweep one database: each overdue attempt is submitted once,
// within 15 s of deadline + grace. Then a server that was down at the
// deadline submits the attempt right after it restarts.
func TestSweeperSubmitsOnceAcrossServers(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	a := startServer(t, dbURL, freeAddr(t))
	b := startServer(t, dbURL, freeAddr(t))
	staff, examID := prepare(t, a.url, essayExam(2, 2, 0))
	const n = 6
	var cands []started
	for i := 0; i < n; i++ {
		c := startCandidate(t, a.url, staff, examID, i)
		mustCall(t, 200, "PUT", b.url+"/api/v1/candidate/attempt/answers/"+c.questions[0], c.token,
			map[string]any{"response": map[string]string{"text": "saved before the deadline"}, "seq": 1}, nil)
		cands = append(cands, c)
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitSubmitted := func(want int, limit time.Duration) float64 {
		t.Helper()
		deadline := time.Now().Add(limit)
		for {
			var done int
			var worst sql.NullFloat64
			db.QueryRow(`SELECT count(*), max(extract(epoch FROM submitted_at - submit_by)) FROM attempts WHERE submitted_by = 'timeout'`).Scan(&done, &worst)
			if done == want {
				return worst.Float64
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d attempts submitted after %v\nA:\n%s\nB:\n%s", done, want, limit, a.logs(), b.logs())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	worst := waitSubmitted(n, 20*time.Second)
	if worst > 15 {
		t.Fatalf("slowest timeout submission %.1f s after deadline + grace", worst)
	}
	time.Sleep(4 * time.Second) // give both sweepers more passes
	if got := sweptCount(a.logs()) + sweptCount(b.logs()); got != n {
		t.Fatalf("servers report %d timeout submissions, want %d", got, n)
	}
	var items int
	db.QueryRow(`SELECT count(*) FROM review_items`).Scan(&items)
	if items != n {
		t.Fatalf("%d review items, want %d (one essay answered per attempt)", items, n)
	}
	t.Logf("sweeper: %d attempts submitted once each by two servers; slowest %.2f s after deadline + grace (A %d, B %d)",
		n, worst, sweptCount(a.logs()), sweptCount(b.logs()))

	// Restart: both servers down across the deadline, one comes back.
	c := startCandidate(t, a.url, staff, examID, 99)
	a.kill()
	b.kill()
	time.Sleep(3 * time.Second)
	restartAt := time.Now()
	startServer(t, dbURL, freeAddr(t))
	waitSubmitted(n+1, 15*time.Second)
	var status string
	db.QueryRow(`SELECT status FROM attempts WHERE id = $1`, c.attemptID).Scan(&status)
	if status != "graded" { // nothing was answered: empty essays score 0 at once
		t.Fatalf("attempt after restart: %s", status)
	}
	t.Logf("after restart: submitted %.2f s after the server came back", time.Since(restartAt).Seconds())
	_ = strings.TrimSpace
}
