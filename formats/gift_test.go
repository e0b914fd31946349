package formats

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"examd/exam"
)

func readSample(t *testing.T, format, path string) *Result {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(format, src, path)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return res
}

// detectedSample reads the sample at path without naming its format and
// fails unless it is detected as format.
func detectedSample(t *testing.T, path, format string) *Result {
	t.Helper()
	res := readSample(t, "", path)
	if res.Format != format {
		t.Fatalf("detected as %q", res.Format)
	}
	return res
}

// sayProblems reports whether some problem on line (any line when 0)
// mentions every word.
func sayProblems(ps []Problem, line int, words ...string) bool {
	for _, p := range ps {
		if line != 0 && p.Line != line {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(p.Message, w)
		}
		if ok {
			return true
		}
	}
	return false
}

func optionList(q exam.Question) []string {
	var out []string
	for _, o := range q.Options {
		out = append(out, o.Key+"="+o.Text)
	}
	return out
}

func TestGIFTMoodleCategorySample(t *testing.T) {
	res := readSample(t, "gift", "testdata/moodle-category.gift")
	d := res.Exam
	if d.Title != "moodle-category" || len(d.Sections) != 1 || d.Sections[0].Title != "Front Desk Basics" {
		t.Fatalf("title %q, sections %+v", d.Title, d.Sections)
	}
	qs := d.Sections[0].Questions
	if len(qs) != 3 {
		t.Fatalf("%d questions, want 3 (the matching question is skipped): %+v", len(qs), qs)
	}
	if !sayProblems(res.Problems, 5, "matching") {
		t.Errorf("the skipped matching question on line 5 is not reported: %+v", res.Problems)
	}
	g := qs[0]
	if g.Type != exam.TypeSingleChoice || string(g.Answer) != `"b"` ||
		!reflect.DeepEqual(optionList(g), []string{"a=Bored", "b=Warm", "c=Hurried", "d=Cold"}) ||
		!strings.HasPrefix(g.Prompt, `<a href="http://intranet.example.org/file.php/5/media/welcome.mp3">Play the recorded welcome:</a>`) {
		t.Errorf("greeting = %+v", g)
	}
	f := qs[1]
	if f.Type != exam.TypeFillIn || f.Prompt != "Someone who staffs the front desk is a ... {{1}}" ||
		len(f.Blanks) != 1 || !reflect.DeepEqual(f.Blanks[0].Accepted, []string{"receptionist"}) || f.Blanks[0].Points != 1 {
		t.Errorf("short answer = %+v", f)
	}
	tf := qs[2]
	if v, ok := tf.AnswerBool(); tf.Type != exam.TypeTrueFalse || !ok || !v || !strings.Contains(tf.Prompt, `<span style="font-style: italic;">`) {
		t.Errorf("true/false = %+v", tf)
	}
	if !sayProblems(res.Problems, 0, "no points", "tracks") {
		t.Errorf("what GIFT cannot hold is not said: %+v", res.Problems)
	}
}

func TestGIFTMoodleQuestionsSample(t *testing.T) {
	res := readSample(t, "gift", "testdata/moodle-questions.gift")
	qs := res.Exam.Sections[0].Questions
	var types []string
	for _, q := range qs {
		types = append(types, q.Type)
	}
	want := []string{exam.TypeEssay, exam.TypeSingleChoice, exam.TypeMultipleChoice, exam.TypeFillIn, exam.TypeTrueFalse, exam.TypeTrueFalse, exam.TypeTrueFalse}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("types %v, want %v", types, want)
	}
	if qs[0].Prompt != "Why do you want to work nights?" || qs[0].Points != 1 {
		t.Errorf("essay = %+v", qs[0])
	}
	if !reflect.DeepEqual(optionList(qs[1]), []string{"a=second", "b=fifth", "c=roof"}) || string(qs[1].Answer) != `"a"` {
		t.Errorf("single choice = %+v", qs[1])
	}
	mc := qs[2]
	if !reflect.DeepEqual(optionList(mc), []string{"a=kettle", "b=sauna", "c=hair-dryer", "d=piano"}) || !reflect.DeepEqual(mc.Answers, []string{"a", "c"}) {
		t.Errorf("weighted multiple choice = %+v", mc)
	}
	if !reflect.DeepEqual(qs[3].Blanks, []exam.Blank{{Accepted: []string{"Visa", "Debit"}, Points: 1}}) {
		t.Errorf("short answer blanks = %+v", qs[3].Blanks)
	}
	if v, ok := qs[4].AnswerBool(); !ok || v {
		t.Errorf("FALSE read as %s", qs[4].Answer)
	}
	for _, c := range []struct {
		line  int
		words []string
	}{
		{5, []string{"matching"}},
		{31, []string{"numerical"}},
		{34, []string{"partial credit"}},
		{34, []string{"worth nothing"}},
		{14, []string{"feedback"}},
		{22, []string{"weight"}},
	} {
		if !sayProblems(res.Problems, c.line, c.words...) {
			t.Errorf("no problem on line %d saying %q: %+v", c.line, c.words, res.Problems)
		}
	}
	if err := exam.Validate(&exam.Document{Title: "x", TimeLimitSeconds: 60, Sections: []exam.Section{{Title: "s", Questions: qs}}}); err != nil {
		t.Errorf("the sample's questions break the authoring rules: %v", err)
	}
}

