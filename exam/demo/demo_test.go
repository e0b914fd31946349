package demo

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"examd/exam"
)

func load(t *testing.T) *Data {
	t.Helper()
	d, err := Load()
	if err != nil {
		var ve *exam.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				t.Errorf("%s: %s", p.Field, p.Message)
			}
		}
		t.Fatalf("Load: %v", err)
	}
	return d
}

// maxPoints is what a question is worth to a candidate who gets it all right.
func maxPoints(q *exam.Question) float64 {
	switch q.Type {
	case exam.TypeFillIn:
		var sum float64
		for _, b := range q.Blanks {
			sum += b.Points
		}
		return sum
	case exam.TypeMultipleChoice:
		return q.EffectiveScoring().PerCorrect * float64(len(q.Answers))
	default:
		return q.Points
	}
}

func TestLoadValidates(t *testing.T) {
	d := load(t)
	if err := exam.Validate(&d.Exam); err != nil {
		t.Fatalf("the normalized demo no longer validates: %v", err)
	}
	if len(d.Notes) == 0 || strings.TrimSpace(d.Organization) == "" {
		t.Errorf("notes %q and organization %q must both be given", d.Notes, d.Organization)
	}
	e := d.Exam
	if e.Title != "客户服务经理面试题" || e.TimeLimitSeconds != 5400 || e.Grace() != 30 {
		t.Errorf("title %q, time limit %d, grace %d", e.Title, e.TimeLimitSeconds, e.Grace())
	}
	if !reflect.DeepEqual(e.Tracks, []string{"manager", "supervisor"}) {
		t.Errorf("tracks = %q", e.Tracks)
	}
	if e.ShuffleOptions || e.ShowScoreToCandidate {
		t.Errorf("shuffle_options %v, show_score_to_candidate %v; want both false", e.ShuffleOptions, e.ShowScoreToCandidate)
	}
	e.Questions(func(si, qi int, s *exam.Section, q *exam.Question) {
		if s.ID != "" || q.ID != "" {
			t.Errorf("sections[%d].questions[%d] carries an id; a POST body has none", si, qi)
		}
	})
}

// Load hands out copies: changing one must not change the next.
func TestLoadReturnsCopies(t *testing.T) {
	a := load(t)
	a.Exam.Sections[0].Questions[0].Prompt = "changed"
	if b := load(t); b.Exam.Sections[0].Questions[0].Prompt == "changed" {
		t.Fatal("Load returned shared data")
	}
}

