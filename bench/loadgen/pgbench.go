package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// pgbenchResult is one pgbench run: TPS without connection time, and
// latency percentiles from its per-transaction log.
type pgbenchResult struct {
	TPS      float64
	P50, P99 float64 // ms
	Failed   int64
	Txns     int
}

type pgbenchRunner struct {
	bin     string
	host    string
	port    string
	dbname  string
	scripts string // folder of the .sql scripts
	tmp     string
	clients int
	threads int
	seconds int
	vars    map[string]string
}

var (
	tpsRe    = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	failedRe = regexp.MustCompile(`number of failed transactions: ([0-9]+)`)
)

// run executes pgbench -M prepared with script and the runner's variables.
func (p *pgbenchRunner) run(ctx context.Context, script string) (*pgbenchResult, error) {
	logDir, err := os.MkdirTemp(p.tmp, "pgbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(logDir)
	args := []string{"-h", p.host, "-p", p.port, "-U", "postgres", "-n", "-M", "prepared",
		"-c", strconv.Itoa(p.clients), "-j", strconv.Itoa(p.threads), "-T", strconv.Itoa(p.seconds),
		"-f", filepath.Join(p.scripts, script), "-l", "--log-prefix", filepath.Join(logDir, "tx")}
	keys := make([]string, 0, len(p.vars))
	for k := range p.vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-D", k+"="+p.vars[k])
	}
	args = append(args, p.dbname)
	cmd := exec.CommandContext(ctx, p.bin, args...)
	cmd.Dir = logDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pgbench %s: %v\n%s", script, err, out)
	}
	r := &pgbenchResult{}
	m := tpsRe.FindSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("pgbench %s: no tps in output:\n%s", script, out)
	}
	r.TPS, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := failedRe.FindSubmatch(out); m != nil {
		r.Failed, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	// Each log line: client_id transaction_no time(µs) script_no epoch µs.
	files, _ := filepath.Glob(filepath.Join(logDir, "tx.*"))
	var lat []float64
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseFloat(fields[2], 64)
			if err != nil {
				continue // "failed" or "skipped"
			}
			lat = append(lat, us/1000)
		}
		fh.Close()
	}
	if len(lat) == 0 {
		return nil, fmt.Errorf("pgbench %s: empty transaction log", script)
	}
	sort.Float64s(lat)
	r.Txns = len(lat)
	r.P50, r.P99 = exactQuantile(lat, 0.50), exactQuantile(lat, 0.99)
	return r, nil
}
