package grading

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"examd/exam"
)

func bptr(b bool) *bool      { return &b }
func sptr(s string) *string  { return &s }
func keys(s string) []string { return strings.Split(s, "") }
func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func tfQ(points float64, key bool) exam.Question {
	return exam.Question{Type: exam.TypeTrueFalse, Points: points, Answer: raw(key)}
}

func scQ(points float64, key string, opts string) exam.Question {
	return exam.Question{Type: exam.TypeSingleChoice, Points: points, Answer: raw(key), Options: options(opts)}
}

func options(opts string) []exam.Option {
	var o []exam.Option
	for _, k := range keys(opts) {
		o = append(o, exam.Option{Key: k, Text: "option " + k})
	}
	return o
}

// mcQ is a multiple_choice question; opts and answers are one key per letter.
func mcQ(opts, answers string, s *exam.Scoring) exam.Question {
	return exam.Question{Type: exam.TypeMultipleChoice, Options: options(opts), Answers: keys(answers), Scoring: s}
}

// fiveA is the seed exam's 智能化写字楼所说的“5A”是指: seven options a–g of which
// a, b, c, e and g are the five As.
func fiveA(s *exam.Scoring) exam.Question { return mcQ("abcdefg", "abceg", s) }

func fillQ(blanks ...exam.Blank) exam.Question {
	return exam.Question{Type: exam.TypeFillIn, Blanks: blanks}
}

func blank(points float64, accepted ...string) exam.Blank {
	return exam.Blank{Accepted: accepted, Points: points}
}

func csBlank(points float64, accepted ...string) exam.Blank {
	return exam.Blank{Accepted: accepted, Points: points, CaseSensitive: true}
}

