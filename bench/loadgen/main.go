// Command loadgen is examd's benchmark driver (`make bench`, see
// scripts/bench.sh, which starts PostgreSQL and examd first). It seeds an
// organization and a 50-question exam through the HTTP API, runs the
// scenarios of issue 7 against examd and, on the same cluster and data,
// pgbench's SQL-level references, and writes latest.md and latest.json.
//
// Closed-loop phases keep N connections busy back to back; open-loop phases
// send at a constant rate whatever the answers' pace, and time each request
// from its scheduled start. Latencies go to log-linear histograms.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"examd/exam"
)

// sizes of one run; smoke shrinks everything to seconds.
type sizes struct {
	W, CPerRun, Runs int
	// S4Spare is how many extra slices of pool C a disturbed S4 run may
	// be repeated with (a submitted attempt cannot be submitted again).
	S4Spare          int
	PgSeconds        int
	AppDur, OpenDur  time.Duration
	OverloadDur      time.Duration // the overload scenario
	S3Window         time.Duration
	S3Limit          time.Duration
	WaveRate         float64
	Reviewers, Conns int
	// StatsAttempts graded attempts for the statistics phase, timed
	// StatsRepeats times.
	StatsAttempts, StatsRepeats int
	// BankQuestions in the bank, searched BankRepeats times.
	BankQuestions, BankRepeats int
}

var full = sizes{W: 2000, CPerRun: 1500, Runs: 3, S4Spare: 2, PgSeconds: 20, AppDur: 15 * time.Second, OpenDur: 60 * time.Second, OverloadDur: 30 * time.Second,
	S3Window: 9500 * time.Millisecond, S3Limit: 10 * time.Second, WaveRate: 200, Reviewers: 8, Conns: 16,
	StatsAttempts: 10000, StatsRepeats: 20, BankQuestions: 100000, BankRepeats: 200}

var smoke = sizes{W: 20, CPerRun: 20, Runs: 1, PgSeconds: 1, AppDur: time.Second, OpenDur: time.Second, OverloadDur: time.Second,
	S3Window: time.Second, S3Limit: 10 * time.Second, WaveRate: 20, Reviewers: 8, Conns: 16,
	StatsAttempts: 50, StatsRepeats: 3, BankQuestions: 300, BankRepeats: 10}

// with returns sz with each size that over gives (non-zero) in its place.
func (sz sizes) with(over sizes) sizes {
	dst, src := reflect.ValueOf(&sz).Elem(), reflect.ValueOf(over)
	for i := range src.NumField() {
		if f := src.Field(i); !f.IsZero() {
			dst.Field(i).Set(f)
		}
	}
	return sz
}

type config struct {
	url, db, pgbench, out, repo, tmp, notes, pprof string
	jsBudget, phone                                string // JSON lines from scripts/bench.sh (browser.go)
	pid, pgPID                                     int
	smoke                                          bool
	// phases limits the run to some scenarios (experiments); "" runs all.
	phases string
	// over overrides the sizes, for experiments: each size it gives
	// (non-zero) replaces the default.
	over   sizes
	double int // essays of S5's double-marking variant (0: half of pool W)
}

func (c config) has(phase string) bool {
	if c.phases == "" {
		return true
	}
	for _, p := range strings.Split(c.phases, ",") {
		if strings.EqualFold(strings.TrimSpace(p), phase) {
			return true
		}
	}
	return false
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080", "examd base URL")
	flag.StringVar(&c.db, "db", "", "PostgreSQL URL of examd's database")
	flag.StringVar(&c.pgbench, "pgbench", "pgbench", "pgbench binary")
	flag.IntVar(&c.pid, "examd-pid", 0, "examd's process id (for its peak RSS)")
	flag.IntVar(&c.pgPID, "pg-pid", 0, "the cluster's postmaster process id (to tell other processes' CPU use)")
	flag.StringVar(&c.out, "out", "bench/results", "folder for latest.md and latest.json")
	flag.StringVar(&c.repo, "repo", ".", "repository root (pgbench scripts, Go benchmark)")
	flag.StringVar(&c.tmp, "tmp", os.TempDir(), "scratch folder")
	flag.StringVar(&c.notes, "notes", "", "markdown appended to latest.md (the analysis)")
	flag.StringVar(&c.pprof, "pprof", "", "examd's pprof base URL: capture CPU profiles of the closed-loop phases into -tmp")
	flag.BoolVar(&c.smoke, "smoke", false, "tiny sizes: checks that the bench runs")
	flag.StringVar(&c.phases, "phases", "", "run only these of S1,S2,S3,S4,S5,S6start,S7,stats,bank,draws,webhooks,overload,go (S3 always runs: it starts pool W); -phases overload runs the overload scenario alone")
	flag.IntVar(&c.over.W, "w", 0, "experiments: candidates in pool W")
	flag.IntVar(&c.double, "double", 0, "experiments: essays (candidates) of S5's double-marking variant (default half of pool W)")
	flag.IntVar(&c.over.StatsAttempts, "stats-attempts", 0, "experiments: graded attempts of the statistics phase")
	flag.IntVar(&c.over.Runs, "runs", 0, "experiments: pairs of runs per closed-loop scenario")
	flag.IntVar(&c.over.PgSeconds, "pg-seconds", 0, "experiments: pgbench -T")
	flag.DurationVar(&c.over.AppDur, "app-dur", 0, "experiments: closed-loop app run length")
	flag.DurationVar(&c.over.OpenDur, "open-dur", 0, "experiments: S1 open-loop length")
	flag.DurationVar(&c.over.OverloadDur, "overload-dur", 0, "experiments: the overload scenario's open-loop length")
	flag.StringVar(&c.jsBudget, "js-budget", "", "file with frontend/scripts/candidate-budget.mjs's JSON line")
	flag.StringVar(&c.phone, "phone", "", "file with the JSON line of the browser test e2e/take-slow-network.test.ts")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if err := run(c); err != nil {
		log.Fatalf("loadgen: %v", err)
	}
}

