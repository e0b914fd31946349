package exam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// viewDoc is an exam with every question type, tracks, options to shuffle
// and text that JSON must escape.
func viewDoc(shuffleQ, shuffleO bool) *Document {
	pts := func(v float64) float64 { return v }
	d := &Document{Title: "t", TimeLimitSeconds: 60, Tracks: []string{"manager", "supervisor"}, ShuffleQuestions: shuffleQ, ShuffleOptions: shuffleO}
	for si := range 4 {
		s := Section{ID: fmt.Sprintf("s%d", si), Title: fmt.Sprintf("第%d部分 <&>", si), Instructions: "每题1分 \"quoted\""}
		if si == 3 {
			s.Instructions = ""
		}
		for qi := range 6 {
			id := fmt.Sprintf("q%d-%d", si, qi)
			var q Question
			switch qi % 5 {
			case 0:
				q = Question{Type: TypeFillIn, Prompt: "填{{1}}和{{2}}", Blanks: []Blank{{Accepted: []string{"a"}, Points: 1}, {Accepted: []string{"b"}, Points: 0.5}}}
			case 1:
				q = Question{Type: TypeTrueFalse, Prompt: "判断 <b>", Points: pts(1), Answer: json.RawMessage("true")}
			case 2:
				q = Question{Type: TypeSingleChoice, Prompt: "单选", Points: 2, Answer: json.RawMessage(`"b"`),
					Options: []Option{{"a", "是"}, {"b", "不是 & 否"}, {"c", "c"}, {"d", "d"}}}
			case 3:
				q = Question{Type: TypeMultipleChoice, Prompt: "多选", Answers: []string{"a", "c"}, Scoring: &Scoring{PerCorrect: 1, PerWrong: 0.5, Floor: 0},
					Options: []Option{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}, {"f", "6"}, {"g", "7"}}}
			case 4:
				q = Question{Type: TypeEssay, Prompt: "论述\n换行", Points: 20, ReferenceAnswer: "secret", Rubric: []RubricItem{{"x", 5}}}
			}
			q.ID = id
			if qi == 5 {
				q.Tracks = []string{"manager"}
			}
			if si == 2 {
				q.Tracks = []string{"supervisor"} // a section empty for managers
			}
			s.Questions = append(s.Questions, q)
		}
		d.Sections = append(d.Sections, s)
	}
	return d
}

func TestViewJSONEqualsCandidateView(t *testing.T) {
	checkViewJSON(t, viewDoc, func(*Document, int64) DrawnIDs { return nil })
}

// checkViewJSON compares, for every shuffle setting, track and a range of
// seeds, appendView with json.Marshal(CandidateView(...)) of the
// attempt's own document (its questions drawn by draw).
func checkViewJSON(t *testing.T, doc func(shuffleQ, shuffleO bool) *Document, draw func(*Document, int64) DrawnIDs) {
	t.Helper()
	for _, shuffle := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		d := doc(shuffle[0], shuffle[1])
		for _, track := range []string{"", "manager", "supervisor"} {
			v, err := newViewJSON(d, track)
			if err != nil {
				t.Fatal(err)
			}
			for seed := int64(-3); seed < 40; seed++ {
				drawn := draw(d, seed*7919)
				want, err := json.Marshal(CandidateView(d.ForAttempt(drawn), track, seed*7919))
				if err != nil {
					t.Fatal(err)
				}
				got := v.appendView(nil, seed*7919, drawn)
				if !bytes.Equal(got, want) {
					t.Fatalf("shuffle %v track %q seed %d:\n got %s\nwant %s", shuffle, track, seed, got, want)
				}
			}
		}
	}
}

func TestViewJSONOfNoQuestions(t *testing.T) {
	d := &Document{Sections: []Section{{ID: "s", Questions: []Question{{ID: "q", Type: TypeEssay, Points: 1, Tracks: []string{"a"}}}}}}
	v, err := newViewJSON(d, "b")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(v.appendView(nil, 1, nil)); got != "[]" {
		t.Fatalf("got %s", got)
	}
}

func BenchmarkCandidateViewJSON(b *testing.B) {
	d := viewDoc(true, true)
	b.Run("reflect", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(CandidateView(d, "manager", 42))
		}
	})
	b.Run("fragments", func(b *testing.B) {
		v, _ := newViewJSON(d, "manager")
		buf := make([]byte, 0, 16<<10)
		b.ReportAllocs()
		for b.Loop() {
			buf = v.appendView(buf[:0], 42, nil)
		}
	})
}

// TestAttemptJSONEqualsEncodingJSON compares the hand-written encoding with
// encoding/json's of the same fields.
func TestAttemptJSONEqualsEncodingJSON(t *testing.T) {
	type plain Attempt // no MarshalJSON
	d := viewDoc(true, true)
	v, _ := newViewJSON(d, "manager")
	sub := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)
	cases := []*Attempt{
		{ID: "a1", Status: "in_progress", StartedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), Clock: Clock{time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600)),
			time.Now()}, GraceSecs: 30, Title: "客户服务经理面试题 <&> \"q\"", Sections: v.appendView(nil, 7, nil),
			Responses: appendCompactJSON(nil, []byte(`{"q0-0" : {"response" : {"blanks": ["客人", " 24 "]}, "seq" : 1}, "q0-2" : {"response" : {"choice": "b"}, "seq" : 3}}`))},
		{ID: "a2", Status: "submitted", SubmittedAt: &sub, Title: "t", Sections: json.RawMessage(`[]`), Responses: json.RawMessage(`{}`)},
		{ID: "a3", Status: "graded"},
	}
	for _, a := range cases {
		got, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal((*plain)(a))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	}
}

// appendCompactJSON must write what encoding/json writes for a
// json.RawMessage holding PostgreSQL's text of the same value.
func TestCompactJSONLikeEncodingJSON(t *testing.T) {
	for _, src := range []string{
		`{}`, `[]`, `null`, `{"a" : 1, "b" : [1, 2, {"c": null}]}`,
		`{"text": "写字楼 <script>&amp; \u0001 \" \\ \n\t end"}`,
		"{\"text\": \"sep \u2028 and \u2029, 😀, ＡＢＣ\"}",
		`{"blanks": ["客人", " 24 ", ""], "x" : true, "y" : -1.5e3}`,
	} {
		want, err := json.Marshal(json.RawMessage(src))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := appendCompactJSON(nil, []byte(src)); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", src, got, want)
		}
	}
}