func TestDecodeIsStrict(t *testing.T) {
	for name, in := range map[string]string{
		"unknown field":  `{"notes": [], "organization": "x", "exam": {}, "extra": 1}`,
		"wrong type":     `{"notes": "x", "organization": "x", "exam": {}}`,
		"trailing data":  string(raw) + `{}`,
		"invalid UTF-8":  "{\"notes\": [\"\xff\"], \"organization\": \"x\", \"exam\": {}}",
		"invalid exam":   `{"notes": [], "organization": "x", "exam": {"title": "x"}}`,
		"unknown nested": strings.Replace(string(raw), `"title"`, `"titel"`, 1),
	} {
		if _, err := decode([]byte(in)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	_, err := decode([]byte(`{"notes": [], "organization": "x", "exam": {"title": "x"}}`))
	var ve *exam.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("an invalid exam gives %v, not a *exam.ValidationError", err)
	}
}

// The section maxima the seed states: 填空 5, 判断 5, 单选 5, 多选 20 (+1 per
// right option, −1 per wrong one), 简答 6 each; 论述 15 + 20 for either
// track; the case study's points are the demo's own.
func TestSectionTotals(t *testing.T) {
	d := load(t)
	want := []struct {
		title               string
		all, manager, super float64
	}{
		{"一、填空", 5, 5, 5},
		{"二、判断", 5, 5, 5},
		{"三、单项选择题", 5, 5, 5},
		{"四、多项选择题", 20, 20, 20},
		{"五、简答题", 30, 30, 30},
		{"六、论述题", 55, 35, 35},
		{"七、案例分析:一道可怕的经理级面试题", 20, 20, 20},
	}
	if len(d.Exam.Sections) != len(want) {
		t.Fatalf("%d sections, want %d", len(d.Exam.Sections), len(want))
	}
	trackMax := map[string]float64{}
	for i, w := range want {
		s := d.Exam.Sections[i]
		if s.Title != w.title {
			t.Errorf("section %d is %q, want %q", i, s.Title, w.title)
		}
		got := map[string]float64{}
		for qi := range s.Questions {
			q := &s.Questions[qi]
			got[""] += maxPoints(q)
			for _, tr := range d.Exam.Tracks {
				if q.InTrack(tr) {
					got[tr] += maxPoints(q)
				}
			}
		}
		if got[""] != w.all || got["manager"] != w.manager || got["supervisor"] != w.super {
			t.Errorf("%s: total %v, manager %v, supervisor %v; want %v, %v, %v",
				w.title, got[""], got["manager"], got["supervisor"], w.all, w.manager, w.super)
		}
		trackMax["manager"] += got["manager"]
		trackMax["supervisor"] += got["supervisor"]
	}
	for tr, max := range trackMax {
		if max != 120 {
			t.Errorf("%s track's maximum = %v, want 120", tr, max)
		}
	}
	// pass_score is 60% of the manager track's maximum, in half points.
	if want := float64(int(trackMax["manager"]*0.6*2+0.5)) / 2; d.Exam.PassScore != want {
		t.Errorf("pass_score = %v, want %v", d.Exam.PassScore, want)
	}
}

func TestMultipleChoiceScoring(t *testing.T) {
	d := load(t)
	for _, q := range d.Exam.Sections[3].Questions {
		if q.Type != exam.TypeMultipleChoice {
			t.Errorf("%q is %s in the multiple-choice section", q.Prompt, q.Type)
			continue
		}
		if q.Scoring == nil || *q.Scoring != (exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 0}) {
			t.Errorf("%q: scoring %+v, want +1/−1 with floor 0", q.Prompt, q.Scoring)
		}
	}
}

// Which questions each track sees, from the seed's markers: 论述 2 is
// marked 经理答 and 论述 3 主管答; 简答 4 and 5 (主管、经理分别答) and every
// unmarked question go to both.
func TestTracks(t *testing.T) {
	const (
		managerOnly    = "做为写字楼客务经理,应重点做好哪些方面的工作?"
		supervisorOnly = "简述客务主管如何处理客户对服务质量的投诉?如何处理与员工的关系?"
	)
	perSection := []int{5, 5, 5, 5, 5, 2, 3} // questions each track sees
	d := load(t)
	for _, tc := range []struct {
		track, sees, notSees string
	}{
		{"manager", managerOnly, supervisorOnly},
		{"supervisor", supervisorOnly, managerOnly},
	} {
		var counts []int
		var prompts []string
		for _, s := range d.Exam.Sections {
			n := 0
			for qi := range s.Questions {
				if q := &s.Questions[qi]; q.InTrack(tc.track) {
					n++
					prompts = append(prompts, q.Prompt)
				}
			}
			counts = append(counts, n)
		}
		if !slices.Equal(counts, perSection) {
			t.Errorf("%s sees %v questions per section, want %v", tc.track, counts, perSection)
		}
		if !slices.Contains(prompts, tc.sees) || slices.Contains(prompts, tc.notSees) {
			t.Errorf("%s: must see %q and not %q", tc.track, tc.sees, tc.notSees)
		}
		if len(prompts) != 30 {
			t.Errorf("%s sees %d questions, want 30", tc.track, len(prompts))
		}
	}
	// Only those two questions are restricted.
	d.Exam.Questions(func(si, qi int, _ *exam.Section, q *exam.Question) {
		var want []string
		switch q.Prompt {
		case managerOnly:
			want = []string{"manager"}
		case supervisorOnly:
			want = []string{"supervisor"}
		}
		if !slices.Equal(q.Tracks, want) {
			t.Errorf("sections[%d].questions[%d] tracks %q, want %q", si, qi, q.Tracks, want)
		}
		if strings.Contains(q.Prompt, "(经理答)") || strings.Contains(q.Prompt, "(主管答)") {
			t.Errorf("sections[%d].questions[%d] still carries its track marker in the prompt", si, qi)
		}
	})
}

