package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The machine is shared: other work (a test suite, a build) would skew a
// run. cpuMeter tells how much CPU processes outside the bench (examd,
// PostgreSQL's cluster, this load generator and its pgbench) used during a
// phase, so a noisy run shows in the report.

const ticksPerSecond = 100 // USER_HZ on Linux

type cpuSample struct {
	at              time.Time
	busy, ours      float64 // ticks
	examd, pg, self float64 // ticks, parts of ours
	haveProcess     bool
}

type cpuMeter struct {
	examdPID, pgPID int
}

func readFields(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	// The command name may hold spaces: fields start after the last ')'.
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	return strings.Fields(s)
}

// procTicks returns utime+stime (and, with children, cutime+cstime) of pid.
// Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
func procTicks(pid string, children bool) (ticks float64, ppid string) {
	f := readFields(filepath.Join("/proc", pid, "stat"))
	if len(f) < 15 {
		return 0, ""
	}
	n := 12
	if children {
		n = 14
	}
	for i := 11; i <= n; i++ {
		v, _ := strconv.ParseFloat(f[i], 64)
		ticks += v
	}
	return ticks, f[1]
}

func (m *cpuMeter) sample() cpuSample {
	s := cpuSample{at: time.Now()}
	if f := readFields("/proc/stat"); len(f) > 8 && f[0] == "cpu" {
		var total float64
		for i, x := range f[1:9] {
			v, _ := strconv.ParseFloat(x, 64)
			total += v
			if i == 3 || i == 4 { // idle, iowait
				total -= v
			}
		}
		s.busy = total
	}
	s.self, _ = procTicks("self", true)
	if m.examdPID > 0 {
		s.examd, _ = procTicks(strconv.Itoa(m.examdPID), true)
	}
	if m.pgPID > 0 {
		pg := strconv.Itoa(m.pgPID)
		t, _ := procTicks(pg, true)
		s.pg += t
		s.haveProcess = t > 0
		dirs, _ := os.ReadDir("/proc")
		for _, d := range dirs {
			if d.Name()[0] < '0' || d.Name()[0] > '9' {
				continue
			}
			if t, ppid := procTicks(d.Name(), false); ppid == pg {
				s.pg += t
			}
		}
	}
	s.ours = s.self + s.examd + s.pg
	return s
}

// foreign returns the cores used by other processes between two samples
// (NaN-free: 0 when unknown).
func (m *cpuMeter) foreign(a, b cpuSample) float64 {
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 || !b.haveProcess {
		return 0
	}
	f := ((b.busy - a.busy) - (b.ours - a.ours)) / ticksPerSecond / secs
	if f < 0 {
		f = 0
	}
	return f
}

// split describes who used the CPU between two samples, in cores.
func (m *cpuMeter) split(a, b cpuSample) string {
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 || !b.haveProcess {
		return "CPU split unknown"
	}
	c := func(x, y float64) float64 { return (y - x) / ticksPerSecond / secs }
	return fmt.Sprintf("CPU: examd %.2f, PostgreSQL %.2f, load generator/pgbench %.2f, other processes %.2f cores",
		c(a.examd, b.examd), c(a.pg, b.pg), c(a.self, b.self), m.foreign(a, b))
}

// rss reads examd's resident set now and its peak so far.
func (m *cpuMeter) rss() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", m.examdPID))
	if err != nil {
		return "unknown"
	}
	var now, peak string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			now = fmt.Sprintf("%.0f", kb/1024)
		case "VmHWM:":
			peak = fmt.Sprintf("%.0f", kb/1024)
		}
	}
	return now + " MB (peak " + peak + " MB)"
}
