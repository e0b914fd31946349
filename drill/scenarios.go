package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// longExam is the time limit of the exams that must not time out.
const longExam = 3 * 3600

// primary is the cluster and examd that scenarios 1, 2, 4, 5 and 6 share.
func (d *drill) primary() (*cluster, *server, error) {
	if d.mainSrv != nil {
		return d.main, d.mainSrv, nil
	}
	c, err := d.newCluster("main")
	if err != nil {
		return nil, nil, err
	}
	d.clusters = append(d.clusters, c)
	s, err := d.newServer("examd-main", c.url())
	if err != nil {
		return nil, nil, err
	}
	d.main, d.mainSrv = c, s
	return c, s, nil
}

// readyz polls /readyz every 100 ms and counts what it answers.
type readyz struct {
	ok, unavailable, other, hangs atomic.Int64
	stop                          chan struct{}
	done                          chan struct{}
}

func pollReadyz(base string) *readyz {
	r := &readyz{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			select {
			case <-r.stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			t := time.Now()
			st, _ := readyzOnce(base)
			if time.Since(t) > hangAfter {
				r.hangs.Add(1)
			}
			switch st {
			case 200:
				r.ok.Add(1)
			case 503:
				r.unavailable.Add(1)
			case 0:
			default:
				r.other.Add(1)
			}
		}
	}()
	return r
}

func (r *readyz) halt() { close(r.stop); <-r.done }

func readyzOnce(base string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	return call(ctx, base, "GET", "/readyz", "", nil, nil)
}

