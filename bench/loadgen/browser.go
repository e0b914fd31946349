package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// The candidate's page as a phone sees it. scripts/bench.sh measures both
// outside the load generator, against this run's examd, and hands over
// their JSON lines: frontend/scripts/candidate-budget.mjs (the candidate's
// JavaScript, gzipped) and the browser test
// frontend/e2e/take-slow-network.test.ts (Chromium on an emulated
// 1.6 Mbit/s, 150 ms network: time to the first answerable question).

const (
	candidateJSBudget = 80 * 1024 // bytes gzipped
	phoneFirstAnswer  = 3000      // ms
)

type phoneVisit struct {
	Ms    float64 `json:"ms"`
	Bytes float64 `json:"bytes"`
}

// lastJSON decodes the last line of path that holds a JSON object into v.
func lastJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 && l[0] == '{' {
			last = append(last[:0], l...)
		}
	}
	if last == nil {
		return fmt.Errorf("%s holds no JSON line", path)
	}
	return json.Unmarshal(last, v)
}

// browserRows adds "candidate page JavaScript" and "candidate page on a
// phone network"; a figure that could not be taken is a failed row.
func (b *bench) browserRows(budgetPath, phonePath string) {
	if budgetPath != "" {
		var jsb struct {
			Bytes  float64  `json:"candidate_js_gzip_bytes"`
			Chunks []string `json:"chunks"`
		}
		if err := lastJSON(budgetPath, &jsb); err != nil || jsb.Bytes <= 0 {
			b.fail("candidate page JavaScript: not measured (%v)", err)
			b.add(Scenario{Name: "candidate page JavaScript", Unit: "B gzipped", Target: "<= 81920 (80 KB)", Errors: 1})
		} else {
			b.add(Scenario{Name: "candidate page JavaScript", Value: jsb.Bytes, Unit: "B gzipped",
				Target: "<= 81920 (80 KB)", Met: jsb.Bytes <= candidateJSBudget})
			b.detail("candidate page JavaScript: %.0f B gzipped (level 9) in %d chunk(s) %v, what /take/<token> loads before its first question.", jsb.Bytes, len(jsb.Chunks), jsb.Chunks)
		}
	}
	if phonePath != "" {
		var ph struct {
			P struct {
				Fresh   phoneVisit `json:"fresh"`
				Resumed phoneVisit `json:"resumed"`
			} `json:"candidate_page_phone_network"`
		}
		if err := lastJSON(phonePath, &ph); err != nil || ph.P.Fresh.Ms <= 0 || ph.P.Resumed.Ms <= 0 {
			b.fail("candidate page on a phone network: not measured (%v)", err)
			b.add(Scenario{Name: "candidate page on a phone network", Unit: "ms", Target: "<= 3000", Errors: 1})
			return
		}
		fresh, resumed := ph.P.Fresh, ph.P.Resumed
		worst := max(fresh.Ms, resumed.Ms)
		b.add(Scenario{Name: "candidate page on a phone network", Value: worst, Unit: "ms to the first answerable question (slower of fresh, resumed)",
			Target: "<= 3000", Met: worst <= phoneFirstAnswer,
			Extra: map[string]float64{"fresh_ms": fresh.Ms, "fresh_bytes": fresh.Bytes, "resumed_ms": resumed.Ms, "resumed_bytes": resumed.Bytes}})
		b.detail("candidate page on a phone network (Chromium, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, 390×844): fresh attempt %.0f ms to the first answerable question (start button clicked on the way), %.0f B transferred; resumed attempt %.0f ms, %.0f B.",
			fresh.Ms, fresh.Bytes, resumed.Ms, resumed.Bytes)
	}
}
