// Command drill is examd's fault drill (`make drill`, issue 18): real
// examd and PostgreSQL processes on this machine, killed, restarted,
// failed over, pooled and restored under a load of candidates autosaving,
// checking in SQL afterwards that every save that got its 200 is stored.
// scripts/drill.sh builds it and examd and runs it; it writes
// latest.json and latest.md into -out.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// sizes are the drill's figures; smoke shrinks them to seconds.
type sizes struct {
	Candidates   int           // autosaving candidates
	Pace         time.Duration // between one candidate's saves
	Kills        int           // examd SIGKILLs in scenario 1
	PGRestarts   int           // restarts per mode in scenario 2
	Deadlines    int           // attempts whose deadline falls while examd is down
	LimitSeconds int           // their time limit
	Settle       time.Duration // load before and after a fault
}

var (
	full  = sizes{Candidates: 50, Pace: 250 * time.Millisecond, Kills: 20, PGRestarts: 5, Deadlines: 20, LimitSeconds: 20, Settle: 3 * time.Second}
	smoke = sizes{Candidates: 6, Pace: 100 * time.Millisecond, Kills: 2, PGRestarts: 1, Deadlines: 3, LimitSeconds: 8, Settle: time.Second}
)

type drill struct {
	repo, work, out, pgbin, examd string
	secret                        string
	sz                            sizes
	smoke                         bool
	servers                       []*server
	bouncers                      []*bouncer
	clusters                      []*cluster
	main                          *cluster
	mainSrv                       *server
	report                        Report
}

// Report is latest.json.
type Report struct {
	Machine   map[string]any `json:"machine"`
	Scenarios []Scenario     `json:"scenarios"`
}

// Scenario is one entry: lost counts acknowledged saves missing afterwards.
type Scenario struct {
	Name         string `json:"name"`
	Acknowledged int64  `json:"acknowledged"`
	Lost         int    `json:"lost"`
	Errors       int64  `json:"errors"`
	Met          bool   `json:"met"`
	Notes        string `json:"notes"`
}

func main() {
	d := &drill{}
	flag.StringVar(&d.repo, "repo", ".", "the repository (for scripts/pg.sh)")
	flag.StringVar(&d.work, "work", "", "scratch folder, reachable by the postgres user")
	flag.StringVar(&d.out, "out", "drill/results", "where latest.json and latest.md go")
	flag.StringVar(&d.pgbin, "pgbin", "", "PostgreSQL's bin folder")
	flag.StringVar(&d.examd, "examd", "", "the examd binary")
	flag.BoolVar(&d.smoke, "smoke", false, "tiny sizes, seconds")
	only := flag.String("only", "", "comma-separated scenario numbers to run (experiments)")
	flag.Parse()
	if d.work == "" || d.pgbin == "" || d.examd == "" {
		log.Fatal("drill: -work, -pgbin and -examd are required (scripts/drill.sh passes them)")
	}
	d.sz = full
	if d.smoke {
		d.sz = smoke
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	d.secret = hex.EncodeToString(b)
	began := time.Now()
	err := d.runAll(*only)
	d.cleanup()
	d.report.Machine = machine(d, began)
	if werr := d.write(); werr != nil {
		log.Fatal(werr)
	}
	if err != nil {
		log.Fatal("drill: ", err)
	}
	for _, s := range d.report.Scenarios {
		if !s.Met {
			log.Fatalf("drill: scenario %q not met: %s", s.Name, s.Notes)
		}
	}
}

func (d *drill) runAll(only string) error {
	ctx := context.Background()
	steps := []func(context.Context) error{d.restarts, d.pgRestarts, d.failover, d.pooler, d.deadlines, d.backup}
	for i, step := range steps {
		if only != "" && !strings.Contains(","+only+",", fmt.Sprintf(",%d,", i+1)) {
			continue
		}
		t := time.Now()
		if err := step(ctx); err != nil {
			return fmt.Errorf("scenario %d: %w", i+1, err)
		}
		s := d.report.Scenarios[len(d.report.Scenarios)-1]
		log.Printf("drill: %s: met=%t acknowledged=%d lost=%d errors=%d (%s)", s.Name, s.Met, s.Acknowledged, s.Lost, s.Errors, time.Since(t).Round(time.Second))
	}
	return nil
}

func (d *drill) add(s Scenario) { d.report.Scenarios = append(d.report.Scenarios, s) }

func (d *drill) cleanup() {
	for _, s := range d.servers {
		s.kill()
	}
	for _, b := range d.bouncers {
		b.stop()
	}
	for _, c := range d.clusters {
		d.stopCluster(c)
	}
}

func machine(d *drill, began time.Time) map[string]any {
	m := map[string]any{
		"cpus": runtime.NumCPU(), "os": runtime.GOOS + "/" + runtime.GOARCH, "go": runtime.Version(),
		"smoke": d.smoke, "started_at": began.UTC().Format(time.RFC3339), "seconds": int(time.Since(began).Seconds()),
		"candidates": d.sz.Candidates, "save_every_ms": d.sz.Pace.Milliseconds(),
	}
	if out, err := exec.Command(filepath.Join(d.pgbin, "postgres"), "--version").Output(); err == nil {
		m["postgresql"] = strings.TrimSpace(string(out))
	}
	m["pgbouncer"] = pgbouncerVersion()
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				m["cpu"] = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		m["load_average_at_end"] = strings.Join(strings.Fields(string(la))[:3], " ")
	}
	return m
}

func (d *drill) write() error {
	if err := os.MkdirAll(d.out, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(d.report, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.out, "latest.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	var md strings.Builder
	title := "Fault drill"
	if d.smoke {
		title += " (smoke sizes)"
	}
	fmt.Fprintf(&md, "# %s\n\nWritten by `make drill` (drill/, scripts/drill.sh). Machine: ", title)
	first := true
	for _, k := range []string{"cpu", "cpus", "os", "go", "postgresql", "pgbouncer", "started_at", "seconds", "load_average_at_end"} {
		if v, ok := d.report.Machine[k]; ok {
			if !first {
				md.WriteString(", ")
			}
			first = false
			fmt.Fprintf(&md, "%s %v", k, v)
		}
	}
	fmt.Fprintf(&md, ".\n\n%d candidates autosave, each every %s on average; `lost` counts acknowledged saves (a 200 with our seq) that the database did not hold afterwards, checked in SQL.\n\n",
		d.sz.Candidates, d.sz.Pace)
	md.WriteString("| scenario | acknowledged | lost | errors | met |\n|---|---:|---:|---:|---|\n")
	for _, s := range d.report.Scenarios {
		fmt.Fprintf(&md, "| %s | %d | %d | %d | %s |\n", s.Name, s.Acknowledged, s.Lost, s.Errors, map[bool]string{true: "yes", false: "**no**"}[s.Met])
	}
	md.WriteString("\n")
	for _, s := range d.report.Scenarios {
		fmt.Fprintf(&md, "## %s\n\n%s\n\n", s.Name, s.Notes)
	}
	return os.WriteFile(filepath.Join(d.out, "latest.md"), []byte(md.String()), 0o644)
}
