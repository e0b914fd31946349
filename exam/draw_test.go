package exam

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// drawDoc is viewDoc with two draw sections: one with a listed question of
// one track, one drawing alone, each from its own pool.
func drawDoc(shuffleQ, shuffleO bool) *Document {
	d := viewDoc(shuffleQ, shuffleO)
	pool := func(prefix string, n int) []Question {
		var qs []Question
		for i := range n {
			qs = append(qs, Question{ID: fmt.Sprintf("%s%d", prefix, i), Type: TypeSingleChoice, Prompt: fmt.Sprintf("抽题 %s %d <&>", prefix, i), Points: 2,
				Answer: json.RawMessage(`"a"`), Options: []Option{{"a", "甲"}, {"b", "乙"}, {"c", "丙"}}})
		}
		return qs
	}
	d.Sections = append(d.Sections,
		Section{ID: "d1", Title: "抽题一", Questions: []Question{{ID: "l1", Type: TypeTrueFalse, Prompt: "p", Points: 1, Answer: json.RawMessage("true"), Tracks: []string{"manager"}}},
			Draw: &Draw{Count: 4, Tags: []string{"x"}}, Pool: pool("p", 40)},
		Section{ID: "d2", Title: "抽题二", Draw: &Draw{Count: 3}, Pool: pool("r", 7)})
	return d
}

// The encoded view of a drawing version, composed with an attempt's drawn
// ids, is byte for byte the view of the attempt's own document.
func TestViewJSONOfDrawsEqualsCandidateView(t *testing.T) {
	checkViewJSON(t, drawDoc, (*Document).DrawQuestions)
}

// Each draw takes Count distinct questions of its own pool, the same for
// a seed, different across seeds.
func TestDrawQuestionsDistinctPerSectionAndSeed(t *testing.T) {
	d := drawDoc(false, false)
	seen := map[string]bool{}
	for seed := range int64(50) {
		drawn := d.DrawQuestions(seed)
		if !slices.Equal(drawn, d.DrawQuestions(seed)) {
			t.Fatalf("seed %d draws differently twice", seed)
		}
		if len(drawn) != 7 {
			t.Fatalf("seed %d drew %v", seed, drawn)
		}
		for i, id := range drawn {
			if (i < 4) != (id[0] == 'p') || slices.Contains(drawn[:i], id) {
				t.Fatalf("seed %d drew %v", seed, drawn)
			}
		}
		seen[fmt.Sprint(drawn)] = true
	}
	if len(seen) < 45 {
		t.Fatalf("50 seeds made %d different draws", len(seen))
	}
}

// sample is a uniform draw: over many runs every index comes first about
// equally often, and k ≥ n gives a permutation.
func TestSampleIsUniformAndDistinct(t *testing.T) {
	r := seededRand(1, "t")
	if got := slices.Sorted(slices.Values(sample(r, 6, 10))); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Fatalf("sample of all: %v", got)
	}
	first := make([]int, 10)
	for range 20000 {
		s := sample(r, 10, 3)
		if len(s) != 3 || s[0] == s[1] || s[0] == s[2] || s[1] == s[2] {
			t.Fatalf("sample %v", s)
		}
		first[s[0]]++
	}
	for i, n := range first {
		if n < 1700 || n > 2300 {
			t.Fatalf("index %d first %d times of 20000: %v", i, n, first)
		}
	}
}

func BenchmarkDrawnAttemptView(b *testing.B) {
	d := drawDoc(true, true)
	for i := range d.Sections[4:] {
		s := &d.Sections[4+i]
		for len(s.Pool) < 1000 {
			q := s.Pool[0]
			q.ID = fmt.Sprintf("%s-%d", s.ID, len(s.Pool))
			s.Pool = append(s.Pool, q)
		}
	}
	b.Run("rebuild", func(b *testing.B) {
		b.ReportAllocs()
		for seed := range int64(b.N) {
			v, _ := newViewJSON(d.ForAttempt(d.DrawQuestions(seed)), "manager")
			_ = v.appendView(nil, seed, nil)
		}
	})
	b.Run("encode version", func(b *testing.B) { // once per version, track and cached document
		b.ReportAllocs()
		for b.Loop() {
			_, _ = newViewJSON(d, "manager")
		}
	})
	b.Run("composed", func(b *testing.B) {
		v, _ := newViewJSON(d, "manager")
		buf := make([]byte, 0, 16<<10)
		b.ReportAllocs()
		for seed := range int64(b.N) {
			buf = v.appendView(buf[:0], seed, d.DrawQuestions(seed))
		}
	})
}

// Autosave finds a question of a drawing attempt without building its
// document: the same question as ForAttempt(drawn).FindQuestion for every
// listed, drawn and undrawn id in both tracks, and nothing for a pool
// question the attempt did not draw.
func TestFindAttemptQuestionAgreesWithForAttempt(t *testing.T) {
	d := drawDoc(false, false)
	for seed := range int64(20) {
		drawn := d.DrawQuestions(seed)
		own := d.ForAttempt(drawn)
		var ids []string
		for _, s := range d.Sections {
			for _, q := range append(slices.Clip(s.Questions), s.Pool...) {
				ids = append(ids, q.ID)
			}
		}
		ids = append(ids, "nope")
		for _, track := range []string{"", "manager", "supervisor"} {
			for _, id := range ids {
				want, got := own.FindQuestion(id, track), d.FindAttemptQuestion(id, track, drawn)
				if (want == nil) != (got == nil) || (want != nil && want.ID != got.ID) {
					t.Fatalf("seed %d, track %q, %s: found %v, ForAttempt finds %v", seed, track, id, got, want)
				}
				if slices.Contains(drawn, id) && got == nil {
					t.Fatalf("seed %d: drawn %s not found", seed, id)
				}
			}
		}
	}
}
