package exam

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Paths of the questions in fiveTypeDoc, one per type.
const (
	atFill   = "sections[0].questions[0]" // fill_in
	atTF     = "sections[1].questions[0]" // true_false
	atSC     = "sections[1].questions[1]" // single_choice
	atMC     = "sections[2].questions[0]" // multiple_choice with scoring
	atMC2    = "sections[2].questions[1]" // multiple_choice without scoring, supervisors only
	atEssay  = "sections[3].questions[0]" // essay with rubric, managers only
	atEssay2 = "sections[3].questions[1]" // essay without rubric
)

// fiveTypeDoc returns a fresh document that uses every question type and every
// optional feature, so that each test case can break exactly one thing.
func fiveTypeDoc() *Document {
	grace := 30
	return &Document{
		Title:            "客户服务经理面试题",
		Description:      "写字楼客户服务经理、主管岗位",
		TimeLimitSeconds: 5400,
		GraceSeconds:     &grace,
		PassScore:        10.5,
		Tracks:           []string{"manager", "supervisor"},
		ShuffleOptions:   true,
		Sections: []Section{
			{ID: "s1", Title: "一、填空", Instructions: "每空1分", Questions: []Question{
				{ID: "q1", Type: TypeFillIn, Prompt: "遇到上司和客人在一起时应先向{{1}}致意,再向{{2}}致意。",
					Blanks: []Blank{
						{Accepted: []string{"客人"}, Points: 1},
						{Accepted: []string{"上司", "领导"}, Points: 0.5, CaseSensitive: true},
					}},
			}},
			{ID: "s2", Title: "二、判断与单选", Questions: []Question{
				{ID: "q2", Type: TypeTrueFalse, Prompt: "为了节能,提倡下班后关闭疏散楼梯的照明灯。",
					Answer: json.RawMessage(`false`), Points: 1},
				{ID: "q3", Type: TypeSingleChoice, Prompt: "员工在上班的路上发生交通事故,是否属于工伤。",
					Options: []Option{{Key: "a", Text: "是"}, {Key: "b", Text: "不是"}},
					Answer:  json.RawMessage(`"a"`), Points: 1},
			}},
			{ID: "s3", Title: "四、多项选择", Questions: []Question{
				{ID: "q4", Type: TypeMultipleChoice, Prompt: "智能化写字楼所说的“5A”是指",
					Options: []Option{{Key: "a", Text: "办公智能化"}, {Key: "b", Text: "通讯智能化"},
						{Key: "c", Text: "消防智能化"}, {Key: "d", Text: "绿化智能化"}},
					Answers: []string{"a", "b", "c"},
					Scoring: &Scoring{PerCorrect: 1, PerWrong: 1, Floor: 0.5}},
				{ID: "q5", Type: TypeMultipleChoice, Prompt: "主管的职责包括", Tracks: []string{"supervisor"},
					Options: []Option{{Key: "x", Text: "排班"}, {Key: "y", Text: "巡查"}},
					Answers: []string{"y"}},
			}},
			{Title: "六、论述", Questions: []Question{
				{Type: TypeEssay, Prompt: "做为写字楼客务经理,应重点做好哪些方面的工作?", Points: 20,
					Tracks: []string{"manager"}, ReferenceAnswer: "…",
					Rubric: []RubricItem{{Criterion: "服务意识", Points: 5}, {Criterion: "管理能力", Points: 15}}},
				{Type: TypeEssay, Prompt: "谈谈你对物业服务的理解。", Points: 10},
			}},
		},
	}
}

// problemPathsOf returns the sorted "path=code" pairs of a validation
// error, failing the test when err is anything else or a problem lacks its
// code or message.
func problemPathsOf(t *testing.T, err error, message string) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	if ve.Message != message {
		t.Errorf("message %q, want %q", ve.Message, message)
	}
	paths := make([]string, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		if p.Message == "" || p.Code == "" {
			t.Errorf("problem at %q has no message or no code: %+v", p.Field, p)
		}
		paths = append(paths, p.Field+"="+p.Code)
	}
	slices.Sort(paths)
	return paths
}

func assertProblemPaths(t *testing.T, err error, message string, want []string) {
	t.Helper()
	got := problemPathsOf(t, err, message)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("paths %q, want %q\nerror: %+v", got, want, err)
	}
}