func TestGIFTEscapesCommentsAndCategories(t *testing.T) {
	src := "// a comment {=not a question}\n$CATEGORY: $course$/top/Billing\n\n" +
		"::a\\:b::What is 1 \\= 1\\? \\{really\\} {=yes \\~ sure ~no \\# never}\n\n" +
		"$CATEGORY: Rooms\n::r::[markdown]Rooms have\\nwindows. {F}\n"
	res, err := Read("gift", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	d := res.Exam
	if len(d.Sections) != 2 || d.Sections[0].Title != "Billing" || d.Sections[1].Title != "Rooms" {
		t.Fatalf("sections %+v", d.Sections)
	}
	q := d.Sections[0].Questions[0]
	if q.Prompt != `What is 1 = 1\? {really}` || !reflect.DeepEqual(optionList(q), []string{"a=yes ~ sure", "b=no # never"}) {
		t.Errorf("escaped question = %q %v", q.Prompt, optionList(q))
	}
	r := d.Sections[1].Questions[0]
	if r.Prompt != "Rooms have\nwindows." || string(r.Answer) != "false" {
		t.Errorf("markdown true/false = %+v", r)
	}
}

func TestGIFTUnreadable(t *testing.T) {
	for _, src := range []string{"", "just words, no braces", "::t:: open {=a", "x {#1:2}", "a\x00{T}"} {
		assertUnreadable(t, "gift", fmt.Sprintf("Read(%q)", src), []byte(src))
	}
}

func isUnreadable(err error, u **Unreadable) bool {
	v, ok := err.(*Unreadable)
	*u = v
	return ok
}

// assertUnreadable fails the test unless Read refuses src as format with an
// Unreadable whose problems say why; what names src in the failure.
func assertUnreadable(t *testing.T, format, what string, src []byte) {
	t.Helper()
	_, err := Read(format, src, "")
	var u *Unreadable
	if !isUnreadable(err, &u) || len(u.Problems) == 0 || u.Problems[0].Message == "" {
		t.Errorf("%s: %v, want Unreadable with problems", what, err)
	}
}

// checkRoundTrip compares the document a format read back (got) with the
// one it wrote (want): every section title, and every question's type,
// prompt, options, key and points. A question must come back without
// tracks or a rubric, which neither Moodle XML nor QTI holds, and without a
// reference answer unless the format keeps one. body is the export, shown
// with a question that came back wrong.
func checkRoundTrip(t *testing.T, format string, got, want *exam.Document, keepsReference bool, body string) {
	t.Helper()
	for si, s := range want.Sections {
		if got.Sections[si].Title != s.Title {
			t.Errorf("section %d title %q", si, got.Sections[si].Title)
		}
		for qi, w := range s.Questions {
			q := got.Sections[si].Questions[qi]
			if q.Type != w.Type || q.Prompt != w.Prompt || !reflect.DeepEqual(q.Options, w.Options) ||
				string(q.Answer) != string(w.Answer) || !reflect.DeepEqual(q.Answers, w.Answers) || q.MaxPoints() != w.MaxPoints() {
				t.Errorf("question %d.%d came back as %+v, want %+v\n%s", si, qi, q, w, body)
			}
			if len(q.Tracks) != 0 || q.Rubric != nil || (!keepsReference && q.ReferenceAnswer != "") {
				t.Errorf("question %d.%d has what %s cannot hold: %+v", si, qi, format, q)
			}
		}
	}
}

// everyTypeDocument has one question of each type, with what GIFT drops
// (points, tracks, rubric, reference answer, scoring).
func everyTypeDocument() *exam.Document {
	tf := json.RawMessage("true")
	key := json.RawMessage(`"b"`)
	return &exam.Document{
		Title: "前台 Front desk", TimeLimitSeconds: 1800, PassScore: 3, Tracks: []string{"manager", "clerk"},
		Sections: []exam.Section{
			{Title: "一、选择题 {choices}", Questions: []exam.Question{
				{Type: exam.TypeSingleChoice, Prompt: "Which = right? #1", Points: 2, Tracks: []string{"manager"},
					Options: []exam.Option{{Key: "a", Text: "~tilde"}, {Key: "b", Text: "{brace}"}, {Key: "c", Text: "colon: yes"}}, Answer: key},
				{Type: exam.TypeMultipleChoice, Prompt: "Pick two\nlines", Options: []exam.Option{{Key: "a", Text: "one"}, {Key: "b", Text: "two"}, {Key: "c", Text: "three"}},
					Answers: []string{"a", "c"}, Scoring: &exam.Scoring{PerCorrect: 2, PerWrong: 1, Floor: 0}},
			}},
			{Title: "二、其他", Questions: []exam.Question{
				{Type: exam.TypeTrueFalse, Prompt: "对吗？", Points: 1, Answer: tf},
				{Type: exam.TypeFillIn, Prompt: "Checkout is at {{1}} o'clock", Blanks: []exam.Blank{{Accepted: []string{"12", "twelve"}, Points: 1.5}}},
				{Type: exam.TypeEssay, Prompt: "Describe a hard guest.", Points: 10, ReferenceAnswer: "Calm.", Rubric: []exam.RubricItem{{Criterion: "calm", Points: 10}}},
			}},
		},
	}
}

func TestGIFTExportImport(t *testing.T) {
	d := everyTypeDocument()
	// An explanation of each type, as GIFT's general feedback (####).
	for si := range d.Sections {
		for qi := range d.Sections[si].Questions {
			d.Sections[si].Questions[qi].Explanation = fmt.Sprintf("解析 %d.%d: {#~=}", si, qi)
		}
	}
	body, ext, ctype, err := Write("gift", d)
	if err != nil || ext != "gift" || !strings.HasPrefix(ctype, "text/plain") {
		t.Fatalf("Write: %v %q %q", err, ext, ctype)
	}
	res, err := Read("", body, "export.gift")
	if err != nil {
		t.Fatalf("reading the export back: %v\n%s", err, body)
	}
	if res.Format != "gift" {
		t.Errorf("detected as %q", res.Format)
	}
	got := res.Exam
	if len(got.Sections) != 2 || got.Sections[0].Title != d.Sections[0].Title || got.Sections[1].Title != d.Sections[1].Title {
		t.Fatalf("sections %+v\n%s", got.Sections, body)
	}
	for si, s := range d.Sections {
		for qi, want := range s.Questions {
			q := got.Sections[si].Questions[qi]
			if q.Type != want.Type || q.Prompt != want.Prompt || !reflect.DeepEqual(q.Options, want.Options) ||
				string(q.Answer) != string(want.Answer) || !reflect.DeepEqual(q.Answers, want.Answers) || q.Explanation != want.Explanation {
				t.Errorf("question %d.%d came back as %+v, want %+v\n%s", si, qi, q, want, body)
			}
			if len(q.Tracks) != 0 || q.Rubric != nil || q.ReferenceAnswer != "" || q.Scoring != nil {
				t.Errorf("question %d.%d has something GIFT cannot hold: %+v", si, qi, q)
			}
		}
	}
	if b := got.Sections[1].Questions[1].Blanks; !reflect.DeepEqual(b, []exam.Blank{{Accepted: []string{"12", "twelve"}, Points: 1}}) {
		t.Errorf("blank = %+v", b)
	}
	for _, w := range []string{"points", "tracks", "rubrics", "reference answers", "scoring"} {
		if !sayProblems(res.Problems, 0, w) {
			t.Errorf("problems do not say GIFT dropped %s: %+v", w, res.Problems)
		}
	}
}

func FuzzGIFTReader(f *testing.F) {
	for _, p := range []string{"testdata/moodle-category.gift", "testdata/moodle-questions.gift"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	body, _, _, _ := Write("gift", everyTypeDocument())
	f.Add(string(body))
	f.Add("::t::{~%abc%x =y}")
	f.Add("a {=\\")
	f.Fuzz(func(t *testing.T, src string) {
		res, err := Read("gift", []byte(src), "")
		if err != nil {
			if _, ok := err.(*Unreadable); !ok {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if Count(res.Exam).Questions == 0 {
			t.Fatal("a result without questions")
		}
		// Whatever was read can be written and read again, to as many
		// questions of the same types.
		out, _, _, err := Write("gift", res.Exam)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Read("gift", out, "")
		if err != nil {
			t.Fatalf("the export of a read document is unreadable: %v\n%s", err, out)
		}
		if a, b := Count(res.Exam), Count(again.Exam); !reflect.DeepEqual(a, b) {
			t.Fatalf("read %+v, after a round trip %+v\n%s", a, b, out)
		}
	})
}
