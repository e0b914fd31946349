package grading

import (
	"math"
	"testing"
)

// scanPoints must agree with encoding/json on what PostgreSQL writes and
// hand anything its fast path does not take to encoding/json.
func TestScanPoints(t *testing.T) {
	pos := map[string]int{"q1": 0, "q2": 1, "键": 2}
	cases := []struct {
		raw    string
		points []float64
		had    []bool
		bad    bool
	}{
		{raw: ``, points: []float64{0, 0, 0}, had: []bool{false, false, false}},
		{raw: `{}`, points: []float64{0, 0, 0}, had: []bool{false, false, false}},
		{raw: `{"q1": 1.5, "q9": 7, "键": -0.25}`, points: []float64{1.5, 0, -0.25}, had: []bool{true, false, true}},
		{raw: `{"q2":1e1,"q1":0}`, points: []float64{0, 10, 0}, had: []bool{true, true, false}},
		{raw: `{"q1": 0.1, "q2": 2.675}`, points: []float64{0.1, 2.675, 0}, had: []bool{true, true, false}},
		// An escaped key goes through encoding/json.
		{raw: `{"q\u0031": 2, "q2": 3}`, points: []float64{2, 3, 0}, had: []bool{true, true, false}},
		{raw: `{"q1": "x"}`, bad: true},
		{raw: `{"q1": 1`, bad: true},
		{raw: `[1]`, bad: true},
	}
	for _, c := range cases {
		points, had := make([]float64, 3), make([]bool, 3)
		err := scanPoints([]byte(c.raw), pos, points, had)
		if c.bad {
			if err == nil {
				t.Errorf("%s: no error", c.raw)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.raw, err)
		}
		for i := range points {
			if math.Float64bits(points[i]) != math.Float64bits(c.points[i]) || had[i] != c.had[i] {
				t.Errorf("%s: points %v had %v, want %v %v", c.raw, points, had, c.points, c.had)
				break
			}
		}
	}
}