func questionAt(d *Document, path string) *Question {
	for si := range d.Sections {
		for qi := range d.Sections[si].Questions {
			if pathIndex(pathField(pathIndex("sections", si), "questions"), qi) == path {
				return &d.Sections[si].Questions[qi]
			}
		}
	}
	panic("no question at " + path)
}

func makeOptions(n int) []Option {
	opts := make([]Option, n)
	for i := range opts {
		opts[i] = Option{Key: string(rune('a'+i%26)) + strings.Repeat("z", i/26), Text: "option"}
	}
	return opts
}

func TestValidateAcceptsValidDocuments(t *testing.T) {
	if err := Validate(fiveTypeDoc()); err != nil {
		t.Fatalf("valid document refused: %v", err)
	}

	d := fiveTypeDoc()
	d.GraceSeconds = nil
	d.Tracks = nil
	for _, q := range []string{atMC2, atEssay} {
		questionAt(d, q).Tracks = nil
	}
	if err := Validate(d); err != nil {
		t.Fatalf("document without tracks or grace refused: %v", err)
	}
}

// The example of API.md must pass as written, since clients copy it.
func TestValidateAcceptsTheAPIExample(t *testing.T) {
	const example = `{
  "title": "客户服务经理面试题",
  "description": "写字楼客户服务经理、主管岗位",
  "time_limit_seconds": 5400,
  "grace_seconds": 30,
  "pass_score": 60,
  "tracks": ["manager", "supervisor"],
  "shuffle_questions": false,
  "shuffle_options": true,
  "show_score_to_candidate": false,
  "sections": [
    {"title": "一、填空", "instructions": "5分,每空1分", "questions": [
      {"type": "fill_in", "prompt": "当你遇到上司和客人在一起时应先向{{1}}致意。",
       "blanks": [{"accepted": ["客人"], "points": 1}]}
    ]},
    {"title": "二、判断", "questions": [
      {"type": "true_false", "prompt": "为了节能,提倡下班后关闭疏散楼梯的照明灯。", "answer": false, "points": 1}
    ]},
    {"title": "三、单项选择", "questions": [
      {"type": "single_choice", "prompt": "员工在上班的路上发生交通事故,是否属于工伤。",
       "options": [{"key": "a", "text": "是"}, {"key": "b", "text": "不是"}], "answer": "a", "points": 1}
    ]},
    {"title": "四、多项选择", "instructions": "每选对一项得1分,选错一项减1分", "questions": [
      {"type": "multiple_choice", "prompt": "智能化写字楼所说的“5A”是指",
       "options": [{"key": "a", "text": "办公智能化"}, {"key": "b", "text": "通讯智能化"}],
       "answers": ["a", "b"], "scoring": {"per_correct": 1, "per_wrong": 1, "floor": 0}}
    ]},
    {"title": "六、论述", "questions": [
      {"type": "essay", "prompt": "做为写字楼客务经理,应重点做好哪些方面的工作?", "points": 20,
       "tracks": ["manager"], "reference_answer": "…", "rubric": [{"criterion": "…", "points": 5}]}
    ]}
  ]
}`
	d, err := decodeDocStrict([]byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(d); err != nil {
		t.Fatalf("API.md's example refused: %v", err)
	}
}

func decodeDocStrict(data []byte) (*Document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		return nil, err
	}
	return &d, nil
}

func TestValidateRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("长", n) }
	tests := []struct {
		name   string
		break_ func(d *Document)
		want   []string
	}{
		// The exam.
		{"title blank", func(d *Document) { d.Title = "  \t" }, []string{"title=required"}},
		{"title too long", func(d *Document) { d.Title = long(201) }, []string{"title=too_long"}},
		{"title at its cap", func(d *Document) { d.Title = long(200) }, nil},
		{"description too long", func(d *Document) { d.Description = long(20001) }, []string{"description=too_long"}},
		{"time limit zero", func(d *Document) { d.TimeLimitSeconds = 0 }, []string{"time_limit_seconds=out_of_range"}},
		{"time limit negative", func(d *Document) { d.TimeLimitSeconds = -60 }, []string{"time_limit_seconds=out_of_range"}},
		{"time limit of one second", func(d *Document) { d.TimeLimitSeconds = 1 }, nil},
		{"time limit over a week", func(d *Document) { d.TimeLimitSeconds = 7*24*3600 + 1 }, []string{"time_limit_seconds=out_of_range"}},
		{"grace negative", func(d *Document) { g := -1; d.GraceSeconds = &g }, []string{"grace_seconds=out_of_range"}},
		{"grace zero", func(d *Document) { g := 0; d.GraceSeconds = &g }, nil},
		{"grace over an hour", func(d *Document) { g := 3601; d.GraceSeconds = &g }, []string{"grace_seconds=out_of_range"}},
		{"pass score negative", func(d *Document) { d.PassScore = -1 }, []string{"pass_score=out_of_range"}},
		{"pass score not a half", func(d *Document) { d.PassScore = 59.3 }, []string{"pass_score=not_multiple_of_half"}},
		{"pass score zero", func(d *Document) { d.PassScore = 0 }, nil},
		{"pass score huge", func(d *Document) { d.PassScore = 1e300 }, []string{"pass_score=out_of_range"}},

		// Tracks.
		{"exam track empty", func(d *Document) { d.Tracks = append(d.Tracks, " ") }, []string{"tracks[2]=required"}},
		{"exam track duplicate", func(d *Document) { d.Tracks = []string{"manager", "manager", "supervisor"} }, []string{"tracks[1]=duplicate"}},
		{"exam track padded", func(d *Document) { d.Tracks[0] = "manager " }, []string{"tracks[0]=surrounding_space", atEssay + ".tracks[0]=unknown_track"}},
		{"exam track too long", func(d *Document) { d.Tracks = append(d.Tracks, strings.Repeat("t", 65)) }, []string{"tracks[2]=too_long"}},
		{"too many exam tracks", func(d *Document) {
			for i := range 19 {
				d.Tracks = append(d.Tracks, "track"+string(rune('a'+i)))
			}
		}, []string{"tracks=too_many"}},
		{"question tracks without exam tracks", func(d *Document) { d.Tracks = nil }, []string{atMC2 + ".tracks=no_tracks", atEssay + ".tracks=no_tracks"}},
		{"question track unknown", func(d *Document) { questionAt(d, atEssay).Tracks = []string{"director"} }, []string{atEssay + ".tracks[0]=unknown_track"}},
		{"question track duplicate", func(d *Document) { questionAt(d, atEssay).Tracks = []string{"manager", "manager"} }, []string{atEssay + ".tracks[1]=duplicate"}},
		{"question with every track", func(d *Document) { questionAt(d, atEssay).Tracks = []string{"supervisor", "manager"} }, nil},

		// Track labels.
		{"track labels", func(d *Document) { d.TrackLabels = map[string]string{"manager": "经理", "supervisor": "主管"} }, nil},
		{"track label at its cap", func(d *Document) { d.TrackLabels = map[string]string{"manager": long(50)} }, nil},
		{"track label too long", func(d *Document) { d.TrackLabels = map[string]string{"manager": long(51)} }, []string{"track_labels.manager=too_long"}},
		{"track label blank", func(d *Document) { d.TrackLabels = map[string]string{"manager": " ", "supervisor": ""} }, []string{"track_labels.manager=required", "track_labels.supervisor=required"}},
		{"track label for no track", func(d *Document) { d.TrackLabels = map[string]string{"director": "总监"} }, []string{"track_labels.director=unknown_track"}},
		{"track labels without tracks", func(d *Document) {
			d.Tracks = nil
			questionAt(d, atMC2).Tracks = nil
			questionAt(d, atEssay).Tracks = nil
			d.TrackLabels = map[string]string{"manager": "经理"}
		}, []string{"track_labels.manager=unknown_track"}},

		// Sections.
		{"no sections", func(d *Document) { d.Sections = nil }, []string{"sections=too_few"}},
		{"empty sections", func(d *Document) { d.Sections = []Section{} }, []string{"sections=too_few"}},
		{"too many sections", func(d *Document) {
			for len(d.Sections) <= 100 {
				d.Sections = append(d.Sections, Section{Title: "more", Questions: []Question{
					{Type: TypeTrueFalse, Prompt: "?", Answer: json.RawMessage(`true`), Points: 1}}})
			}
		}, []string{"sections=too_many"}},
		{"too many questions", func(d *Document) {
			s := &d.Sections[3]
			for len(s.Questions) < 501-5 {
				s.Questions = append(s.Questions, Question{Type: TypeEssay, Prompt: "?", Points: 1})
			}
		}, []string{"sections=too_many"}},
		{"500 questions", func(d *Document) {
			s := &d.Sections[3]
			for len(s.Questions) < 500-5 {
				s.Questions = append(s.Questions, Question{Type: TypeEssay, Prompt: "?", Points: 1})
			}
		}, nil},
		{"section title blank", func(d *Document) { d.Sections[1].Title = "" }, []string{"sections[1].title=required"}},
		{"section instructions too long", func(d *Document) { d.Sections[1].Instructions = long(5001) }, []string{"sections[1].instructions=too_long"}},
		{"section without questions", func(d *Document) { d.Sections[1].Questions = nil }, []string{"sections[1].questions=too_few"}},
		{"section id duplicate", func(d *Document) { d.Sections[1].ID = "s1" }, []string{"sections[1].id=duplicate"}},
		{"question id duplicate across sections", func(d *Document) { questionAt(d, atMC).ID = "q2" }, []string{atMC + ".id=duplicate"}},
		{"question id same as a section id", func(d *Document) { questionAt(d, atEssay2).ID = "s3" }, []string{atEssay2 + ".id=duplicate"}},
		{"id too long", func(d *Document) { d.Sections[0].ID = strings.Repeat("x", 65) }, []string{"sections[0].id=too_long"}},

		// Every question.
		{"type unknown", func(d *Document) { questionAt(d, atTF).Type = "yes_no" }, []string{atTF + ".type=invalid_value"}},
		{"type missing", func(d *Document) { questionAt(d, atEssay).Type = "" }, []string{atEssay + ".type=required"}},
		{"prompt blank", func(d *Document) { questionAt(d, atSC).Prompt = " " }, []string{atSC + ".prompt=required"}},
		{"prompt too long", func(d *Document) { questionAt(d, atEssay2).Prompt = long(20001) }, []string{atEssay2 + ".prompt=too_long"}},
		{"prompt at its cap", func(d *Document) { questionAt(d, atEssay2).Prompt = long(20000) }, nil},

		// true_false.
		{"true_false answer missing", func(d *Document) { questionAt(d, atTF).Answer = nil }, []string{atTF + ".answer=required"}},
		{"true_false answer null", func(d *Document) { questionAt(d, atTF).Answer = json.RawMessage(`null`) }, []string{atTF + ".answer=required"}},
		{"true_false answer a string", func(d *Document) { questionAt(d, atTF).Answer = json.RawMessage(`"true"`) }, []string{atTF + ".answer=wrong_type"}},
		{"true_false answer a number", func(d *Document) { questionAt(d, atTF).Answer = json.RawMessage(`1`) }, []string{atTF + ".answer=wrong_type"}},
		{"true_false points missing", func(d *Document) { questionAt(d, atTF).Points = 0 }, []string{atTF + ".points=not_positive"}},
		{"true_false points negative", func(d *Document) { questionAt(d, atTF).Points = -1 }, []string{atTF + ".points=not_positive"}},
		{"true_false points not a half", func(d *Document) { questionAt(d, atTF).Points = 1.25 }, []string{atTF + ".points=not_multiple_of_half"}},
		{"true_false points too many", func(d *Document) { questionAt(d, atTF).Points = 1000.5 }, []string{atTF + ".points=out_of_range"}},
		{"true_false with options", func(d *Document) { questionAt(d, atTF).Options = makeOptions(2) }, []string{atTF + ".options=unknown_field"}},
		{"true_false with empty options", func(d *Document) { questionAt(d, atTF).Options = []Option{} }, []string{atTF + ".options=unknown_field"}},
		{"true_false with blanks", func(d *Document) { questionAt(d, atTF).Blanks = []Blank{{Accepted: []string{"x"}, Points: 1}} }, []string{atTF + ".blanks=unknown_field"}},
		{"true_false with rubric", func(d *Document) { questionAt(d, atTF).Rubric = []RubricItem{{Criterion: "x", Points: 1}} }, []string{atTF + ".rubric=unknown_field"}},

		// single_choice.
		{"single_choice one option", func(d *Document) { questionAt(d, atSC).Options = makeOptions(1) }, []string{atSC + ".options=too_few"}},
		{"single_choice 26 options", func(d *Document) { questionAt(d, atSC).Options = makeOptions(26) }, nil},
		{"single_choice 27 options", func(d *Document) { questionAt(d, atSC).Options = makeOptions(27) }, []string{atSC + ".options=too_many"}},
		{"single_choice no options", func(d *Document) { questionAt(d, atSC).Options = nil }, []string{atSC + ".options=too_few"}},
		{"option key duplicate", func(d *Document) { questionAt(d, atSC).Options[1].Key = "a" }, []string{atSC + ".options[1].key=duplicate"}},
		{"option key blank", func(d *Document) { questionAt(d, atSC).Options[1].Key = " " }, []string{atSC + ".options[1].key=required"}},
		{"option key too long", func(d *Document) {
			q := questionAt(d, atSC)
			q.Options[1].Key = strings.Repeat("k", 33)
		}, []string{atSC + ".options[1].key=too_long"}},
		{"option text blank", func(d *Document) { questionAt(d, atSC).Options[0].Text = "" }, []string{atSC + ".options[0].text=required"}},
		{"option text too long", func(d *Document) { questionAt(d, atSC).Options[0].Text = long(2001) }, []string{atSC + ".options[0].text=too_long"}},
		{"single_choice answer unknown", func(d *Document) { questionAt(d, atSC).Answer = json.RawMessage(`"h"`) }, []string{atSC + ".answer=unknown_option"}},
		{"single_choice answer a number", func(d *Document) { questionAt(d, atSC).Answer = json.RawMessage(`1`) }, []string{atSC + ".answer=wrong_type"}},
		{"single_choice answer a list", func(d *Document) { questionAt(d, atSC).Answer = json.RawMessage(`["a"]`) }, []string{atSC + ".answer=wrong_type"}},
		{"single_choice answer missing", func(d *Document) { questionAt(d, atSC).Answer = nil }, []string{atSC + ".answer=required"}},
		{"single_choice points missing", func(d *Document) { questionAt(d, atSC).Points = 0 }, []string{atSC + ".points=not_positive"}},
		{"single_choice with answers", func(d *Document) { questionAt(d, atSC).Answers = []string{"a"} }, []string{atSC + ".answers=unknown_field"}},
		{"single_choice with scoring", func(d *Document) { questionAt(d, atSC).Scoring = &Scoring{PerCorrect: 1} }, []string{atSC + ".scoring=unknown_field"}},

		// multiple_choice.
		{"multiple_choice answers missing", func(d *Document) { questionAt(d, atMC).Answers = nil }, []string{atMC + ".answers=too_few"}},
		{"multiple_choice answers empty", func(d *Document) { questionAt(d, atMC).Answers = []string{} }, []string{atMC + ".answers=too_few"}},
		{"multiple_choice answer duplicate", func(d *Document) { questionAt(d, atMC).Answers = []string{"a", "a"} }, []string{atMC + ".answers[1]=duplicate"}},
		{"multiple_choice answer unknown", func(d *Document) { questionAt(d, atMC).Answers = []string{"a", "h"} }, []string{atMC + ".answers[1]=unknown_option"}},
		{"multiple_choice every option right", func(d *Document) { questionAt(d, atMC).Answers = []string{"d", "c", "b", "a"} }, nil},
		{"multiple_choice options missing", func(d *Document) { questionAt(d, atMC).Options = nil }, []string{atMC + ".options=too_few"}},
		{"multiple_choice option key blank", func(d *Document) { questionAt(d, atMC2).Options[0].Key = "" }, []string{atMC2 + ".options[0].key=required"}},
		{"multiple_choice with points", func(d *Document) { questionAt(d, atMC).Points = 3 }, []string{atMC + ".points=unknown_field"}},
		{"multiple_choice with answer", func(d *Document) { questionAt(d, atMC).Answer = json.RawMessage(`"a"`) }, []string{atMC + ".answer=unknown_field"}},
		{"multiple_choice with null answer", func(d *Document) { questionAt(d, atMC).Answer = json.RawMessage(`null`) }, nil},
		{"scoring per_correct not a half", func(d *Document) { questionAt(d, atMC).Scoring.PerCorrect = 0.3 }, []string{atMC + ".scoring.per_correct=not_multiple_of_half"}},
		{"scoring per_wrong negative", func(d *Document) { questionAt(d, atMC).Scoring.PerWrong = -1 }, []string{atMC + ".scoring.per_wrong=out_of_range"}},
		{"scoring floor negative", func(d *Document) { questionAt(d, atMC).Scoring.Floor = -1 }, []string{atMC + ".scoring.floor=out_of_range"}},
		{"scoring floor above the maximum", func(d *Document) { questionAt(d, atMC).Scoring.Floor = 3.5 }, []string{atMC + ".scoring.floor=floor_above_max"}},
		{"scoring floor at the maximum", func(d *Document) { questionAt(d, atMC).Scoring.Floor = 3 }, nil},
		{"scoring all zero", func(d *Document) { questionAt(d, atMC).Scoring = &Scoring{} }, nil},

		// fill_in.
		{"fill_in placeholderRE missing", func(d *Document) { questionAt(d, atFill).Prompt = "先向{{1}}致意。" }, []string{atFill + ".prompt=placeholder_missing"}},
		{"fill_in placeholderRE twice", func(d *Document) { questionAt(d, atFill).Prompt = "{{1}}{{2}}{{1}}" }, []string{atFill + ".prompt=placeholder_repeated"}},
		{"fill_in placeholderRE without a blank", func(d *Document) { questionAt(d, atFill).Prompt = "{{1}}{{2}}{{3}}" }, []string{atFill + ".prompt=placeholder_unknown"}},
		{"fill_in placeholderRE zero", func(d *Document) { questionAt(d, atFill).Prompt = "{{0}}{{1}}{{2}}" }, []string{atFill + ".prompt=placeholder_unknown"}},
		{"fill_in placeholderRE with a leading zero", func(d *Document) { questionAt(d, atFill).Prompt = "{{01}}{{2}}" }, []string{atFill + ".prompt=placeholder_missing", atFill + ".prompt=placeholder_unknown"}},
		{"fill_in placeholderRE overflowing", func(d *Document) {
			questionAt(d, atFill).Prompt = "{{1}}{{2}}{{99999999999999999999999}}"
		}, []string{atFill + ".prompt=placeholder_unknown"}},
		{"fill_in look-alikes are plain text", func(d *Document) { questionAt(d, atFill).Prompt = "{{1}} {2} {{ 3 }} {{x}} {{2}}" }, nil},
		{"fill_in no blanks", func(d *Document) { questionAt(d, atFill).Blanks = nil }, []string{atFill + ".blanks=too_few"}},
		{"fill_in too many blanks", func(d *Document) {
			q := questionAt(d, atFill)
			q.Prompt = ""
			for i := range 101 {
				q.Prompt += "{{" + strconv.Itoa(i+1) + "}}"
			}
			for len(q.Blanks) < 101 {
				q.Blanks = append(q.Blanks, Blank{Accepted: []string{"x"}, Points: 1})
			}
		}, []string{atFill + ".blanks=too_many"}},
		{"blank without accepted answers", func(d *Document) { questionAt(d, atFill).Blanks[0].Accepted = nil }, []string{atFill + ".blanks[0].accepted=too_few"}},
		{"blank accepted answer blank", func(d *Document) { questionAt(d, atFill).Blanks[1].Accepted[1] = " \u3000" }, []string{atFill + ".blanks[1].accepted[1]=required"}},
		{"blank accepted answer too long", func(d *Document) { questionAt(d, atFill).Blanks[1].Accepted[0] = long(1001) }, []string{atFill + ".blanks[1].accepted[0]=too_long"}},
		{"blank too many accepted answers", func(d *Document) {
			b := &questionAt(d, atFill).Blanks[0]
			for len(b.Accepted) <= 50 {
				b.Accepted = append(b.Accepted, "x")
			}
		}, []string{atFill + ".blanks[0].accepted=too_many"}},
		{"blank points missing", func(d *Document) { questionAt(d, atFill).Blanks[1].Points = 0 }, []string{atFill + ".blanks[1].points=not_positive"}},
		{"blank points not a half", func(d *Document) { questionAt(d, atFill).Blanks[1].Points = 0.75 }, []string{atFill + ".blanks[1].points=not_multiple_of_half"}},
		{"fill_in with points", func(d *Document) { questionAt(d, atFill).Points = 2 }, []string{atFill + ".points=unknown_field"}},
		{"fill_in with options", func(d *Document) { questionAt(d, atFill).Options = makeOptions(2) }, []string{atFill + ".options=unknown_field"}},
		{"fill_in with answers", func(d *Document) { questionAt(d, atFill).Answers = []string{"客人"} }, []string{atFill + ".answers=unknown_field"}},

		// essay.
		{"essay points missing", func(d *Document) { questionAt(d, atEssay2).Points = 0 }, []string{atEssay2 + ".points=not_positive"}},
		{"essay points not a half", func(d *Document) { questionAt(d, atEssay2).Points = 9.9 }, []string{atEssay2 + ".points=not_multiple_of_half"}},
		{"essay reference answer too long", func(d *Document) { questionAt(d, atEssay).ReferenceAnswer = long(20001) }, []string{atEssay + ".reference_answer=too_long"}},
		{"rubric criterion blank", func(d *Document) { questionAt(d, atEssay).Rubric[0].Criterion = "" }, []string{atEssay + ".rubric[0].criterion=required"}},
		{"rubric points missing", func(d *Document) { questionAt(d, atEssay).Rubric[1].Points = 0 }, []string{atEssay + ".rubric[1].points=not_positive"}},
		{"rubric points not a half", func(d *Document) { questionAt(d, atEssay).Rubric[1].Points = 2.2 }, []string{atEssay + ".rubric[1].points=not_multiple_of_half"}},
		{"rubric above the question's points", func(d *Document) { questionAt(d, atEssay).Rubric[1].Points = 15.5 }, []string{atEssay + ".rubric=rubric_over_points"}},
		{"rubric sum with bad points is not also reported", func(d *Document) { questionAt(d, atEssay).Points = 0 }, []string{atEssay + ".points=not_positive"}},
		{"rubric too long", func(d *Document) {
			q := questionAt(d, atEssay)
			q.Points = 1000
			for len(q.Rubric) <= 50 {
				q.Rubric = append(q.Rubric, RubricItem{Criterion: "c", Points: 0.5})
			}
		}, []string{atEssay + ".rubric=too_many"}},
		{"essay with answer", func(d *Document) { questionAt(d, atEssay).Answer = json.RawMessage(`true`) }, []string{atEssay + ".answer=unknown_field"}},
		{"essay with blanks", func(d *Document) { questionAt(d, atEssay).Blanks = []Blank{} }, []string{atEssay + ".blanks=unknown_field"}},
		{"essay with scoring", func(d *Document) { questionAt(d, atEssay2).Scoring = &Scoring{} }, []string{atEssay2 + ".scoring=unknown_field"}},
		{"essay with options", func(d *Document) { questionAt(d, atEssay2).Options = makeOptions(3) }, []string{atEssay2 + ".options=unknown_field"}},
		{"reference answer on a true_false", func(d *Document) { questionAt(d, atTF).ReferenceAnswer = "因为" }, []string{atTF + ".reference_answer=unknown_field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fiveTypeDoc()
			tt.break_(d)
			assertProblemPaths(t, Validate(d), "exam is not valid", tt.want)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	d := fiveTypeDoc()
	d.TimeLimitSeconds = 0
	d.Tracks = append(d.Tracks, "manager")
	questionAt(d, atSC).Answer = json.RawMessage(`"h"`)
	questionAt(d, atMC).Answers = []string{"a", "z"}
	questionAt(d, atFill).Blanks[0].Accepted = []string{" "}

	err := Validate(d)
	assertProblemPaths(t, err, "exam is not valid", []string{
		"time_limit_seconds=out_of_range",
		"tracks[2]=duplicate",
		atSC + ".answer=unknown_option",
		atMC + ".answers[1]=unknown_option",
		atFill + ".blanks[0].accepted[0]=required",
	})

	var ve *ValidationError
	errors.As(err, &ve)
	for _, p := range ve.Problems {
		if p.Field == atSC+".answer" && p.Message != `unknown option key "h"` {
			t.Errorf("answer message %q", p.Message)
		}
	}
	if !strings.HasPrefix(err.Error(), "exam is not valid: ") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestValidateMessagesNameTheMistake(t *testing.T) {
	d := fiveTypeDoc()
	questionAt(d, atTF).Options = makeOptions(2)
	questionAt(d, atMC).Points = 3
	err := Validate(d)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	want := map[string]string{
		atTF + ".options": "not used by true_false questions",
		atMC + ".points":  "not used by multiple_choice questions; a multiple_choice question is worth scoring.per_correct × the number of answers",
	}
	for _, p := range ve.Problems {
		if want[p.Field] != p.Message {
			t.Errorf("%s: %q, want %q", p.Field, p.Message, want[p.Field])
		}
	}
}

func TestValidateCapsTheNumberOfProblems(t *testing.T) {
	d := fiveTypeDoc()
	s := &d.Sections[3]
	for len(s.Questions) < 500-5 {
		s.Questions = append(s.Questions, Question{Type: TypeTrueFalse, Answer: json.RawMessage(`"no"`), Options: []Option{}})
	}
	var ve *ValidationError
	if !errors.As(Validate(d), &ve) {
		t.Fatal("no validation error")
	}
	if len(ve.Problems) != limitProblems+1 || ve.Problems[limitProblems].Field != "" {
		t.Errorf("got %d problems, last %+v", len(ve.Problems), ve.Problems[len(ve.Problems)-1])
	}
}

func TestValidateNil(t *testing.T) {
	assertProblemPaths(t, Validate(nil), "exam is not valid", []string{"=required"})
}

func TestValidateDoesNotMutate(t *testing.T) {
	// A document Validate might be tempted to change (defaults left out, a
	// padded answer, unordered and repeated lists), made twice: one for
	// Validate and one to compare with.
	unnormalized := func() *Document {
		d := fiveTypeDoc()
		d.GraceSeconds = nil
		questionAt(d, atMC).Scoring = nil
		questionAt(d, atTF).Answer = json.RawMessage(` true `)
		questionAt(d, atSC).Answers = []string{"b", "a"}
		d.Tracks = []string{"supervisor", "manager", "manager"}
		return d
	}
	d, before := unnormalized(), unnormalized()

	_ = Validate(d)
	if !reflect.DeepEqual(d, before) {
		t.Error("Validate changed the document")
	}
}

func TestNormalize(t *testing.T) {
	d := fiveTypeDoc()
	d.GraceSeconds = nil
	questionAt(d, atMC).Scoring = &Scoring{PerCorrect: 2, PerWrong: 0, Floor: 0}
	d.Normalize()

	if d.GraceSeconds == nil || *d.GraceSeconds != DefaultGraceSeconds {
		t.Errorf("grace_seconds = %v, want %d", d.GraceSeconds, DefaultGraceSeconds)
	}
	if got := *questionAt(d, atMC).Scoring; got != (Scoring{PerCorrect: 2}) {
		t.Errorf("given scoring overwritten: %+v", got)
	}
	if got := questionAt(d, atMC2).Scoring; got == nil || *got != DefaultScoring {
		t.Errorf("default scoring = %+v, want %+v", got, DefaultScoring)
	}
	for _, path := range []string{atFill, atTF, atSC, atEssay, atEssay2} {
		if questionAt(d, path).Scoring != nil {
			t.Errorf("%s got scoring", path)
		}
	}
	if err := Validate(d); err != nil {
		t.Errorf("normalized document no longer valid: %v", err)
	}

	// Each question gets a Scoring of its own, so that editing one (or the
	// package default) never edits another.
	questionAt(d, atMC2).Scoring.PerCorrect = 5
	if DefaultScoring.PerCorrect != 1 {
		t.Error("Normalize aliased DefaultScoring")
	}

	g := 0
	d.GraceSeconds = &g
	d.Normalize()
	if *d.GraceSeconds != 0 {
		t.Error("Normalize replaced a grace of 0")
	}

	var none *Document
	none.Normalize() // must not panic
}