// waitReady waits for /readyz to answer 200 and returns how long it took.
func waitReady(base string, within time.Duration) (time.Duration, error) {
	t := time.Now()
	for time.Since(t) < within {
		if st, _ := readyzOnce(base); st == 200 {
			return time.Since(t), nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return 0, fmt.Errorf("readyz not 200 within %s", within)
}

func sleepRandom(r *rand.Rand, lo, hi time.Duration) {
	time.Sleep(lo + time.Duration(r.Int64N(int64(hi-lo))))
}

// loadPrimary starts the candidates of a new organization autosaving
// through the shared examd.
func (d *drill) loadPrimary(ctx context.Context) (*cluster, *server, *org, *fleet, error) {
	c, s, err := d.primary()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	o, err := setupOrg(ctx, s.base(), []string{s.base()}, d.sz.Candidates, longExam)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	f := newFleet(o, d.sz.Pace)
	f.start()
	return c, s, o, f, nil
}

// 1. examd SIGKILLed and restarted at random moments under the load.
func (d *drill) restarts(ctx context.Context) error {
	c, s, o, f, err := d.loadPrimary(ctx)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	var down time.Duration
	for range d.sz.Kills {
		sleepRandom(r, 300*time.Millisecond, 2500*time.Millisecond)
		t := time.Now()
		s.kill()
		if err := s.start(); err != nil {
			f.halt()
			return err
		}
		down += time.Since(t)
	}
	time.Sleep(time.Second)
	f.halt()
	n, ex, err := lost(ctx, c.url(), f.snapshot())
	if err != nil {
		return err
	}
	d.add(Scenario{Name: "1. examd SIGKILLed and restarted", Acknowledged: f.t.acked.Load(), Lost: n, Errors: f.t.errors(),
		Met: n == 0 && f.t.acked.Load() > 0 && f.t.server5xx.Load() == 0,
		Notes: fmt.Sprintf("%d candidates autosaving (seq-guarded PUT) while examd was SIGKILLed and started again %d times, 0.3–2.5 s apart; down %.1f s in all (until it listened again). %s. "+
			"Checked in SQL afterwards: every acknowledged save's answer row holds that seq (or a later one) with its response; %d acknowledged (attempt, question) answers checked, %d missing. %s",
			len(o.cands), d.sz.Kills, down.Seconds(), f.t.String(), len(f.snapshot()), n, strings.Join(ex, "; "))})
	return nil
}

// 2. PostgreSQL restarted (fast and immediate) under the load.
func (d *drill) pgRestarts(ctx context.Context) error {
	c, s, o, f, err := d.loadPrimary(ctx)
	if err != nil {
		return err
	}
	rz := pollReadyz(s.base())
	held, held503 := 0, 0
	var worst time.Duration
	var log []string
	for i := range 2 * d.sz.PGRestarts {
		time.Sleep(d.sz.Settle / 2)
		mode := "fast"
		if i >= d.sz.PGRestarts {
			mode = "immediate"
		}
		if i%2 == 0 {
			err = d.pgctl(c, "-m", mode, "restart")
		} else {
			// The same restart with the outage held open 2 s, so that
			// readyz and the clients are seen answering 503.
			held++
			if err = d.pgctl(c, "-m", mode, "stop"); err == nil {
				time.Sleep(time.Second)
				if st, _ := readyzOnce(s.base()); st == 503 {
					held503++
				}
				time.Sleep(time.Second)
				err = d.startCluster(c) // pg.sh: the same port and options again
			}
		}
		if err != nil {
			f.halt()
			rz.halt()
			return err
		}
		w, err := waitReady(s.base(), 30*time.Second)
		if err != nil {
			f.halt()
			rz.halt()
			return fmt.Errorf("after pg_ctl -m %s: examd did not reconnect: %w", mode, err)
		}
		worst = max(worst, w)
		log = append(log, fmt.Sprintf("%s%s: ready again %.1f s after PostgreSQL was", mode, map[bool]string{true: " (held 2 s)", false: ""}[i%2 == 1], w.Seconds()))
	}
	time.Sleep(time.Second)
	f.halt()
	rz.halt()
	n, ex, err := lost(ctx, c.url(), f.snapshot())
	if err != nil {
		return err
	}
	bad := f.t.server5xx.Load() + f.t.hangs.Load() + rz.other.Load() + rz.hangs.Load()
	d.add(Scenario{Name: "2. PostgreSQL restarted (fast, immediate)", Acknowledged: f.t.acked.Load(), Lost: n, Errors: f.t.errors(),
		Met: n == 0 && bad == 0 && held503 == held && f.t.acked.Load() > 0 && f.t.other4xx.Load() == 0,
		Notes: fmt.Sprintf("%d candidates autosaving through one examd while PostgreSQL was restarted %d times with `pg_ctl restart -m fast` and %d with `-m immediate` "+
			"(every other one as stop, 2 s down, start). examd reconnected by itself every time (worst %.1f s after PostgreSQL was back): %s. "+
			"readyz polled every 100 ms: %d × 200, %d × 503, %d × other, %d hangs; in the %d held outages readyz answered 503 %d times. "+
			"Clients: %s. 500s (or any 5xx but 503): %d; hangs: %d. %d acknowledged answers checked in SQL, %d missing. %s",
			len(o.cands), d.sz.PGRestarts, d.sz.PGRestarts, worst.Seconds(), strings.Join(log, "; "),
			rz.ok.Load(), rz.unavailable.Load(), rz.other.Load(), rz.hangs.Load(), held, held503,
			f.t.String(), f.t.server5xx.Load(), f.t.hangs.Load(), len(f.snapshot()), n, strings.Join(ex, "; "))})
	return nil
}

// 3. Failover to a synchronous streaming standby.
func (d *drill) failover(ctx context.Context) error {
	p, err := d.newCluster("failover-primary")
	if err != nil {
		return err
	}
	d.clusters = append(d.clusters, p)
	sb := &cluster{name: "failover-standby", dir: filepath.Join(d.work, "failover-standby"), port: freePort()}
	if err := pgOwned(sb.dir, 0o700); err != nil {
		return err
	}
	if err := run(asPG(filepath.Join(d.pgbin, "pg_basebackup"), "-h", "127.0.0.1", "-p", strconv.Itoa(p.port), "-U", "postgres",
		"-D", sb.dir, "-R", "-X", "stream", "-c", "fast")); err != nil {
		return err
	}
	if err := d.startCluster(sb); err != nil {
		return err
	}
	d.clusters = append(d.clusters, sb)
	if _, err := d.psql(p, "ALTER SYSTEM SET synchronous_standby_names = '*'"); err != nil {
		return err
	}
	if _, err := d.psql(p, "ALTER SYSTEM SET synchronous_commit = on"); err != nil {
		return err
	}
	if _, err := d.psql(p, "SELECT pg_reload_conf()"); err != nil {
		return err
	}
	state := ""
	for range 100 {
		if state, _ = d.psql(p, "SELECT sync_state FROM pg_stat_replication"); state == "sync" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if state != "sync" {
		return fmt.Errorf("standby not synchronous (sync_state %q)", state)
	}
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d/examd?sslmode=disable&target_session_attrs=read-write&connect_timeout=3", p.port, sb.port)
	s, err := d.newServer("examd-failover", url)
	if err != nil {
		return err
	}
	o, err := setupOrg(ctx, s.base(), []string{s.base()}, d.sz.Candidates, longExam)
	if err != nil {
		return err
	}
	f := newFleet(o, d.sz.Pace)
	f.start()
	time.Sleep(d.sz.Settle)
	pid, err := p.pid()
	if err != nil {
		f.halt()
		return err
	}
	beforeKill := f.t.acked.Load()
	if err := run(asPG("kill", "-KILL", strconv.Itoa(pid))); err != nil {
		f.halt()
		return err
	}
	killed := time.Now()
	time.Sleep(time.Second) // the standby alone: read-only, so examd answers 503
	st, _ := readyzOnce(s.base())
	if err := d.pgctl(sb, "promote"); err != nil {
		f.halt()
		return err
	}
	w, err := waitReady(s.base(), 30*time.Second)
	if err != nil {
		f.halt()
		return fmt.Errorf("examd did not continue on the promoted standby: %w", err)
	}
	back := time.Since(killed)
	afterPromote := f.t.acked.Load()
	time.Sleep(d.sz.Settle)
	f.halt()
	n, ex, err := lost(ctx, sb.url(), f.snapshot())
	if err != nil {
		return err
	}
	d.add(Scenario{Name: "3. failover to a synchronous standby", Acknowledged: f.t.acked.Load(), Lost: n, Errors: f.t.errors(),
		Met: n == 0 && st == 503 && f.t.acked.Load() > afterPromote && f.t.server5xx.Load() == 0,
		Notes: fmt.Sprintf("Primary and a streaming standby (pg_basebackup -R), synchronous_standby_names = '*', synchronous_commit = on (sync_state %s); "+
			"DATABASE_URL lists both hosts with target_session_attrs=read-write. %d candidates autosaving; %d saves acknowledged when the primary's postmaster was SIGKILLed. "+
			"With only the read-only standby left readyz answered %d; the standby was promoted 1 s after the kill (pg_ctl promote) and examd served again %.1f s after the kill "+
			"(%.1f s after the promotion), on the new primary with no restart of its own; %d saves acknowledged after that. Clients: %s. "+
			"Checked on the promoted standby: %d acknowledged answers, %d missing. %s "+
			"With an asynchronous standby a commit is acknowledged once it is on the primary's disk, before the standby has it: the saves acknowledged within the replication lag before the kill "+
			"(usually milliseconds of WAL, more under load or a slow link) would be missing after the promotion and counted here as lost; synchronous replication trades that for a round trip to the standby on every commit, and a primary whose standby is down stops acknowledging writes.",
			state, len(o.cands), beforeKill, st, back.Seconds(), w.Seconds(), f.t.acked.Load()-afterPromote, f.t.String(), len(f.snapshot()), n, strings.Join(ex, "; "))})
	return nil
}

// 4. Two examd serve behind pgbouncer in transaction pooling mode.
func (d *drill) pooler(ctx context.Context) error {
	c, _, err := d.primary()
	if err != nil {
		return err
	}
	b, err := d.startBouncer(ctx, c)
	if err != nil {
		return err
	}
	// Migrations take a session advisory lock, which a transaction pooler
	// cannot keep: they go to PostgreSQL directly, the servers only check.
	if err := d.migrate(c.url()); err != nil {
		return err
	}
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/examd?sslmode=disable&default_query_exec_mode=cache_describe", b.port)
	s1, err := d.newServer("examd-pooled-1", url, "MIGRATE=false")
	if err != nil {
		return err
	}
	s2, err := d.newServer("examd-pooled-2", url, "MIGRATE=false")
	if err != nil {
		return err
	}
	bases := []string{s1.base(), s2.base()}
	o, err := setupOrg(ctx, s1.base(), bases, d.sz.Candidates, longExam)
	if err != nil {
		return err
	}
	f := newFleet(o, d.sz.Pace)
	f.start()
	hold := 20 * time.Second
	if d.smoke {
		hold = 3 * time.Second
	}
	time.Sleep(hold)
	f.halt()
	n, ex, err := lost(ctx, c.url(), f.snapshot())
	if err != nil {
		return err
	}
	// The rest of the core flow: every candidate submits, the essays are
	// reviewed through both servers, results read back.
	var flowErr []string
	for _, cd := range o.cands {
		if _, err := call(ctx, cd.base, "POST", "/api/v1/candidate/attempt/submit", cd.access, nil, nil); err != nil {
			flowErr = append(flowErr, err.Error())
		}
	}
	reviewed := 0
	for i := 0; i < 10*len(o.cands) && len(flowErr) == 0; i++ {
		var item struct {
			ID string `json:"id"`
		}
		st, err := call(ctx, bases[i%2], "POST", "/api/v1/reviews/claim", o.admin, map[string]string{"exam_id": o.examID}, &item)
		if err != nil {
			flowErr = append(flowErr, err.Error())
			break
		}
		if st == 204 {
			break
		}
		if _, err := call(ctx, bases[(i+1)%2], "POST", "/api/v1/reviews/"+item.ID+"/score", o.admin, map[string]any{"points": 3, "comment": "演练"}, nil); err != nil {
			flowErr = append(flowErr, err.Error())
			break
		}
		reviewed++
	}
	var res struct {
		Items []struct {
			Status string   `json:"status"`
			Score  *float64 `json:"score"`
		} `json:"items"`
	}
	graded := 0
	if _, err := call(ctx, s2.base(), "GET", "/api/v1/exams/"+o.examID+"/results", o.admin, nil, &res); err != nil {
		flowErr = append(flowErr, err.Error())
	}
	for _, it := range res.Items {
		if it.Status == "graded" && it.Score != nil {
			graded++
		}
	}
	d.add(Scenario{Name: "4. two examd behind pgbouncer (transaction pooling)", Acknowledged: f.t.acked.Load(), Lost: n, Errors: f.t.errors() + int64(len(flowErr)),
		Met: n == 0 && f.t.errors() == 0 && len(flowErr) == 0 && graded == len(o.cands),
		Notes: fmt.Sprintf("%s, pool_mode = transaction, default_pool_size 20, in front of the same PostgreSQL; two `examd serve` with MIGRATE=false on "+
			"DATABASE_URL …/examd?default_query_exec_mode=cache_describe (this pgbouncer keeps no prepared statements across transactions — that needs 1.21's max_prepared_statements — "+
			"so pgx must not use its default named, cached prepared statements; cache_describe sends every query as an unnamed statement in one round trip). "+
			"`examd migrate` ran against PostgreSQL directly: goose's migration lock is a session advisory lock, which a transaction pooler would leave on whichever server connection took it. "+
			"examd's other advisory locks (refresh-token families, review claims) are pg_advisory_xact_lock, released at commit, so they are safe behind the pooler. "+
			"%d candidates split over the two servers autosaved for %s: %s; %d acknowledged answers checked in SQL, %d missing. %s "+
			"Then the core flow through the pooler: %d submits, %d essays claimed and scored (claim on one server, score on the other), %d of %d attempts graded in the results. %s",
			pgbouncerVersion(), len(o.cands), hold, f.t.String(), len(f.snapshot()), n, strings.Join(ex, "; "),
			len(o.cands), reviewed, graded, len(o.cands), strings.Join(flowErr, "; "))})
	return nil
}

// 5. Deadlines that fall while every examd is down.
func (d *drill) deadlines(ctx context.Context) error {
	c, s1, err := d.primary()
	if err != nil {
		return err
	}
	s2, err := d.newServer("examd-main-2", c.url())
	if err != nil {
		return err
	}
	o, err := setupOrg(ctx, s1.base(), []string{s1.base(), s2.base()}, d.sz.Deadlines, d.sz.LimitSeconds)
	if err != nil {
		return err
	}
	f := newFleet(o, d.sz.Pace)
	f.start()
	time.Sleep(time.Second)
	s1.kill()
	s2.kill()
	downAt := time.Now()
	f.halt()
	q := fmt.Sprintf("FROM attempts WHERE exam_id = '%s'", o.examID)
	last, err := d.psql(c, "SELECT extract(epoch FROM max(submit_by)) "+q)
	if err != nil {
		return err
	}
	due, _ := strconv.ParseFloat(last, 64)
	pending, err := d.psql(c, "SELECT count(*) "+q+" AND status = 'in_progress' AND submit_by > now()")
	if err != nil {
		return err
	}
	if pending != strconv.Itoa(len(o.cands)) {
		return fmt.Errorf("only %s of %d attempts were still open when examd went down: the machine is too slow for a %d s time limit", pending, len(o.cands), d.sz.LimitSeconds)
	}
	time.Sleep(time.Until(time.UnixMicro(int64(due*1e6))) + time.Second)
	down := time.Since(downAt)
	t0 := time.Now()
	if err := s1.start(); err != nil {
		return err
	}
	if err := s2.start(); err != nil {
		return err
	}
	var took time.Duration
	for time.Since(t0) < 60*time.Second {
		open, err := d.psql(c, "SELECT count(*) "+q+" AND status = 'in_progress'")
		if err == nil && open == "0" {
			took = time.Since(t0)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	timeouts, err := d.psql(c, "SELECT count(*) "+q+" AND submitted_by = 'timeout'")
	if err != nil {
		return err
	}
	events, err := d.psql(c, "SELECT count(*) FROM outbox_events WHERE type = 'attempt.submitted' AND (data->>'attempt_id')::uuid IN (SELECT id "+q+")")
	if err != nil {
		return err
	}
	n, ex, err := lost(ctx, c.url(), f.snapshot())
	if err != nil {
		return err
	}
	want := strconv.Itoa(len(o.cands))
	met := took > 0 && took <= 15*time.Second && timeouts == want && events == want && n == 0
	d.add(Scenario{Name: "5. deadlines falling while every examd is down", Acknowledged: f.t.acked.Load(), Lost: n, Errors: f.t.transport.Load() + f.t.server5xx.Load(),
		Met: met,
		Notes: fmt.Sprintf("%d attempts with a %d s limit and no grace, started through two examd on one database, autosaving; both servers SIGKILLed before any deadline and kept down %.1f s, until 1 s after the last deadline. "+
			"After the first restart every attempt was submitted as a timeout in %.1f s (limit 15 s): %s of %d submitted_by = timeout, %s attempt.submitted events (once each: %s). "+
			"Clients while the servers went down: %s. %d acknowledged answers checked in SQL, %d missing. %s",
			len(o.cands), d.sz.LimitSeconds, down.Seconds(), took.Seconds(), timeouts, len(o.cands), events, map[bool]string{true: "yes", false: "no"}[events == want],
			f.t.String(), len(f.snapshot()), n, strings.Join(ex, "; "))})
	return nil
}

// 6. pg_dump under load, pg_restore into a fresh cluster, same results.
func (d *drill) backup(ctx context.Context) error {
	c, s, err := d.primary()
	if err != nil {
		return err
	}
	if _, err := waitReady(s.base(), 30*time.Second); err != nil {
		return err
	}
	o, err := setupOrg(ctx, s.base(), []string{s.base()}, d.sz.Candidates, longExam)
	if err != nil {
		return err
	}
	half := len(o.cands) / 2
	for i, cd := range o.cands[:half] {
		_, _ = call(ctx, cd.base, "PUT", "/api/v1/candidate/attempt/answers/"+o.questions[i%3], cd.access, map[string]any{"response": response(i%3, int64(i)), "seq": 1}, nil)
		if _, err := call(ctx, cd.base, "POST", "/api/v1/candidate/attempt/submit", cd.access, nil, nil); err != nil {
			return err
		}
	}
	live := &org{questions: o.questions, cands: o.cands[half:]}
	f := newFleet(live, d.sz.Pace)
	f.start()
	time.Sleep(d.sz.Settle)
	acks := f.snapshot()
	dump := filepath.Join(d.work, "examd.dump")
	t := time.Now()
	err = run(exec.Command(filepath.Join(d.pgbin, "pg_dump"), "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres", "-Fc", "-f", dump, "examd"))
	dumped := time.Since(t)
	time.Sleep(time.Second)
	f.halt()
	if err != nil {
		return err
	}
	r, err := d.newCluster("restored")
	if err != nil {
		return err
	}
	d.clusters = append(d.clusters, r)
	t = time.Now()
	if err := run(exec.Command(filepath.Join(d.pgbin, "pg_restore"), "-h", "127.0.0.1", "-p", strconv.Itoa(r.port), "-U", "postgres", "-d", "examd", "--no-owner", "--exit-on-error", dump)); err != nil {
		return err
	}
	restored := time.Since(t)
	rs, err := d.newServer("examd-restored", r.url())
	if err != nil {
		return err
	}
	var diffs []string
	paths := []string{"/api/v1/exams/" + o.examID + "/results", "/api/v1/attempts/" + o.cands[0].attempt}
	for _, p := range paths {
		var a, b any
		_, err1 := call(ctx, s.base(), "GET", p, o.admin, nil, &a)
		_, err2 := call(ctx, rs.base(), "GET", p, o.admin, nil, &b)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if err1 != nil || err2 != nil || string(ja) != string(jb) {
			diffs = append(diffs, fmt.Sprintf("GET %s differs (live %v, restored %v)", p, err1, err2))
		}
	}
	n, ex, err := lost(ctx, r.url(), acks)
	if err != nil {
		return err
	}
	d.add(Scenario{Name: "6. pg_dump under load, pg_restore, same results", Acknowledged: int64(len(acks)), Lost: n, Errors: int64(len(diffs)),
		Met: n == 0 && len(diffs) == 0 && len(acks) > 0,
		Notes: fmt.Sprintf("%d candidates, %d of them submitted; the other %d autosaved while `pg_dump -Fc` ran (%.1f s) against the live database. "+
			"`pg_restore --no-owner --exit-on-error` into a fresh cluster took %.1f s; an examd started on it answered GET results and GET attempts/{id} (a submitted attempt) exactly as the live one: %s. "+
			"Every answer acknowledged before the dump began (%d) is in the restore: %d missing. Saves acknowledged while the dump ran are not part of its snapshot, by design. %s",
			len(o.cands), half, len(o.cands)-half, dumped.Seconds(), restored.Seconds(), map[bool]string{true: "yes", false: strings.Join(diffs, "; ")}[len(diffs) == 0],
			len(acks), n, strings.Join(ex, "; "))})
	return nil
}
