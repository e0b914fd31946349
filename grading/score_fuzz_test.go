package grading

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"examd/exam"
)

// half turns a fuzzed byte into a non-negative multiple of 0.5, as the
// validator allows for points and scoring values.
func half(b uint8) float64 { return float64(b) / 2 }

// FuzzScore builds a question of every type from the same inputs and checks
// the scorer never panics and stays within [0, MaxPoints] (the multiple-choice
// clamp included, see scoreMultipleChoice), in exact half points.
//
// options, answers and chosen are comma-separated keys; accepted is
// blanks separated by ';' of answers separated by '|'; response is blanks
// separated by ';'.
func FuzzScore(f *testing.F) {
	f.Add("a,b,c,d,e,f,g", "a,b,c,e,g", "a,b,c,d", uint8(2), uint8(2), uint8(0), uint8(2), "客人|客户;2", "客人 ;２", false, false, true)
	f.Add("a,b,c,d,e,f,g", "a,b,c,e,g", "d,f", uint8(2), uint8(2), uint8(2), uint8(1), "ABC", "ＡＢＣ", true, true, true)
	f.Add("a,b", "a", "a,a,z,", uint8(1), uint8(0), uint8(200), uint8(0), " ;\u3000", ";", false, false, false)
	f.Add("", "", "", uint8(0), uint8(0), uint8(0), uint8(0), "", "", false, false, false)
	f.Fuzz(func(t *testing.T, options, answers, chosen string, perCorrect, perWrong, floor, points uint8,
		accepted, response string, caseSensitive, key, value bool) {
		var opts []exam.Option
		for _, k := range strings.Split(options, ",") {
			opts = append(opts, exam.Option{Key: k})
		}
		var blanks []exam.Blank
		for i, a := range strings.Split(accepted, ";") {
			blanks = append(blanks, exam.Blank{
				Accepted:      strings.Split(a, "|"),
				Points:        half(points + uint8(i)),
				CaseSensitive: caseSensitive,
			})
		}
		respBlanks := strings.Split(response, ";")
		choices := strings.Split(chosen, ",")
		sc := &exam.Scoring{PerCorrect: half(perCorrect), PerWrong: half(perWrong), Floor: half(floor)}
		answerKey := "a"
		if len(opts) > 0 {
			answerKey = opts[0].Key
		}
		qs := []exam.Question{
			{Type: exam.TypeTrueFalse, Points: half(points), Answer: raw(key)},
			{Type: exam.TypeSingleChoice, Points: half(points), Options: opts, Answer: raw(answerKey)},
			{Type: exam.TypeMultipleChoice, Options: opts, Answers: strings.Split(answers, ","), Scoring: sc},
			{Type: exam.TypeMultipleChoice, Options: opts, Answers: strings.Split(answers, ",")},
			{Type: exam.TypeFillIn, Blanks: blanks},
			{Type: exam.TypeEssay, Points: half(points)},
		}
		rs := []*exam.Response{
			nil,
			{},
			{Value: &value, Choice: &chosen, Choices: choices, Blanks: respBlanks, Text: &response},
			{Value: &value},
			{Choice: &chosen},
			{Choices: choices},
			{Blanks: respBlanks},
			{Text: &response},
		}
		for qi := range qs {
			q := &qs[qi]
			m := MaxPoints(q)
			for ri, r := range rs {
				s := ScoreResponse(q, r)
				if s < 0 || s > m {
					t.Fatalf("%s response %d: score %v outside [0, %v]", q.Type, ri, s, m)
				}
				if s*2 != float64(int64(s*2)) {
					t.Fatalf("%s response %d: score %v is not a multiple of 0.5", q.Type, ri, s)
				}
				if r == nil && s != 0 {
					t.Fatalf("%s: nil response scored %v", q.Type, s)
				}
			}
			if q.Type == exam.TypeMultipleChoice {
				once := ScoreResponse(q, &exam.Response{Choices: choices})
				twice := ScoreResponse(q, &exam.Response{Choices: append(append([]string(nil), choices...), choices...)})
				if once != twice {
					t.Fatalf("choosing %q twice scores %v, once %v", choices, twice, once)
				}
				if s := ScoreResponse(q, &exam.Response{Choices: []string{}}); s != 0 {
					t.Fatalf("choosing nothing scores %v", s)
				}
			}
		}

		// Typing an accepted answer exactly earns its blank whenever it
		// normalises to something.
		fill := &qs[4]
		for i, b := range blanks {
			resp := make([]string, len(blanks))
			resp[i] = b.Accepted[0]
			want := 0.0
			if Normalize(b.Accepted[0], caseSensitive) != "" {
				want = b.Points
			}
			if got := ScoreResponse(fill, &exam.Response{Blanks: resp}); got != want {
				t.Fatalf("blank %d answered with its key %q scores %v, want %v", i, b.Accepted[0], got, want)
			}
		}

		checkNormalize(t, response, caseSensitive)
		checkNormalize(t, accepted, caseSensitive)
	})
}

// FuzzNormalize checks Normalize's properties on arbitrary strings.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "ＡＢＣ", "客人 ", "a   b", "\u3000a\u3000", "Straße", "\u0390", "ǰ", "\xff", "ﬁ", " \u00a8", "《客人》、“ＯＫ”。", "ｅ\u0301", "客\u3099", "Ａ\u3000Ｂ", "がｶﾞ"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(checkNormalize)
}

func checkNormalize(t *testing.T, s string, caseSensitive bool) {
	n := Normalize(s, caseSensitive)
	if utf8.ValidString(s) && !utf8.ValidString(n) {
		t.Fatalf("Normalize(%q) = %q is not valid UTF-8", s, n)
	}
	if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
		t.Fatalf("Normalize(%q) = %q is not trimmed and collapsed", s, n)
	}
	for _, r := range n {
		if unicode.IsSpace(r) && r != ' ' {
			t.Fatalf("Normalize(%q) = %q keeps white space %U", s, n, r)
		}
	}
	if utf8.ValidString(s) {
		// Idempotence: typing a normalised answer again must match it.
		if nn := Normalize(n, caseSensitive); nn != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, nn)
		}
	}
	if u := normalizeUnicode(s, caseSensitive); u != n {
		t.Fatalf("fast path disagrees: Normalize(%q) = %q, normalizeUnicode = %q", s, n, u)
	}
	if ref := referenceNormalize(s, caseSensitive); ref != n {
		t.Fatalf("Normalize(%q) = %q, reference gives %q", s, n, ref)
	}
	for _, got := range []string{n, "", "a", s} {
		if m := matches(s, got, caseSensitive); m != (n == got) {
			t.Fatalf("matches(%q, %q) = %v, Normalize gives %q", s, got, m, n)
		}
	}
	if !caseSensitive && isASCII(s) {
		if up := Normalize(strings.ToUpper(s), false); up != n {
			t.Fatalf("case-insensitive %q = %q but its upper case gives %q", s, n, up)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