func TestScore(t *testing.T) {
	essay := exam.Question{Type: exam.TypeEssay, Points: 20}
	tests := []struct {
		name string
		q    exam.Question
		r    *exam.Response
		want float64
	}{
		// true_false
		{"tf right false", tfQ(1, false), &exam.Response{Value: bptr(false)}, 1},
		{"tf right true", tfQ(2.5, true), &exam.Response{Value: bptr(true)}, 2.5},
		{"tf wrong", tfQ(1, false), &exam.Response{Value: bptr(true)}, 0},
		{"tf nil response", tfQ(1, false), nil, 0},
		{"tf no value", tfQ(1, false), &exam.Response{}, 0},
		{"tf wrong shape", tfQ(1, false), &exam.Response{Choice: sptr("false")}, 0},
		{"tf key with spaces", exam.Question{Type: exam.TypeTrueFalse, Points: 1, Answer: json.RawMessage(" true ")}, &exam.Response{Value: bptr(true)}, 1},
		{"tf key not a boolean", exam.Question{Type: exam.TypeTrueFalse, Points: 1, Answer: json.RawMessage(`"false"`)}, &exam.Response{Value: bptr(false)}, 0},
		{"tf no key", exam.Question{Type: exam.TypeTrueFalse, Points: 1}, &exam.Response{Value: bptr(false)}, 0},

		// single_choice
		{"sc right", scQ(1, "a", "ab"), &exam.Response{Choice: sptr("a")}, 1},
		{"sc wrong", scQ(1, "a", "ab"), &exam.Response{Choice: sptr("b")}, 0},
		{"sc unknown key", scQ(1, "a", "ab"), &exam.Response{Choice: sptr("z")}, 0},
		{"sc case matters", scQ(1, "a", "ab"), &exam.Response{Choice: sptr("A")}, 0},
		{"sc nil response", scQ(1, "a", "ab"), nil, 0},
		{"sc no choice", scQ(1, "a", "ab"), &exam.Response{}, 0},
		{"sc wrong shape", scQ(1, "a", "ab"), &exam.Response{Choices: []string{"a"}}, 0},
		{"sc escaped key", exam.Question{Type: exam.TypeSingleChoice, Points: 1.5, Answer: json.RawMessage(`"\u0061"`)}, &exam.Response{Choice: sptr("a")}, 1.5},
		{"sc non-ASCII key", scQ(1, "甲", "甲乙"), &exam.Response{Choice: sptr("甲")}, 1},
		{"sc key not a string", exam.Question{Type: exam.TypeSingleChoice, Points: 1, Answer: json.RawMessage(`1`)}, &exam.Response{Choice: sptr("1")}, 0},

		// multiple_choice, the seed's 5A question worked by hand (default +1/−1, floor 0)
		{"5A a,b,c,d: 3−1", fiveA(nil), &exam.Response{Choices: keys("abcd")}, 2},
		{"5A d,f: floored", fiveA(nil), &exam.Response{Choices: keys("df")}, 0},
		{"5A all seven: 5−2", fiveA(nil), &exam.Response{Choices: keys("abcdefg")}, 3},
		{"5A the five", fiveA(nil), &exam.Response{Choices: keys("gecba")}, 5},
		{"5A none", fiveA(nil), &exam.Response{Choices: []string{}}, 0},
		{"5A nil choices", fiveA(nil), &exam.Response{}, 0},
		{"5A nil response", fiveA(nil), nil, 0},
		{"5A explicit default", fiveA(&exam.DefaultScoring), &exam.Response{Choices: keys("abcd")}, 2},
		{"5A floor 1, d only", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 1}), &exam.Response{Choices: keys("d")}, 1},
		{"5A floor 1, above it", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 1}), &exam.Response{Choices: keys("abcd")}, 2},
		{"5A floor 1, none still 0", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 1}), &exam.Response{Choices: []string{}}, 0},
		{"5A +2/−0.5 a,b,c,d", fiveA(&exam.Scoring{PerCorrect: 2, PerWrong: 0.5}), &exam.Response{Choices: keys("abcd")}, 5.5},
		{"5A +2/−0.5 all seven", fiveA(&exam.Scoring{PerCorrect: 2, PerWrong: 0.5}), &exam.Response{Choices: keys("abcdefg")}, 9},
		{"5A +2/−0.5 d,f", fiveA(&exam.Scoring{PerCorrect: 2, PerWrong: 0.5}), &exam.Response{Choices: keys("df")}, 0},
		{"5A +0.5/−0 a,d,f", fiveA(&exam.Scoring{PerCorrect: 0.5, PerWrong: 0}), &exam.Response{Choices: keys("adf")}, 0.5},
		{"5A +1/−2 a,b,c,d", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 2}), &exam.Response{Choices: keys("abcd")}, 1},
		{"5A +1/−2 a,d floor 0.5", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 2, Floor: 0.5}), &exam.Response{Choices: keys("ad")}, 0.5},
		{"5A duplicates count once", fiveA(nil), &exam.Response{Choices: []string{"a", "a", "a", "d", "d"}}, 0},
		{"5A duplicates of right count once", fiveA(nil), &exam.Response{Choices: []string{"a", "b", "a", "b"}}, 2},
		{"5A unknown keys ignored", fiveA(nil), &exam.Response{Choices: []string{"a", "z", "A", ""}}, 1},
		{"5A only unknown keys is nothing", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 1}), &exam.Response{Choices: []string{"z"}}, 0},
		// The floor/clamp decision: a floor above the maximum gives the
		// maximum, never more.
		{"5A floor above max clamps", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 6}), &exam.Response{Choices: keys("d")}, 5},
		{"5A floor equals max", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 5}), &exam.Response{Choices: keys("df")}, 5},
		{"5A floor above max, none still 0", fiveA(&exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 6}), &exam.Response{}, 0},
		{"mc wrong shape", fiveA(nil), &exam.Response{Choice: sptr("a")}, 0},
		{"mc many options", mcQ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()", "aZ(", nil), &exam.Response{Choices: []string{"a", "Z", "(", ")", ")", "a"}}, 2},

		// fill_in
		{"fill exact", fillQ(blank(1, "客人")), &exam.Response{Blanks: []string{"客人"}}, 1},
		{"fill trailing space", fillQ(blank(1, "客人")), &exam.Response{Blanks: []string{"客人 "}}, 1},
		{"fill ideographic spaces", fillQ(blank(1, "客人")), &exam.Response{Blanks: []string{"\u3000客人\u3000\u3000"}}, 1},
		{"fill inner ideographic space", fillQ(blank(1, "上司 客人")), &exam.Response{Blanks: []string{"上司\u3000\t 客人"}}, 1},
		{"fill wrong", fillQ(blank(1, "客人")), &exam.Response{Blanks: []string{"上司"}}, 0},
		{"fill full-width letters", fillQ(blank(1, "abc")), &exam.Response{Blanks: []string{"ＡＢＣ"}}, 1},
		{"fill full-width key", fillQ(blank(1, "ＡＢＣ")), &exam.Response{Blanks: []string{"abc"}}, 1},
		{"fill full-width digit", fillQ(blank(0.5, "2")), &exam.Response{Blanks: []string{"２"}}, 0.5},
		{"fill full-width punctuation", fillQ(blank(1, "A-1(b)")), &exam.Response{Blanks: []string{"ａ－１（Ｂ）"}}, 1},
		{"fill inner spaces", fillQ(blank(1, "a b")), &exam.Response{Blanks: []string{"  a   b "}}, 1},
		{"fill spaces are not nothing", fillQ(blank(1, "ab")), &exam.Response{Blanks: []string{"a b"}}, 0},
		{"fill case-insensitive", fillQ(blank(1, "Fire Exit")), &exam.Response{Blanks: []string{"fire EXIT"}}, 1},
		{"fill case-insensitive full fold", fillQ(blank(1, "STRASSE")), &exam.Response{Blanks: []string{"straße"}}, 1},
		{"fill case-sensitive same case", fillQ(csBlank(1, "pH")), &exam.Response{Blanks: []string{" pH "}}, 1},
		{"fill case-sensitive other case", fillQ(csBlank(1, "pH")), &exam.Response{Blanks: []string{"PH"}}, 0},
		{"fill case-sensitive full-width other case", fillQ(csBlank(1, "pH")), &exam.Response{Blanks: []string{"ｐｈ"}}, 0},
		{"fill case-sensitive full-width same case", fillQ(csBlank(1, "pH")), &exam.Response{Blanks: []string{"ｐＨ"}}, 1},
		{"fill second accepted", fillQ(blank(1, "客人", "客户")), &exam.Response{Blanks: []string{"客户"}}, 1},
		{"fill blanks independent, both", fillQ(blank(1, "a"), blank(2, "b"), blank(0.5, "c")), &exam.Response{Blanks: []string{"a", "b", "c"}}, 3.5},
		{"fill blanks independent, middle", fillQ(blank(1, "a"), blank(2, "b"), blank(0.5, "c")), &exam.Response{Blanks: []string{"x", "b", "x"}}, 2},
		{"fill blanks in order only", fillQ(blank(1, "a"), blank(2, "b")), &exam.Response{Blanks: []string{"b", "a"}}, 0},
		{"fill fewer blanks", fillQ(blank(1, "a"), blank(2, "b")), &exam.Response{Blanks: []string{"a"}}, 1},
		{"fill more blanks", fillQ(blank(1, "a")), &exam.Response{Blanks: []string{"a", "b", "c"}}, 1},
		{"fill empty never matches", fillQ(blank(1, " ")), &exam.Response{Blanks: []string{""}}, 0},
		{"fill blank only space never matches", fillQ(blank(1, "\u3000")), &exam.Response{Blanks: []string{"  "}}, 0},
		{"fill nil response", fillQ(blank(1, "a")), nil, 0},
		{"fill no blanks", fillQ(blank(1, "a")), &exam.Response{}, 0},
		{"fill wrong shape", fillQ(blank(1, "a")), &exam.Response{Text: sptr("a")}, 0},

		// essay: reviewers score it
		{"essay with text", essay, &exam.Response{Text: sptr("客户服务")}, 0},
		{"essay nil", essay, nil, 0},

		// unknown type
		{"unknown type", exam.Question{Type: "ranking", Points: 3}, &exam.Response{Choice: sptr("a")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreResponse(&tt.q, tt.r)
			if got != tt.want {
				t.Fatalf("Score = %v, want %v", got, tt.want)
			}
			if m := MaxPoints(&tt.q); got < 0 || got > m {
				t.Fatalf("Score = %v outside [0, MaxPoints %v]", got, m)
			}
		})
	}
}

