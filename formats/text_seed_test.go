package formats

import (
	"os"
	"strings"
	"testing"

	"examd/exam"
)

// The seed is the customer's own page: its 推荐第9篇 exam and the helicopter
// case. It marks no key and no blank, so every question must come back
// without an answer and problems must say so, line by line.
func TestTextSeed(t *testing.T) {
	src, err := os.ReadFile("testdata/seed-exam.zh.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read("text", src, "")
	if err != nil {
		t.Fatal(err)
	}
	d := res.Exam
	want := []struct {
		title, typ string
		n, opts    []int
		points     []float64
	}{
		{"填空", exam.TypeFillIn, []int{5}, nil, nil},
		{"判断", exam.TypeTrueFalse, []int{5}, nil, []float64{1, 1, 1, 1, 1}},
		{"单项选择题", exam.TypeSingleChoice, []int{5}, []int{2, 2, 3, 3, 4}, []float64{1, 1, 1, 1, 1}},
		{"多项选择题", exam.TypeMultipleChoice, []int{5}, []int{7, 7, 7, 8, 7}, nil},
		{"简答题", exam.TypeEssay, []int{5}, nil, []float64{6, 6, 6, 6, 6}},
		{"论述题", exam.TypeEssay, []int{3}, nil, []float64{15, 20, 20}},
		{"一道可怕的经理级面试题", exam.TypeEssay, []int{3}, nil, nil},
	}
	if len(d.Sections) != len(want) {
		t.Fatalf("%d sections, want %d: %+v", len(d.Sections), len(want), titles(d))
	}
	for i, w := range want {
		s := d.Sections[i]
		if !strings.HasPrefix(s.Title, w.title) {
			t.Errorf("section %d title %q, want %q…", i, s.Title, w.title)
		}
		if len(s.Questions) != w.n[0] {
			t.Fatalf("section %d has %d questions, want %d", i, len(s.Questions), w.n[0])
		}
		for j, q := range s.Questions {
			if q.Type != w.typ {
				t.Errorf("section %d question %d type %s, want %s", i, j, q.Type, w.typ)
			}
			if w.opts != nil && len(q.Options) != w.opts[j] {
				t.Errorf("section %d question %d has %d options, want %d", i, j, len(q.Options), w.opts[j])
			}
			if w.points != nil && q.Points != w.points[j] {
				t.Errorf("section %d question %d points %v, want %v", i, j, q.Points, w.points[j])
			}
			if len(q.Answer) != 0 || len(q.Answers) != 0 {
				t.Errorf("section %d question %d got a key the source does not give: %s %v", i, j, q.Answer, q.Answers)
			}
			for _, b := range q.Blanks {
				if len(b.Accepted) != 0 {
					t.Errorf("section %d question %d: invented accepted answers %v", i, j, b.Accepted)
				}
			}
		}
	}
	// 三.1 keeps its two options a. 是 b. 不是 as keys a, b.
	q := d.Sections[2].Questions[0]
	if q.Options[0].Key != "a" || q.Options[0].Text != "是" || q.Options[1].Key != "b" || q.Options[1].Text != "不是" {
		t.Errorf("三.1 options %+v", q.Options)
	}
	// 四: every right option +1, every wrong one −1.
	if s := d.Sections[3].Questions[0].Scoring; s == nil || s.PerCorrect != 1 || s.PerWrong != 1 {
		t.Errorf("四.1 scoring %+v", s)
	}
	// Tracks: 主管 and 经理 become supervisor and manager.
	if strings.Join(d.Tracks, ",") != "supervisor,manager" || d.TrackLabels["manager"] != "经理" || d.TrackLabels["supervisor"] != "主管" {
		t.Errorf("tracks %v labels %v", d.Tracks, d.TrackLabels)
	}
	for _, c := range []struct {
		s, q   int
		tracks string
	}{{4, 3, "supervisor,manager"}, {4, 4, "supervisor,manager"}, {5, 0, ""}, {5, 1, "manager"}, {5, 2, "supervisor"}} {
		got := d.Sections[c.s].Questions[c.q]
		if strings.Join(got.Tracks, ",") != c.tracks {
			t.Errorf("section %d question %d tracks %v, want %s", c.s, c.q, got.Tracks, c.tracks)
		}
		if strings.Contains(got.Prompt, "答)") || strings.Contains(got.Prompt, "分)") {
			t.Errorf("section %d question %d prompt keeps its marker: %q", c.s, c.q, got.Prompt)
		}
	}
	// The case's text is its section's instructions; its third question
	// carries the reference answers.
	cs := d.Sections[6]
	if !strings.HasPrefix(cs.Instructions, "案例:一个风雪交加的晚上") {
		t.Errorf("case instructions %.40q", cs.Instructions)
	}
	if !strings.Contains(cs.Questions[2].ReferenceAnswer, "答案之二") || strings.Contains(cs.Questions[2].Prompt, "答案") {
		t.Errorf("case 3: prompt %q, reference %.60q", cs.Questions[2].Prompt, cs.Questions[2].ReferenceAnswer)
	}

	// Problems: every missing key (判断, 单选, 多选: 15) and every lost
	// blank (填空: 5), with the source line of the question.
	lines := map[string]bool{}
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "no key") || strings.Contains(p.Message, "blank the source lost") {
			lines[p.Field] = true
			if p.Line == 0 {
				t.Errorf("problem without a line: %+v", p)
			}
		}
	}
	for s := 0; s < 4; s++ {
		for j := 0; j < 5; j++ {
			f := "sections[" + string(rune('0'+s)) + "].questions[" + string(rune('0'+j)) + "]"
			if s == 0 {
				f += ".blanks"
			}
			if !lines[f] {
				t.Errorf("no problem names %s", f)
			}
		}
	}
	if len(lines) != 20 {
		t.Errorf("%d questions named as missing a key or blank, want 20", len(lines))
	}
	// Line numbers point at the questions: 二.1 is on line 19.
	for _, p := range res.Problems {
		if p.Field == "sections[1].questions[0]" && p.Line != 19 {
			t.Errorf("二.1's problem on line %d, want 19", p.Line)
		}
	}
	// And the document, keys aside, breaks no other rule of an exam.
	if err := exam.Validate(d); err == nil {
		t.Error("a paper without keys validated")
	}
}

func titles(d *exam.Document) []string {
	var out []string
	for _, s := range d.Sections {
		out = append(out, s.Title)
	}
	return out
}