// bench holds one run's state.
type bench struct {
	cfg   config
	sz    sizes
	api   *api
	db    *pgxpool.Pool
	pg    *pgbenchRunner
	ctx   context.Context
	cpu   *cpuMeter
	notes []string
	rep   Report
	// failures are verification problems; each also counts as an error.
	failures []string
	// knee is the autosave rate examd sustains (S1's closed loop), for the
	// overload scenario.
	knee float64
}

func (b *bench) detail(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	log.Print(s)
	b.notes = append(b.notes, "- "+s)
}

func (b *bench) fail(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	log.Print("FAIL: " + s)
	b.failures = append(b.failures, s)
	b.notes = append(b.notes, "- **FAIL**: "+s)
}

func run(c config) error {
	began := time.Now()
	sz := full
	if c.smoke {
		sz = smoke
	}
	sz = sz.with(c.over)
	ctx := context.Background()
	db, err := pgxpool.New(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := url.Parse(c.db)
	if err != nil {
		return err
	}
	b := &bench{cfg: c, sz: sz, api: newAPI(c.url), db: db, ctx: ctx, cpu: &cpuMeter{examdPID: c.pid, pgPID: c.pgPID}}
	b.pg = &pgbenchRunner{bin: c.pgbench, host: u.Hostname(), port: u.Port(), dbname: strings.TrimPrefix(u.Path, "/"),
		scripts: filepath.Join(c.repo, "bench", "pgbench"), tmp: c.tmp, clients: 16, threads: 2, seconds: sz.PgSeconds, vars: map[string]string{}}
	b.rep.Machine = machine(ctx, db)

	// Seed through the HTTP API.
	s := &seeder{api: b.api}
	if err := s.signup(ctx); err != nil {
		return fmt.Errorf("signup: %w", err)
	}
	exA, err := s.publishExam(ctx, "客户服务经理面试题（压测A）")
	if err != nil {
		return fmt.Errorf("exam A: %w", err)
	}
	exB, err := s.publishExam(ctx, "客户服务经理面试题（压测B）")
	if err != nil {
		return fmt.Errorf("exam B: %w", err)
	}
	W, err := s.invite(ctx, exA.ID, "W", sz.W)
	if err != nil {
		return fmt.Errorf("invitations W: %w", err)
	}
	C, err := s.invite(ctx, exB.ID, "C", sz.CPerRun*(sz.Runs+sz.S4Spare))
	if err != nil {
		return fmt.Errorf("invitations C: %w", err)
	}
	reviewers, err := s.createReviewers(ctx, sz.Reviewers)
	if err != nil {
		return fmt.Errorf("reviewers: %w", err)
	}
	t0 := time.Now()
	if err := startAll(ctx, b.api, C, 32); err != nil {
		return fmt.Errorf("starting pool C: %w", err)
	}
	b.detail("Seeded through the API: one organization, two published 50-question exams (A and B: 10 fill-in, 10 true/false, 10 single choice, 10 multiple choice, 10 essays), %d invitations to A (pool W) and %d to B (pool C, started in %.1f s, unmeasured), %d reviewers.",
		len(W), len(C), time.Since(t0).Seconds(), len(reviewers))

	b.s3(W)
	// A start refused in the rush (counted as S3's error) is made now,
	// unmeasured, so that every later phase has its whole pool.
	var unstarted []*candidate
	for _, c := range W {
		if c.AttemptID == "" {
			unstarted = append(unstarted, c)
		}
	}
	if len(unstarted) > 0 {
		if err := startAll(ctx, b.api, unstarted, 4); err != nil {
			return fmt.Errorf("starting the %d candidates of pool W that S3 left unstarted: %w", len(unstarted), err)
		}
		b.detail("After S3: %d candidates of pool W whose start was refused in the rush were started, unmeasured.", len(unstarted))
	}
	if err := setupBenchSchema(ctx, db, map[string][]*candidate{"W": W, "C": C}, map[string]*examInfo{"A": exA, "B": exB}); err != nil {
		return err
	}
	b.pg.vars["np"] = strconv.Itoa(min(len(C), 2000))
	b.pg.vars["nw"] = strconv.Itoa(len(W))
	b.pg.vars["nc"] = strconv.Itoa(len(C))
	b.pg.vars["exam_a"] = exA.ID
	b.pg.vars["obj"] = objectiveScoresJSON(exB)

	sv := newSaver(b.api, exA, W)
	// The phases after S3, in the order they run; -phases picks some.
	for _, ph := range []struct {
		name string
		run  func() error
	}{
		{"S1", func() error { return b.s1(sv) }},
		{"overload", func() error { return b.overload(sv) }},
		{"S7", func() error { return b.s7(s.admin) }},
		{"stats", func() error { return b.statsPhase(s) }},
		{"bank", func() error { return b.bankSearch(s) }},
		{"draws", func() error { return b.draws(s) }},
		{"S6start", func() error { return b.s6start(s) }},
		// S5's double-marking variant has an exam and pool of its own.
		{"S5", func() error { return b.s5double(s, reviewers) }},
		{"webhooks", func() error { return b.webhooks(s) }},
	} {
		if !c.has(ph.name) {
			continue
		}
		if err := ph.run(); err != nil {
			return err
		}
	}
	if !c.has("S2") && !c.has("S4") {
		return b.finish(began)
	}
	// Every attempt gets all 50 answers before resume and submit: pool W
	// through the API, pool C by SQL (its answers are only submit input).
	missing, err := missingAnswers(ctx, db, exA, W)
	if err != nil {
		return err
	}
	nmiss := 0
	for _, m := range missing {
		nmiss += len(m)
	}
	if err := sv.fillMissing(ctx, missing); err != nil {
		return err
	}
	filled, err := fillAnswers(ctx, db, exB, C)
	if err != nil {
		return err
	}
	b.detail("Before S2: %d answers of pool W not yet written by S1 were saved through the API; pool C's %d answers were written in SQL (same responses, one essay with text an attempt).", nmiss, filled)
	if _, err := db.Exec(ctx, `ANALYZE answers; ANALYZE attempts`); err != nil {
		return err
	}
	if c.has("S2") {
		if err := b.s2(W); err != nil {
			return err
		}
	}
	if c.has("S4") {
		if err := b.s4closed(C); err != nil {
			return err
		}
		if err := b.s4wave(exA, W); err != nil {
			return err
		}
	}
	if c.has("S4") && c.has("S5") {
		if err := b.s5(exA, reviewers); err != nil {
			return err
		}
	}
	return b.finish(began)
}

// finish measures what is measured last and writes the report.
func (b *bench) finish(began time.Time) error {
	c, sz := b.cfg, b.sz
	b.rss()
	b.browserRows(c.jsBudget, c.phone)
	if c.has("go") {
		b.goBench()
	}

	// Report.
	title := "examd benchmark: latest full run (`make bench`)"
	if c.smoke {
		title = "examd benchmark: smoke run (tiny sizes; figures mean nothing)"
	}
	errorsTotal := int64(len(b.failures))
	for _, s := range b.rep.Scenarios {
		errorsTotal += s.Errors
	}
	b.detail("Whole run (seeding included, cluster start and builds excluded): %.0f s.", time.Since(began).Seconds())
	notes := ""
	if c.notes != "" {
		if nb, err := os.ReadFile(c.notes); err == nil {
			notes = string(nb)
		}
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	sortScenarios(b.rep.Scenarios)
	if err := writeJSON(c.out, &b.rep); err != nil {
		return err
	}
	md := markdown(&b.rep, title, append([]string{howMeasured(sz)}, b.notes...), notes)
	if err := os.WriteFile(filepath.Join(c.out, "latest.md"), []byte(md), 0o644); err != nil {
		return err
	}
	missed := 0
	for _, s := range b.rep.Scenarios {
		if !s.Met {
			missed++
			log.Printf("target missed: %s = %g %s (%s)", s.Name, s.Value, s.Unit, s.Target)
		}
	}
	log.Printf("report written to %s (%d scenarios, %d missed, %d errors)", c.out, len(b.rep.Scenarios), missed, errorsTotal)
	if c.smoke && errorsTotal > 0 {
		return fmt.Errorf("smoke run had %d errors", errorsTotal)
	}
	return nil
}

func howMeasured(sz sizes) string {
	return fmt.Sprintf("How: examd (release build) and PostgreSQL 15 share the machine with this load generator; fsync and synchronous_commit on (the product's defaults). "+
		"Closed-loop phases run %d connections back to back for %s (pgbench: `-M prepared -c 16 -j 2 -T %d`); ratios are app ÷ reference of the same pair of runs, "+
		"and the table quotes the pair with the median ratio of %d. Open-loop phases send at a constant rate and time each request from its scheduled start. "+
		"pgbench percentiles come from its per-transaction log (`-l`).\n",
		sz.Conns, sz.AppDur, sz.PgSeconds, sz.Runs)
}

func machine(ctx context.Context, db *pgxpool.Pool) Machine {
	m := Machine{Cores: runtime.NumCPU(), CPU: "unknown", Date: time.Now().UTC().Format(time.RFC3339)}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				m.CPU = strings.TrimSpace(l[strings.Index(l, ":")+1:])
				break
			}
		}
	}
	var v string
	if err := db.QueryRow(ctx, `SHOW server_version`).Scan(&v); err == nil {
		m.Postgres = strings.Fields(v)[0]
	}
	return m
}