func TestMaxPoints(t *testing.T) {
	tests := []struct {
		name string
		q    exam.Question
		want float64
	}{
		{"tf", tfQ(1.5, true), 1.5},
		{"sc", scQ(2, "a", "ab"), 2},
		{"essay", exam.Question{Type: exam.TypeEssay, Points: 20}, 20},
		{"5A default", fiveA(nil), 5},
		{"5A per_correct 2", fiveA(&exam.Scoring{PerCorrect: 2, PerWrong: 0.5}), 10},
		{"5A per_correct 0.5", fiveA(&exam.Scoring{PerCorrect: 0.5, PerWrong: 1, Floor: 1}), 2.5},
		{"fill", fillQ(blank(1, "a"), blank(0.5, "b"), blank(2, "c")), 3.5},
		{"unknown", exam.Question{Type: "ranking", Points: 3}, 0},
	}
	for _, tt := range tests {
		if got := MaxPoints(&tt.q); got != tt.want {
			t.Errorf("%s: MaxPoints = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in            string
		caseSensitive bool
		want          string
	}{
		{"", false, ""},
		{"abc", false, "abc"},
		{"ABC", false, "abc"},
		{"ABC", true, "ABC"},
		{"ＡＢＣ", false, "abc"},
		{"ＡＢＣ", true, "ABC"},
		{"２", false, "2"},
		{"１２３", true, "123"},
		{"（ａ）", false, "(a)"},
		{"客人 ", false, "客人"},
		{" 客人", true, "客人"},
		{"a   b", false, "a b"},
		{"\ta \n\r b\v\f", false, "a b"},
		{"\u3000客\u3000\u3000人\u3000", false, "客 人"},
		{"a\u00a0b", false, "a b"},
		{"a\u2003\u2009b", false, "a b"},
		{"a\u0085b", false, "a b"},
		{"   ", false, ""},
		{"\u3000", false, ""},
		{"Straße", false, "strasse"},
		{"Straße", true, "Straße"},
		{"ﬁre", false, "fire"},
		{"Ｆｉｒｅ　Ｅｘｉｔ", false, "fire exit"},
		{"ｶﾀｶﾅ", false, "カタカナ"},
		{"\u0390", false, "\u0390"},
		{"e\u0301", false, "\u00e9"},
		{"É", false, "é"},
		{"客人A", false, "客人a"},
		{"\xff a  b", false, "\xff a b"},
		{"《客人》、“ＯＫ”。", false, "《客人》、“ok”。"},
		{"\u3000\u3000", true, ""},
		{"Ａ\u3000\u3000Ｂ", true, "A B"},
		{"客人\u0301", false, "客人\u0301"},
		{"ｅ\u0301", false, "\u00e9"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in, tt.caseSensitive); got != tt.want {
			t.Errorf("Normalize(%q, %v) = %q, want %q", tt.in, tt.caseSensitive, got, tt.want)
		}
		if got := normalizeUnicode(tt.in, tt.caseSensitive); got != tt.want {
			t.Errorf("normalizeUnicode(%q, %v) = %q, want %q", tt.in, tt.caseSensitive, got, tt.want)
		}
		if got := referenceNormalize(tt.in, tt.caseSensitive); got != tt.want {
			t.Errorf("referenceNormalize(%q, %v) = %q, want %q", tt.in, tt.caseSensitive, got, tt.want)
		}
	}
}

func TestNormalizeAllocs(t *testing.T) {
	for _, s := range []string{"客人", "abc", "a b", "写字楼 客户服务经理", "5a", "カタカナ", "한국"} {
		if n := testing.AllocsPerRun(100, func() { Normalize(s, false) }); n != 0 {
			t.Errorf("Normalize(%q) allocates %v times, want 0 for an already normal string", s, n)
		}
	}
	for _, s := range []string{"ＡＢＣ", "客人\u3000", "A  B", "２４"} {
		if n := testing.AllocsPerRun(100, func() { Normalize(s, false) }); n != 1 {
			t.Errorf("Normalize(%q) allocates %v times, want 1", s, n)
		}
		if n := testing.AllocsPerRun(100, func() { matches(s, "x", false) }); n != 0 {
			t.Errorf("matches(%q) allocates %v times, want 0", s, n)
		}
	}
}

// TestSimpleRunes checks the premises of Normalize's fast path against
// x/text: each rune it handles maps under NFKC to what appendSimple writes,
// folds to what appendSimple writes, is white space exactly when the fast
// path treats it so, and is a starter that never composes with the rune
// before it, so a string of them normalises rune by rune.
func TestSimpleRunes(t *testing.T) {
	fold := cases.Fold()
	n := 0
	for r := rune(0); r <= 0x10FFFF; r++ {
		var want string
		switch {
		case r < utf8.RuneSelf:
			want = string(r)
		case r == '\u3000':
			want = " "
		case fullWidth(r):
			want = string(r - 0xFEE0)
		case keepRune(r):
			want = string(r)
		default:
			continue
		}
		n++
		s := string(r)
		if got := norm.NFKC.String(s); got != want {
			t.Fatalf("NFKC(U+%04X) = %q, fast path writes %q", r, got, want)
		}
		if !norm.NFKC.PropertiesString(s).BoundaryBefore() || !norm.NFKC.PropertiesString(want).BoundaryBefore() {
			t.Fatalf("U+%04X may compose with the rune before it", r)
		}
		if unicode.IsSpace(r) != (r == '\u3000' || r < utf8.RuneSelf && asciiSpace(byte(r))) {
			t.Fatalf("U+%04X: unicode.IsSpace disagrees with the fast path", r)
		}
		if got, lower := fold.String(want), strings.ToLower(want); got != lower {
			t.Fatalf("fold(U+%04X) = %q, fast path writes %q", r, got, lower)
		}
		if got := string(appendSimple(nil, s, false)); got != strings.TrimSpace(strings.ToLower(want)) {
			t.Fatalf("appendSimple(U+%04X) = %q", r, got)
		}
	}
	if n < 20000 {
		t.Fatalf("only %d runes checked", n)
	}
}

// referenceNormalize is Normalize written as plainly as x/text allows, with
// no fast path: the fuzz tests hold Normalize to it.
func referenceNormalize(s string, caseSensitive bool) string {
	s = norm.NFKC.String(s)
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if !caseSensitive {
		s = norm.NFKC.String(cases.Fold().String(s))
	}
	return s
}

// TestCaselessRanges checks the runes caseless lets skip the fold really are
// left alone by it.
func TestCaselessRanges(t *testing.T) {
	fold := cases.Fold()
	for r := rune(0); r <= 0x10FFFF; r++ {
		if !caselessRune(r) {
			continue
		}
		s := string(r)
		if got := fold.String(s); got != s {
			t.Fatalf("U+%04X folds to %q, but caselessRune says it has no case", r, got)
		}
	}
}

// TestAnswerFastPaths checks the hand-decoding of keys agrees with exam's
// AnswerBool and AnswerKey.
func TestAnswerFastPaths(t *testing.T) {
	for _, a := range []string{"", "true", "false", " true", "false\n", "null", `"true"`, "1", "tru", "{}"} {
		q := exam.Question{Answer: json.RawMessage(a)}
		v1, ok1 := answerBool(&q)
		v2, ok2 := q.AnswerBool()
		if v1 != v2 || ok1 != ok2 {
			t.Errorf("answerBool(%q) = %v, %v; AnswerBool = %v, %v", a, v1, ok1, v2, ok2)
		}
	}
	for _, a := range []string{"", `"a"`, `""`, `"abc"`, `"\u0061"`, `"a\"b"`, `"客"`, "\"\xff\"", ` "a"`, `"a`, `1`, `null`, `"a" `, "\"\t\""} {
		q := exam.Question{Answer: json.RawMessage(a)}
		k1, ok1 := answerKey(&q)
		k2, ok2 := q.AnswerKey()
		if k1 != k2 || ok1 != ok2 {
			t.Errorf("answerKey(%q) = %q, %v; AnswerKey = %q, %v", a, k1, ok1, k2, ok2)
		}
	}
}

func TestScoreAttempt(t *testing.T) {
	d := &exam.Document{
		Title:  "客户服务经理面试题",
		Tracks: []string{"manager", "supervisor"},
		Sections: []exam.Section{
			{ID: "s1", Title: "一、填空", Questions: []exam.Question{
				withID("q1", fillQ(blank(1, "客人"))),
				withID("q2", fillQ(blank(1, "a"), blank(1, "b"))),
			}},
			{ID: "s2", Title: "二、判断", Questions: []exam.Question{
				withID("q3", tfQ(1, false)),
				withTracks(withID("q4", tfQ(1, true)), "supervisor"),
			}},
			{ID: "s4", Title: "四、多项选择", Questions: []exam.Question{
				withID("q5", fiveA(nil)),
			}},
			{ID: "s6", Title: "六、论述", Questions: []exam.Question{
				withTracks(withID("q6", exam.Question{Type: exam.TypeEssay, Points: 20}), "manager"),
				withTracks(withID("q7", exam.Question{Type: exam.TypeEssay, Points: 15}), "supervisor"),
				withID("q8", exam.Question{Type: exam.TypeEssay, Points: 10}),
				withTracks(withID("q9", exam.Question{Type: exam.TypeEssay, Points: 6}), "manager", "supervisor"),
			}},
		},
	}
	responses := map[string]exam.Response{
		"q1": {Blanks: []string{"客人\u3000"}},
		"q2": {Blanks: []string{"Ａ", "c"}},
		"q3": {Value: bptr(false)},
		"q4": {Value: bptr(true)},
		"q5": {Choices: keys("abcd")},
		"q6": {Text: sptr("做好客户沟通……")},
		"q7": {Text: sptr(" \u3000\n\t")},
		"q8": {Text: sptr("")},
		// q9 unanswered
		"other": {Text: sptr("a response to no question is ignored")},
	}
	// A question scores the same on every track that has it: the track only
	// picks which of these results the attempt has, in document order.
	result := map[string]QuestionResult{
		"q1": {"q1", "s1", exam.TypeFillIn, 1, 1, false},
		"q2": {"q2", "s1", exam.TypeFillIn, 1, 2, false},
		"q3": {"q3", "s2", exam.TypeTrueFalse, 1, 1, false},
		"q4": {"q4", "s2", exam.TypeTrueFalse, 1, 1, false},
		"q5": {"q5", "s4", exam.TypeMultipleChoice, 2, 5, false},
		"q6": {"q6", "s6", exam.TypeEssay, 0, 20, true},
		"q7": {"q7", "s6", exam.TypeEssay, 0, 15, false},
		"q8": {"q8", "s6", exam.TypeEssay, 0, 10, false},
		"q9": {"q9", "s6", exam.TypeEssay, 0, 6, false},
	}
	tests := []struct {
		track   string
		ids     []string
		auto    float64
		max     float64
		pending int
	}{
		{"manager", []string{"q1", "q2", "q3", "q5", "q6", "q8", "q9"}, 5, 45, 1},
		{"supervisor", []string{"q1", "q2", "q3", "q4", "q5", "q7", "q8", "q9"}, 6, 41, 0},
		// An exam without tracks: every question.
		{"", []string{"q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"}, 6, 61, 1},
	}
	for _, tt := range tests {
		t.Run("track="+tt.track, func(t *testing.T) {
			got := ScoreAttempt(d, tt.track, responses)
			want := make([]QuestionResult, len(tt.ids))
			for i, id := range tt.ids {
				want[i] = result[id]
			}
			if !reflect.DeepEqual(got.Questions, want) {
				t.Errorf("Questions =\n%+v\nwant\n%+v", got.Questions, want)
			}
			if got.Auto != tt.auto || got.Max != tt.max || got.PendingEssays != tt.pending {
				t.Errorf("Auto, Max, PendingEssays = %v, %v, %v; want %v, %v, %v",
					got.Auto, got.Max, got.PendingEssays, tt.auto, tt.max, tt.pending)
			}
		})
	}

	t.Run("no responses", func(t *testing.T) {
		got := ScoreAttempt(d, "manager", nil)
		if got.Auto != 0 || got.Max != 45 || got.PendingEssays != 0 || len(got.Questions) != 7 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("empty document", func(t *testing.T) {
		got := ScoreAttempt(&exam.Document{}, "", responses)
		if got.Auto != 0 || got.Max != 0 || got.PendingEssays != 0 || len(got.Questions) != 0 {
			t.Errorf("got %+v", got)
		}
	})
}

func withID(id string, q exam.Question) exam.Question { q.ID = id; return q }

func withTracks(q exam.Question, tracks ...string) exam.Question { q.Tracks = tracks; return q }
