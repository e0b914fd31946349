package grading

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"strconv"
	"testing"
)

// flatScores reads what PostgreSQL writes for objective_scores exactly as
// json.Unmarshal does.
func TestFlatScoresAgreesWithEncodingJSON(t *testing.T) {
	cases := []string{
		`{}`, ` { } `, `{"a": 1}`, `{"q1": 0.5, "q2": 0, "q3": 12.5}`, `{"3f1c-9a": -1.5e1,"x":2}`,
		// Not plain: an escape, a null, a string, a nested object, trailing text.
		`{"a\"b": 1}`, `{"a": null}`, `{"a": "1"}`, `{"a": {"b": 1}}`, `{"a": 1} x`, `{"a": 1,}`, `[1]`, `null`, ``, `{"a" 1}`,
	}
	r := rand.New(rand.NewPCG(15, 35))
	for n := 0; n < 200; n++ {
		m := map[string]float64{}
		for k := r.IntN(60); k > 0; k-- {
			m["q"+strconv.Itoa(r.IntN(1000))] = float64(r.IntN(41)) / 2
		}
		b, _ := json.Marshal(m)
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		var want map[string]float64
		wantErr := json.Unmarshal([]byte(c), &want)
		got, err := flatScores([]byte(c))
		if (err != nil) != (wantErr != nil) || !maps.Equal(got, want) {
			t.Errorf("%q: %v %v, want %v %v", c, got, err, want, wantErr)
		}
	}
}

// The fast path agrees with json.Unmarshal on whatever is valid JSON.
func FuzzFlatScores(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": 1, "b": 0.5}`, `{"a":-2e3}`, `{"a\u0041": 1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want map[string]float64
		if json.Unmarshal([]byte(s), &want) != nil {
			return
		}
		got, err := flatScores([]byte(s))
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("%q: %v %v, want %v", s, got, err, want)
		}
	})
}

// The decode of one attempt's objective scores (50 questions), fast path
// against encoding/json.
func BenchmarkObjectiveScores(b *testing.B) {
	m := map[string]float64{}
	for i := range 50 {
		m["0b9c6a52-7f0e-4c1d-9a7e-5d3b2f1e"+strconv.Itoa(1000+i)] = float64(i%3) / 2
	}
	raw, _ := json.Marshal(m)
	b.Run("flatScores", func(b *testing.B) {
		for b.Loop() {
			if _, err := flatScores(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		for b.Loop() {
			var out map[string]float64
			if err := json.Unmarshal(raw, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