// objectiveScoresJSON is a grade's objective_scores as the grader writes
// it: points per question scored without a reviewer (49 of 50 here).
func objectiveScoresJSON(e *examInfo) string {
	var parts []string
	for i, q := range e.Questions {
		if q.EssayNo == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%q:%g", q.ID, float64(i%3)/2))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// pair is one pgbench run and one app run of the same scenario.
type pair struct {
	ref *pgbenchResult
	app *result
}

// medianBy returns the pair whose f is the median of all pairs'.
func medianBy(ps []pair, f func(pair) float64) pair {
	s := append([]pair(nil), ps...)
	sort.Slice(s, func(i, j int) bool { return f(s[i]) < f(s[j]) })
	return s[(len(s)-1)/2]
}

func throughputRatio(p pair) float64 { return p.app.rate() / p.ref.TPS }

// A run during which other processes (a test suite, a build: the machine
// is shared) used more than noisyCores is run again, up to maxRetries times
// a scenario; the discarded figures are listed in the report.
const (
	noisyCores = 0.25
	maxRetries = 4
)

// pairs runs the reference and the app phase alternately, runs times.
// app is given the number of app runs before it (retries included), so
// a run that consumes its input (S4's fresh attempts) can take new input.
func (b *bench) pairs(name, script string, retries int, app func(call int) *result) ([]pair, int64, error) {
	var ps []pair
	var errs int64
	calls := 0
	if b.cfg.smoke {
		retries = 0
	}
	for i := 0; i < b.sz.Runs; i++ {
		b.checkpoint()
		c0 := b.cpu.sample()
		ref, err := b.pg.run(b.ctx, script)
		if err != nil {
			return nil, 0, err
		}
		b.waitPgbenchGone()
		b.checkpoint()
		c1 := b.cpu.sample()
		stopProfile := b.profile(name, i)
		r := app(calls)
		calls++
		stopProfile()
		c2 := b.cpu.sample()
		if f := max(b.cpu.foreign(c0, c1), b.cpu.foreign(c1, c2)); f > noisyCores && retries > 0 && r.Errors == 0 {
			retries--
			b.detail("%s run %d discarded: other processes used %.2f cores (pgbench %.0f TPS, examd %.0f req/s); run again", name, i+1, f, ref.TPS, r.rate())
			i--
			continue
		}
		errs += r.Errors + ref.Failed
		if r.FirstErr != nil {
			b.detail("%s run %d: first error: %v", name, i+1, r.FirstErr)
		}
		b.detail("%s run %d: pgbench %s %.0f TPS (p50 %.2f, p99 %.2f ms, %d failed); examd %.0f req/s (p50 %.2f, p99 %.2f ms, %d errors of %d); ratio %.2f. pgbench %s; examd run %s; examd RSS %s",
			name, i+1, script, ref.TPS, ref.P50, ref.P99, ref.Failed, r.rate(), r.p50(), r.p99(), r.Errors, r.Requests, r.rate()/ref.TPS,
			b.cpu.split(c0, c1), b.cpu.split(c1, c2), b.cpu.rss())
		ps = append(ps, pair{ref, r})
	}
	return ps, errs, nil
}

func (b *bench) add(s Scenario) { b.rep.Scenarios = append(b.rep.Scenarios, s) }

// checkpoint writes PostgreSQL's dirty pages out before each side of a
// pair, so that neither pays for the other's writes: pgbench's 20 s of
// upserts leave a WAL volume that could start a checkpoint in the examd
// run right after it (and the other way round), whose fsyncs then land on
// one side only. Unmeasured; a failure only leaves the old behaviour.
func (b *bench) checkpoint() {
	if _, err := b.db.Exec(b.ctx, "CHECKPOINT"); err != nil {
		b.detail("CHECKPOINT before a run: %v", err)
	}
}

// S1: autosave, closed loop against the upsert reference, then open loop.
func (b *bench) s1(sv *saver) error {
	ps, errs, err := b.pairs("S1", "upsert.sql", maxRetries, func(int) *result {
		return closedLoop(b.ctx, b.sz.Conns, b.sz.AppDur, 0, sv.save)
	})
	if err != nil {
		return err
	}
	m := medianBy(ps, throughputRatio)
	b.knee = m.app.rate()
	b.add(Scenario{Name: "S1 autosave throughput (PUT answer, closed loop, 16 conns)", Value: round(m.app.rate()), Unit: "req/s",
		Reference: num(m.ref.TPS), Ratio: num(throughputRatio(m)), Target: ">= 0.50 of reference (pgbench upsert TPS)",
		Met: throughputRatio(m) >= 0.50 && errs == 0, P50ms: num(m.app.p50()), P99ms: num(m.app.p99()), Errors: errs})
	pr := func(p pair) float64 { return p.app.p99() / p.ref.P99 }
	mp := medianBy(ps, pr)
	b.add(Scenario{Name: "S1 autosave p99 (closed loop, 16 conns)", Value: round(mp.app.p99()), Unit: "ms",
		Reference: num(mp.ref.P99), Ratio: num(pr(mp)), Target: "<= 3 x reference p99 (pgbench upsert)",
		Met: pr(mp) <= 3 && errs == 0, P50ms: num(mp.app.p50()), P99ms: num(mp.app.p99()), Errors: errs})

	refTPS := medianBy(ps, func(p pair) float64 { return p.ref.TPS }).ref.TPS
	rate := refTPS / 4
	var r *result
	var c0, c1 cpuSample
	for try := 0; ; try++ {
		c0 = b.cpu.sample()
		r = openLoop(b.ctx, rate, b.sz.OpenDur, 0, 4096, sv.save)
		r.Errors += r.Dropped // here every request must be sent: one the generator could not send fails the phase
		c1 = b.cpu.sample()
		if f := b.cpu.foreign(c0, c1); f > noisyCores && try < 2 && !b.cfg.smoke && r.Errors == 0 {
			b.detail("S1 open loop discarded: other processes used %.2f cores (p99 %.1f ms); run again", f, r.p99())
			continue
		}
		break
	}
	if r.FirstErr != nil {
		b.detail("S1 open loop: first error: %v", r.FirstErr)
	}
	b.detail("S1 open loop: %.0f req/s scheduled (25 %% of the median pgbench upsert TPS, %.0f) for %s: %d sent, %.0f req/s achieved, p50 %.2f, p99 %.2f, max %.1f ms, %d errors; %d saves answered with another seq; %s; examd RSS %s",
		rate, refTPS, b.sz.OpenDur, r.Requests, r.rate(), r.p50(), r.p99(), r.Hist.quantile(1), r.Errors, sv.stale.Load(), b.cpu.split(c0, c1), b.cpu.rss())
	b.add(Scenario{Name: fmt.Sprintf("S1 autosave open loop (%.0f req/s = 25 %% of reference, %s)", rate, b.sz.OpenDur), Value: round(r.p99()), Unit: "ms (p99)",
		Target: "p99 <= 25 ms, 0 errors", Met: r.p99() <= 25 && r.Errors == 0, P50ms: num(r.p50()), P99ms: num(r.p99()), Errors: r.Errors})

	n, missing, err := b.checkAcks(sv, "S1")
	if err != nil {
		return err
	}
	ref := float64(n)
	b.add(Scenario{Name: "S1 every acknowledged save present afterwards (checked in SQL)", Value: float64(n - missing), Unit: "answers",
		Reference: &ref, Ratio: num(float64(n-missing) / ref), Target: "all present (newest acknowledged seq and response)",
		Met: missing == 0 && n > 0, Errors: int64(missing)})
	return nil
}

// S2: resume, closed loop against the read reference, twice: the cold
// read (a client without a copy: another device, a new tab, or a reload
// after saves) and the candidate page's reload with its copy
// (If-None-Match; nothing changed during S2, so each is a 304). The read
// reference does the cold read's work (the attempt, its 50 answers, the
// version), so the target is the cold read's; the conditional row is
// measured against the same reference to show what the page's reload
// costs.
func (b *bench) s2(W []*candidate) error {
	ps, errs, err := b.pairs("S2", "read.sql", maxRetries, func(int) *result {
		return closedLoop(b.ctx, b.sz.Conns, b.sz.AppDur, 0, resume(b.api, W))
	})
	if err != nil {
		return err
	}
	m := medianBy(ps, throughputRatio)
	b.add(Scenario{Name: "S2 resume throughput, cold read (GET /candidate/attempt without a copy, 50 answers, 16 conns)", Value: round(m.app.rate()), Unit: "req/s",
		Reference: num(m.ref.TPS), Ratio: num(throughputRatio(m)), Target: ">= 1.00 of reference (pgbench read TPS)",
		Met: throughputRatio(m) >= 1 && errs == 0, P50ms: num(m.app.p50()), P99ms: num(m.app.p99()), Errors: errs})

	cr := newConditionalResume(b.api, W)
	if err := cr.prime(b.ctx); err != nil {
		return err
	}
	ps, errs, err = b.pairs("S2cond", "read.sql", maxRetries, func(int) *result {
		return closedLoop(b.ctx, b.sz.Conns, b.sz.AppDur, 0, cr.get)
	})
	if err != nil {
		return err
	}
	m = medianBy(ps, throughputRatio)
	b.detail("S2 conditional: %d answered 304, %d answered 200 (a 200 means the copy no longer stood).", cr.fresh.Load(), cr.full.Load())
	b.add(Scenario{Name: "S2 conditional resume (the page's reload with its copy: If-None-Match, nothing changed, 304; 16 conns)", Value: round(m.app.rate()), Unit: "req/s",
		Reference: num(m.ref.TPS), Ratio: num(throughputRatio(m)), Target: "every answer 304; beside the cold read, against the same reference",
		Met: errs == 0 && cr.full.Load() == 0 && cr.fresh.Load() > 0, P50ms: num(m.app.p50()), P99ms: num(m.app.p99()), Errors: errs})
	return nil
}

// S3: the start rush of pool W.
func (b *bench) s3(W []*candidate) {
	b.rush("S3", fmt.Sprintf("S3 start rush (%d candidates: session + start)", len(W)), W)
}

// rush is S3's arrival of candidates over S3Window, each opening a session
// and starting; the draws phase runs the same on an exam with draw sections.
func (b *bench) rush(label, row string, W []*candidate) {
	sr := &startRush{api: b.api, cands: W, reqs: newHist()}
	rate := float64(len(W)) / b.sz.S3Window.Seconds()
	start := time.Now()
	c0 := b.cpu.sample()
	r := openLoop(b.ctx, rate, 0, int64(len(W)), 4096, sr.run)
	r.Errors += r.Dropped // here every request must be sent: one the generator could not send fails the phase
	makespan := time.Duration(sr.last.Load() - start.UnixNano())
	foreign := b.cpu.split(c0, b.cpu.sample()) + "; examd RSS " + b.cpu.rss()
	if r.FirstErr != nil {
		b.detail("%s: first error: %v", label, r.FirstErr)
	}
	b.detail("%s: %d candidates arriving at %.0f/s (over %s), each POST /candidate/sessions then POST /candidate/attempt: all done %.2f s after the first arrival; requests p50 %.1f, p99 %.1f, max %.1f ms; per candidate p99 %.1f ms; %d errors; %s",
		label, len(W), rate, b.sz.S3Window, makespan.Seconds(), sr.reqs.quantile(0.5), sr.reqs.quantile(0.99), sr.reqs.quantile(1), r.p99(), r.Errors, foreign)
	b.add(Scenario{Name: row, Value: round(makespan.Seconds()), Unit: "s (all started)",
		Target: fmt.Sprintf("all within %s, request p99 <= 500 ms, 0 errors", b.sz.S3Limit),
		Met:    makespan <= b.sz.S3Limit && sr.reqs.quantile(0.99) <= 500 && r.Errors == 0,
		P50ms:  num(sr.reqs.quantile(0.5)), P99ms: num(sr.reqs.quantile(0.99)), Errors: r.Errors})
}

// S4, closed loop: submits of pool C against the grading reference.
func (b *bench) s4closed(C []*candidate) error {
	// Each run submits fresh attempts: a retry takes one of the spare slices.
	ps, errs, err := b.pairs("S4", "grade.sql", b.sz.S4Spare, func(call int) *result {
		slice := C[call*b.sz.CPerRun : (call+1)*b.sz.CPerRun]
		sub := newSubmitter(b.api, slice)
		return closedLoop(b.ctx, b.sz.Conns, 0, int64(len(slice)), sub.submit)
	})
	if err != nil {
		return err
	}
	m := medianBy(ps, throughputRatio)
	b.add(Scenario{Name: fmt.Sprintf("S4 submit throughput (closed loop, 16 conns, %d attempts a run)", b.sz.CPerRun), Value: round(m.app.rate()), Unit: "req/s",
		Reference: num(m.ref.TPS), Ratio: num(throughputRatio(m)), Target: ">= 0.50 of reference (pgbench grade TPS)",
		Met: throughputRatio(m) >= 0.5 && errs == 0, P50ms: num(m.app.p50()), P99ms: num(m.app.p99()), Errors: errs})
	return nil
}

// S4, the wave: pool W submits at a constant rate; then every attempt is
// checked scored exactly once, and a repeated submit must change nothing.
func (b *bench) s4wave(exA *examInfo, W []*candidate) error {
	sub := newSubmitter(b.api, W)
	c0 := b.cpu.sample()
	r := openLoop(b.ctx, b.sz.WaveRate, 0, int64(len(W)), 4096, sub.submit)
	r.Errors += r.Dropped // here every request must be sent: one the generator could not send fails the phase
	foreign := b.cpu.split(c0, b.cpu.sample()) + "; examd RSS " + b.cpu.rss()
	if r.FirstErr != nil {
		b.detail("S4 wave: first error: %v", r.FirstErr)
	}
	cnt, before, err := b.snapshot(exA.ID)
	if err != nil {
		return err
	}
	again := closedLoop(b.ctx, b.sz.Conns, 0, int64(len(W)), sub.submit)
	cnt2, after, err := b.snapshot(exA.ID)
	if err != nil {
		return err
	}
	b.detail("S4 wave: %d submits at %.0f/s: p50 %.1f, p99 %.1f, max %.1f ms, %d errors; %s. In SQL: %d attempts, %d scored, %d review items.",
		r.Requests, b.sz.WaveRate, r.p50(), r.p99(), r.Hist.quantile(1), r.Errors, foreign, cnt.Attempts, cnt.Scored, cnt.ReviewItems)
	b.detail("S4 repeated submit of all %d: %d errors, %d answers differing from the first, attempts and review items unchanged: %t; still %d scored.",
		again.Requests, again.Errors, sub.changed.Load(), before == after, cnt2.Scored)
	want := int64(len(W))
	var bad int64
	if cnt.Scored != want || cnt.Attempts != want || cnt2.Scored != want {
		b.fail("S4: %d scored attempts (of %d), want exactly %d", cnt.Scored, cnt.Attempts, want)
		bad++
	}
	if before != after || sub.changed.Load() != 0 || again.Errors != 0 {
		b.fail("S4: a repeated submit changed something (state equal %t, %d answers differ, %d errors: %v)", before == after, sub.changed.Load(), again.Errors, again.FirstErr)
		bad++
	}
	b.add(Scenario{Name: fmt.Sprintf("S4 submit wave (%d at %.0f/s, open loop)", len(W), b.sz.WaveRate), Value: round(r.p99()), Unit: "ms (p99)",
		Target: "p99 <= 250 ms, 0 errors", Met: r.p99() <= 250 && r.Errors == 0, P50ms: num(r.p50()), P99ms: num(r.p99()), Errors: r.Errors})
	ref := float64(want)
	b.add(Scenario{Name: "S4 scored attempts after the wave and a repeated submit", Value: float64(cnt2.Scored), Unit: "attempts",
		Reference: &ref, Ratio: num(float64(cnt2.Scored) / ref), Target: fmt.Sprintf("exactly %d; a repeated submit changes nothing", want),
		Met: bad == 0, P50ms: num(again.p50()), P99ms: num(again.p99()), Errors: bad + again.Errors})
	return nil
}

// S5: reviewers drain exam A's essays.
func (b *bench) s5(exA *examInfo, reviewers []*reviewer) error {
	res, before, after, foreign, err := b.drain(exA.ID, reviewers)
	if err != nil {
		return err
	}
	foreign += "; examd RSS " + b.cpu.rss()
	if res.FirstErr != nil {
		b.detail("S5: first error: %v", res.FirstErr)
	}
	b.detail("S5: %d reviewers scored %d essays in %.1f s (%.0f/s): claim p50 %.1f, p99 %.1f ms; score p50 %.1f, p99 %.1f ms; %d double claims, %d errors; %s. In SQL: %d review items, %d scored, %d attempts graded.",
		len(reviewers), res.Scored, res.Elapsed.Seconds(), float64(res.Scored)/res.Elapsed.Seconds(), res.Claims.quantile(0.5), res.Claims.quantile(0.99),
		res.Scores.quantile(0.5), res.Scores.quantile(0.99), res.DoubleClaims, res.Errors, foreign, after.ReviewItems, after.ReviewScored, after.Graded)
	var bad int64
	if after.ReviewScored != after.ReviewItems || res.Scored != before.ReviewItems || after.Graded != after.Attempts {
		b.fail("S5: %d of %d essays scored by %d scores, %d of %d attempts graded", after.ReviewScored, after.ReviewItems, res.Scored, after.Graded, after.Attempts)
		bad++
	}
	b.add(Scenario{Name: fmt.Sprintf("S5 review claim p99 (%d reviewers drain %d essays)", len(reviewers), before.ReviewItems), Value: round(res.Claims.quantile(0.99)), Unit: "ms (p99)",
		Target: "p99 <= 50 ms, no essay claimed twice, all scored", Met: res.Claims.quantile(0.99) <= 50 && res.DoubleClaims == 0 && bad == 0 && res.Errors == 0,
		P50ms: num(res.Claims.quantile(0.5)), P99ms: num(res.Claims.quantile(0.99)), Errors: res.Errors + res.DoubleClaims + bad})
	return nil
}

// drain logs the reviewers in and has them drain the exam's review queue;
// it returns their result, the counts in SQL before and after, and what
// other processes used of the CPU meanwhile.
func (b *bench) drain(examID string, reviewers []*reviewer) (res *reviewResult, before, after *scoredCounts, foreign string, err error) {
	for _, r := range reviewers {
		if err := login(b.ctx, b.api, r); err != nil {
			return nil, nil, nil, "", fmt.Errorf("reviewer login: %w", err)
		}
	}
	if before, err = countScored(b.ctx, b.db, examID); err != nil {
		return nil, nil, nil, "", err
	}
	c0 := b.cpu.sample()
	res = drainReviews(b.ctx, b.api, reviewers, examID)
	foreign = b.cpu.split(c0, b.cpu.sample())
	if after, err = countScored(b.ctx, b.db, examID); err != nil {
		return nil, nil, nil, "", err
	}
	return res, before, after, foreign, nil
}

// S5 double marking: exam D marks essays twice; its candidates (half as
// many as pool W, one essay each) submit unmeasured, then the reviewers
// drain its 2 × n marks. Tolerance is the essay's full points, so every
// pair is averaged and every attempt ends graded without a moderator.
func (b *bench) s5double(s *seeder, reviewers []*reviewer) error {
	doc := benchDocument("客户服务经理面试题（压测D，双评）")
	doc.Review = &exam.ReviewSetting{Markers: 2, Tolerance: 10}
	exD, err := s.publishDocument(b.ctx, doc)
	if err != nil {
		return fmt.Errorf("exam D: %w", err)
	}
	n := max(b.sz.W/2, 10)
	if b.cfg.double > 0 {
		n = b.cfg.double
	}
	D, err := s.invite(b.ctx, exD.ID, "D", n)
	if err != nil {
		return fmt.Errorf("invitations D: %w", err)
	}
	if err := startAll(b.ctx, b.api, D, 8); err != nil {
		return fmt.Errorf("starting pool D: %w", err)
	}
	sv := &saver{api: b.api, exam: exD, cands: D, acks: map[ackKey]acked{}}
	for _, c := range D {
		for _, q := range exD.Questions {
			if q.Type == exam.TypeEssay && q.EssayNo == c.EssayNo {
				if err := sv.saveOne(b.ctx, c, q, 0); err != nil {
					return fmt.Errorf("pool D essay: %w", err)
				}
			}
		}
		if _, err := b.api.do(b.ctx, "POST", "/candidate/attempt/submit", c.Access, nil, nil, 200); err != nil {
			return fmt.Errorf("pool D submit: %w", err)
		}
	}
	res, before, after, foreign, err := b.drain(exD.ID, reviewers)
	if err != nil {
		return err
	}
	var both int64 // essays whose two marks have one scorer
	if err := b.db.QueryRow(b.ctx, `SELECT count(*) FROM review_items m1 JOIN review_items m2
		ON m2.attempt_id = m1.attempt_id AND m2.question_id = m1.question_id AND m2.slot = 2
		WHERE m1.exam_id = $1 AND m1.slot = 1 AND m1.scored_by = m2.scored_by`, exD.ID).Scan(&both); err != nil {
		return err
	}
	if res.FirstErr != nil {
		b.detail("S5 double marking: first error: %v", res.FirstErr)
	}
	b.detail("S5 double marking: %d reviewers scored %d marks of %d essays in %.1f s: claim p50 %.1f, p99 %.1f ms; score p50 %.1f, p99 %.1f ms; %d double claims, %d essays marked twice by one reviewer, %d errors; %s. In SQL: %d review items (marks and finals), %d scored, %d of %d attempts graded.",
		len(reviewers), res.Scored, n, res.Elapsed.Seconds(), res.Claims.quantile(0.5), res.Claims.quantile(0.99),
		res.Scores.quantile(0.5), res.Scores.quantile(0.99), res.DoubleClaims, both, res.Errors, foreign, after.ReviewItems, after.ReviewScored, after.Graded, after.Attempts)
	var bad int64
	if res.Scored != before.ReviewItems || after.ReviewScored != after.ReviewItems || after.Graded != after.Attempts || both != 0 {
		b.fail("S5 double marking: %d marks scored of %d, %d of %d items scored, %d of %d attempts graded, %d essays marked twice by one reviewer",
			res.Scored, before.ReviewItems, after.ReviewScored, after.ReviewItems, after.Graded, after.Attempts, both)
		bad++
	}
	b.add(Scenario{Name: fmt.Sprintf("double-marking claims (%d reviewers drain %d marks of %d essays)", len(reviewers), before.ReviewItems, n),
		Value: round(res.Claims.quantile(0.99)), Unit: "ms (p99)",
		Target: "p99 <= 50 ms, no mark claimed twice, no essay marked twice by one reviewer, all graded",
		Met:    res.Claims.quantile(0.99) <= 50 && res.DoubleClaims == 0 && bad == 0 && res.Errors == 0,
		P50ms:  num(res.Claims.quantile(0.5)), P99ms: num(res.Claims.quantile(0.99)), Errors: res.Errors + res.DoubleClaims + bad})
	return nil
}

// waitPgbenchGone waits (up to 3 s) until pgbench's server processes have
// exited, so their CPU time is not counted in the next phase's split.
func (b *bench) waitPgbenchGone() {
	for range 60 {
		var n int
		if err := b.db.QueryRow(b.ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench'`).Scan(&n); err != nil || n == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // and the postmaster has reaped them
}

// rss reads examd's peak resident set (VmHWM) after the run.
func (b *bench) rss() {
	s := Scenario{Name: "examd peak resident memory (VmHWM, whole run)", Unit: "MB", Target: "<= 200 MB"}
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", b.cfg.pid))
	if err != nil {
		b.fail("peak RSS: %v", err)
		s.Errors = 1
		b.add(s)
		return
	}
	for _, l := range strings.Split(string(st), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			s.Value = round(kb / 1024)
		}
	}
	s.Met = s.Value > 0 && s.Value <= 200
	b.detail("examd peak RSS (VmHWM): %.1f MB", s.Value)
	b.add(s)
}

var benchLine = regexp.MustCompile(`BenchmarkScoreAttempt50\S*\s+(\d+)\s+([0-9.]+) ns/op\s+([0-9.]+) B/op\s+([0-9.]+) allocs/op`)

// goBench runs grading's scoring benchmark while nothing else runs.
func (b *bench) goBench() {
	args := []string{"test", "-run", "^$", "-bench", "ScoreAttempt50", "-benchmem", "-count", "1"}
	if b.cfg.smoke {
		args = append(args, "-benchtime", "200x")
	}
	args = append(args, "./grading/")
	cmd := exec.Command("go", args...)
	cmd.Dir = b.cfg.repo
	out, err := cmd.CombinedOutput()
	s := Scenario{Name: "Go scoring benchmark, one 50-question attempt (BenchmarkScoreAttempt50)", Unit: "µs/op", Target: "<= 20 µs/op, allocations reported"}
	m := benchLine.FindSubmatch(out)
	if err != nil || m == nil {
		b.fail("go test -bench ScoreAttempt50: %v\n%s", err, out)
		s.Errors = 1
		b.add(s)
		return
	}
	ns, _ := strconv.ParseFloat(string(m[2]), 64)
	s.Value = round(ns / 1000)
	s.Unit = fmt.Sprintf("µs/op (%s allocs/op, %s B/op)", m[4], m[3])
	s.Met = ns/1000 <= 20
	b.detail("`go test -run '^$' -bench ScoreAttempt50 -benchmem ./grading/`: %s ns/op, %s B/op, %s allocs/op (%s iterations)", m[2], m[3], m[4], m[1])
	b.add(s)
}

var _ = math.NaN
