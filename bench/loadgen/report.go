package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Report is latest.json: the shape issue 7 fixes, one scenario a target.
type Report struct {
	Machine   Machine    `json:"machine"`
	Scenarios []Scenario `json:"scenarios"`
}

// Machine describes where the figures were taken.
type Machine struct {
	Cores    int    `json:"cores"`
	CPU      string `json:"cpu"`
	Postgres string `json:"postgres"`
	Date     string `json:"date"`
}

// Scenario is one target: the measured value, the reference it is judged
// against (null when the target is absolute), their ratio, and the latency
// percentiles of the requests behind it.
type Scenario struct {
	Name      string   `json:"name"`
	Value     float64  `json:"value"`
	Unit      string   `json:"unit"`
	Reference *float64 `json:"reference"`
	Ratio     *float64 `json:"ratio"`
	Target    string   `json:"target"`
	Met       bool     `json:"met"`
	P50ms     *float64 `json:"p50_ms"`
	P99ms     *float64 `json:"p99_ms"`
	Errors    int64    `json:"errors"`
	// Extra holds a row's further figures by name (the phone network
	// row's bytes transferred, fresh and resumed).
	Extra map[string]float64 `json:"extra,omitempty"`
}

// num rounds a figure for the report; NaN becomes nil (JSON null).
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	r := round(v)
	return &r
}

func round(v float64) float64 {
	switch a := math.Abs(v); {
	case a >= 100:
		return math.Round(v)
	case a >= 10:
		return math.Round(v*10) / 10
	case a >= 1:
		return math.Round(v*100) / 100
	default:
		return math.Round(v*1000) / 1000
	}
}

func fmtNum(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%g", *p)
}

func writeJSON(dir string, r *Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // targets read ">= 0.50", not "\u003e= 0.40"
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "latest.json"), buf.Bytes(), 0o644)
}

// sortScenarios orders the report S1 … S5, then the rest, keeping the run
// order within each (the run itself starts with S3, which starts pool W).
func sortScenarios(ss []Scenario) {
	rank := func(s Scenario) int {
		if len(s.Name) > 1 && s.Name[0] == 'S' && s.Name[1] >= '1' && s.Name[1] <= '9' {
			return int(s.Name[1] - '0')
		}
		return 10
	}
	sort.SliceStable(ss, func(i, j int) bool { return rank(ss[i]) < rank(ss[j]) })
}

// markdown renders the table, then the run's details and, when given, the
// hand-written analysis (bench/results/notes.md).
func markdown(r *Report, title string, details []string, notes string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	fmt.Fprintf(&b, "Machine: %d cores, %s; PostgreSQL %s; %s.\n\n", r.Machine.Cores, r.Machine.CPU, r.Machine.Postgres, r.Machine.Date)
	b.WriteString("| scenario | value | unit | reference | ratio | target | met | p50 ms | p99 ms | errors |\n")
	b.WriteString("|---|---:|---|---:|---:|---|:-:|---:|---:|---:|\n")
	for _, s := range r.Scenarios {
		met := "yes"
		if !s.Met {
			met = "**no**"
		}
		v := s.Value
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", s.Name, fmtNum(&v), s.Unit,
			fmtNum(s.Reference), fmtNum(s.Ratio), s.Target, met, fmtNum(s.P50ms), fmtNum(s.P99ms), s.Errors)
	}
	if len(details) > 0 {
		b.WriteString("\n## This run\n\n")
		for _, d := range details {
			b.WriteString(d)
			if !strings.HasSuffix(d, "\n") {
				b.WriteString("\n")
			}
		}
	}
	if notes != "" {
		b.WriteString("\n")
		b.WriteString(notes)
		if !strings.HasSuffix(notes, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}