var placeholder = regexp.MustCompile(`\{\{(\d+)\}\}`)

func TestFillInPlaceholders(t *testing.T) {
	d := load(t)
	n := 0
	d.Exam.Questions(func(si, qi int, _ *exam.Section, q *exam.Question) {
		if q.Type != exam.TypeFillIn {
			return
		}
		n++
		var got []int
		for _, m := range placeholder.FindAllStringSubmatch(q.Prompt, -1) {
			v, _ := strconv.Atoi(m[1])
			got = append(got, v)
		}
		slices.Sort(got)
		var want []int
		for i := range q.Blanks {
			want = append(want, i+1)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("sections[%d].questions[%d] %q: placeholders %v, want %v", si, qi, q.Prompt, got, want)
		}
	})
	if n != 5 {
		t.Errorf("%d fill_in questions, want 5", n)
	}
}

// The demo's keys, as the notes and the data file state them; a change here
// is a deliberate change of the demo.
func TestObjectiveKeys(t *testing.T) {
	d := load(t)
	var got []string
	d.Exam.Questions(func(_, _ int, _ *exam.Section, q *exam.Question) {
		switch q.Type {
		case exam.TypeFillIn:
			got = append(got, q.Blanks[0].Accepted[0])
		case exam.TypeTrueFalse:
			v, _ := q.AnswerBool()
			got = append(got, strconv.FormatBool(v))
		case exam.TypeSingleChoice:
			k, _ := q.AnswerKey()
			got = append(got, k)
		case exam.TypeMultipleChoice:
			got = append(got, strings.Join(q.Answers, ","))
		}
	})
	want := []string{
		"客人", "书面", "审核", "两", "客户档案",
		"false", "false", "false", "true", "true",
		"a", "b", "c", "c", "c",
		"a,b,c,e,g", "b,d", "a,d,e,f", "a,c,e,g,h", "b,d,e,f",
	}
	if !slices.Equal(got, want) {
		t.Errorf("keys\n got %q\nwant %q", got, want)
	}
}

// The bank seeded from the exam is searched and drawn from by competency, so
// every question carries at least one tag, and the two positions of the seed
// page come with their responsibilities and requirements, manager first (the
// exam's own position).
func TestTagsAndPositions(t *testing.T) {
	d := load(t)
	seen := map[string]int{}
	d.Exam.Questions(func(si, qi int, _ *exam.Section, q *exam.Question) {
		if len(q.Tags) == 0 {
			t.Errorf("sections[%d].questions[%d] has no tags", si, qi)
		}
		for _, tag := range q.Tags {
			seen[tag]++
		}
	})
	for _, want := range []string{"投诉处理", "团队管理", "沟通", "服务意识"} {
		if seen[want] == 0 {
			t.Errorf("no question is tagged %s; tags: %v", want, seen)
		}
	}
	var titles []string
	for _, p := range d.Positions {
		titles = append(titles, p.Title)
		if len(p.Responsibilities) < 5 || len(p.Requirements) < 3 || p.Description == "" {
			t.Errorf("position %s: %d responsibilities, %d requirements, description %q", p.Title, len(p.Responsibilities), len(p.Requirements), p.Description)
		}
	}
	if !reflect.DeepEqual(titles, []string{"客户服务经理", "客户服务主管"}) {
		t.Errorf("positions = %q", titles)
	}
}
