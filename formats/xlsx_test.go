package formats

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"examd/exam"
)

// Texts the property test draws from: Chinese and English, the characters
// the xlsx cells give a meaning to (". " | : \ and line breaks), spaces at
// either end, and strings that look like numbers, booleans or formulas.
var xlsxTexts = []string{"是", "不是", "客服经理 Customer service", "a. b", `back\slash`, `\n literally`, "two\nlines",
	"pipe | here", "colon: here", "  padded  ", "007", "1.50", "TRUE", "=SUM(A1)", "'quoted", "50%", "{{braces}}", "ä ö ü", "😀 emoji"}

func pickOne[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func randCellText(r *rand.Rand) string {
	var parts []string
	for n := 1 + r.IntN(3); n > 0; n-- {
		parts = append(parts, pickOne(r, xlsxTexts))
	}
	return strings.Join(parts, pickOne(r, []string{" ", "", "\n", "、"}))
}

// xlsxTags are one to three tags, some with the characters the cells give
// a meaning to.
func xlsxTags(r *rand.Rand) []string {
	tags := []string{"服务礼仪", `back\slash`, "a: b|c", "50%", "投诉处理"}
	r.Shuffle(len(tags), func(i, j int) { tags[i], tags[j] = tags[j], tags[i] })
	return tags[:1+r.IntN(3)]
}

func randHalfPoints(r *rand.Rand, max int) float64 { return float64(1+r.IntN(max*2)) / 2 }

// randXLSXDocument makes a valid exam document with every optional field
// sometimes set.
func randXLSXDocument(r *rand.Rand) *exam.Document {
	d := &exam.Document{Title: randCellText(r), TimeLimitSeconds: 60 + r.IntN(100000), PassScore: float64(r.IntN(5))}
	if r.IntN(2) == 0 {
		d.Description = randCellText(r)
	}
	if r.IntN(2) == 0 {
		g := r.IntN(3600)
		d.GraceSeconds = &g
	}
	d.ShuffleQuestions, d.ShuffleOptions, d.ShowScoreToCandidate, d.ShowExplanations = r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(2) == 0
	if r.IntN(3) == 0 {
		d.Review = &exam.ReviewSetting{Markers: 2, Tolerance: randHalfPoints(r, 4)}
	}
	if r.IntN(2) == 0 {
		d.Tracks = []string{"manager", "主管", "a: b|c"}[:1+r.IntN(3)]
		if r.IntN(2) == 0 {
			d.TrackLabels = map[string]string{d.Tracks[0]: "经理: 1"}
		}
	}
	for s := 1 + r.IntN(3); s > 0; s-- {
		sec := exam.Section{Title: pickOne(r, []string{"一、单选", "一、单选", "Part 2", randCellText(r)}), Questions: []exam.Question{}}
		if r.IntN(2) == 0 {
			sec.Instructions = randCellText(r)
		}
		for n := r.IntN(6); n > 0; n-- {
			sec.Questions = append(sec.Questions, randXLSXQuestion(r, d.Tracks))
		}
		// A section draws from the bank sometimes, and always when it
		// has no question of its own.
		if len(sec.Questions) == 0 || r.IntN(3) == 0 {
			sec.Draw = &exam.Draw{Count: 1 + r.IntN(5)}
			if r.IntN(2) == 0 {
				sec.Draw.Type = pickOne(r, []string{exam.TypeSingleChoice, exam.TypeEssay, exam.TypeFillIn})
			}
			if r.IntN(2) == 0 {
				sec.Draw.Tags = xlsxTags(r)
			}
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}

func randXLSXQuestion(r *rand.Rand, tracks []string) exam.Question {
	q := exam.Question{Prompt: randCellText(r)}
	if len(tracks) > 0 && r.IntN(2) == 0 {
		q.Tracks = tracks[:1+r.IntN(len(tracks))]
	}
	if r.IntN(2) == 0 {
		q.Tags = xlsxTags(r)
	}
	if r.IntN(2) == 0 {
		q.Explanation = randCellText(r)
	}
	opts := func() []exam.Option {
		keys := pickOne(r, [][]string{{"a", "b"}, {"a", "b", "c", "d"}, {"x.1", "y\\2", "z"}, {"甲", "乙", "丙"}})
		var o []exam.Option
		for _, k := range keys {
			o = append(o, exam.Option{Key: k, Text: randCellText(r)})
		}
		return o
	}
	switch r.IntN(5) {
	case 0:
		q.Type, q.Points = exam.TypeTrueFalse, randHalfPoints(r, 5)
		q.Answer = json.RawMessage(fmt.Sprint(r.IntN(2) == 0))
	case 1:
		q.Type, q.Points, q.Options = exam.TypeSingleChoice, randHalfPoints(r, 5), opts()
		q.Answer, _ = json.Marshal(pickOne(r, q.Options).Key)
	case 2:
		q.Type, q.Options = exam.TypeMultipleChoice, opts()
		q.Answers = []string{q.Options[0].Key, q.Options[len(q.Options)-1].Key}
		if r.IntN(2) == 0 {
			q.Scoring = &exam.Scoring{PerCorrect: randHalfPoints(r, 3), PerWrong: float64(r.IntN(3)), Floor: 0}
		}
	case 3:
		q.Type = exam.TypeFillIn
		n := 1 + r.IntN(3)
		q.Prompt = ""
		for i := 1; i <= n; i++ {
			q.Prompt += randCellText(r) + fmt.Sprintf("{{%d}}", i)
			q.Blanks = append(q.Blanks, exam.Blank{Accepted: []string{randCellText(r), "pipe|x"}[:1+r.IntN(2)], Points: randHalfPoints(r, 3), CaseSensitive: r.IntN(2) == 0})
		}
	default:
		q.Type, q.Points = exam.TypeEssay, 10
		if r.IntN(2) == 0 {
			q.ReferenceAnswer = randCellText(r)
		}
		if r.IntN(2) == 0 {
			q.Rubric = []exam.RubricItem{{Criterion: randCellText(r), Points: 5}, {Criterion: "7: x", Points: 2.5}}
		}
	}
	return q
}

func TestXLSXRoundTripIsLossless(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 2026))
	for i := 0; i < 60; i++ {
		d := randXLSXDocument(r)
		if err := exam.Validate(d); err != nil {
			t.Fatalf("the generator made an invalid document: %v", err)
		}
		body, ext, ctype, err := Write("xlsx", d)
		if err != nil || ext != "xlsx" || ctype != XLSXContentType {
			t.Fatalf("Write: %v %q %q", err, ext, ctype)
		}
		res, err := Read("", body, "")
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if res.Format != "xlsx" || len(res.Problems) != 0 {
			t.Errorf("format %q, problems %+v", res.Format, res.Problems)
		}
		want, _ := json.MarshalIndent(d, "", " ")
		got, _ := json.MarshalIndent(res.Exam, "", " ")
		if string(want) != string(got) {
			t.Fatalf("document %d changed in a round trip:\nwant %s\ngot  %s", i, want, got)
		}
	}
}

// readSheet reads a workbook whose first sheet holds rows, as a file name.
func readSheet(t *testing.T, rows [][]any, name string) *Result {
	t.Helper()
	f := excelize.NewFile()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read("", buf.Bytes(), name)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestXLSXHandWrittenSheet(t *testing.T) {
	// A sheet as a recruiter types it: Chinese headers only, Chinese type
	// names, 对/错 keys, no exam sheet, columns in another order.
	rows := [][]any{
		{"题目", "题型", "选项", "答案", "分值", "分区", "标签"},
		{"上班途中交通事故是否属于工伤？", "单选", "a. 是\nb. 不是", "a", 2, "一、单选", "劳动法"},
		{"节能时可以关闭疏散楼梯照明。", "判断", "", "错", 1, "二、判断"},
		{"", "", "", "", "", ""},
		{"经理应重点做好哪些工作？", "简答", "", "", 10, "三、论述"},
		{"5A 包括", "多选", "a. 办公\nb. 通讯\nc. 绿化", "a\nb", "", "三、论述"},
	}
	res := readSheet(t, rows, "客服题库.xlsx")
	d := res.Exam
	if d.Title != "客服题库" || len(d.Sections) != 3 || d.Sections[2].Title != "三、论述" || len(d.Sections[2].Questions) != 2 {
		t.Fatalf("document %+v", d)
	}
	q := d.Sections[0].Questions[0]
	if q.Type != exam.TypeSingleChoice || string(q.Answer) != `"a"` || q.Points != 2 || len(q.Options) != 2 || q.Options[1].Text != "不是" ||
		strings.Join(q.Tags, ",") != "劳动法" {
		t.Errorf("single choice %+v", q)
	}
	if tf := d.Sections[1].Questions[0]; tf.Type != exam.TypeTrueFalse || string(tf.Answer) != "false" {
		t.Errorf("true/false %+v", tf)
	}
	if mc := d.Sections[2].Questions[1]; mc.Type != exam.TypeMultipleChoice || strings.Join(mc.Answers, ",") != "a,b" {
		t.Errorf("multiple choice %+v", mc)
	}
	if len(res.Problems) != 1 || !sayProblems(res.Problems, 0, "sheet") {
		t.Errorf("problems %+v", res.Problems)
	}
}

// A section's draw rule is a row with a count in 抽题数: of the row's type,
// with its tags. A section may be a draw alone; a bad count or a second
// draw row is a problem on its line, and the rest of the sheet still reads.
func TestXLSXDrawRows(t *testing.T) {
	rows := [][]any{
		{"分区", "题型", "题目", "答案", "分值", "标签", "抽题数"},
		{"一、单选", "单选", "投诉先做什么？", "", 2, "", ""},
		{"一、单选", "单选", "", "", "", "投诉处理\n沟通", 3},
		{"一、单选", "", "", "", "", "", 1},
		{"二、论述", "", "", "", "", "", "many"},
		{"三、随机", "", "服务是什么？", "", "", "", 2},
	}
	res := readSheet(t, rows, "")
	d := res.Exam
	if len(d.Sections) != 3 {
		t.Fatalf("sections %+v", d.Sections)
	}
	if dr := d.Sections[0].Draw; dr == nil || dr.Count != 3 || dr.Type != exam.TypeSingleChoice || strings.Join(dr.Tags, ",") != "投诉处理,沟通" || len(d.Sections[0].Questions) != 1 {
		t.Errorf("first section %+v, draw %+v", d.Sections[0], dr)
	}
	if d.Sections[1].Draw != nil || d.Sections[2].Draw == nil || d.Sections[2].Draw.Count != 2 || len(d.Sections[2].Questions) != 0 {
		t.Errorf("sections %+v", d.Sections)
	}
	for _, want := range []struct {
		line  int
		field string
		words string
	}{{4, "sections[0].draw", "already draws"}, {5, "sections[1].draw.count", `"many"`}, {6, "sections[2].draw", "prompt was skipped"}} {
		found := false
		for _, p := range res.Problems {
			found = found || p.Line == want.line && p.Field == want.field && strings.Contains(p.Message, want.words)
		}
		if !found {
			t.Errorf("no problem %+v in %+v", want, res.Problems)
		}
	}
}

func TestXLSXUnreadable(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"name", "email"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"x", "y"})
	roster, _ := f.WriteToBuffer()
	header, _ := excelize.NewFile().WriteToBuffer()
	for name, src := range map[string][]byte{"not a zip": []byte("hello"), "no type column": roster.Bytes(), "empty sheet": header.Bytes()} {
		assertUnreadable(t, "xlsx", name, src)
	}
}

func TestXLSXTemplate(t *testing.T) {
	body, err := XLSXTemplate()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(xlsxQuestions)
	if len(rows) != 6 || rows[0][3] != "题型 type" || rows[0][4] != "题目 prompt" {
		t.Fatalf("template rows %q", rows)
	}
	dvs, err := f.GetDataValidations(xlsxQuestions)
	if err != nil || len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "multiple_choice") || !strings.HasPrefix(dvs[0].Sqref, "D2:") {
		t.Fatalf("data validations %+v %v", dvs, err)
	}
	res, err := Read("xlsx", body, "template.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if st := Count(res.Exam); st.Questions != 5 || st.ByType[exam.TypeEssay] != 1 || st.ByType[exam.TypeFillIn] != 1 {
		t.Errorf("the template's examples read as %+v", st)
	}
	if err := exam.Validate(res.Exam); err != nil {
		t.Errorf("the template's examples break the rules: %v", err)
	}
}

func BenchmarkImportXLSX1000(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1000))
	d := &exam.Document{Title: "bench", TimeLimitSeconds: 3600}
	for s := 0; s < 10; s++ {
		sec := exam.Section{Title: fmt.Sprintf("Part %d", s+1)}
		for i := 0; i < 100; i++ {
			sec.Questions = append(sec.Questions, randXLSXQuestion(r, nil))
		}
		d.Sections = append(d.Sections, sec)
	}
	body, _, _, err := Write("xlsx", d)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Read("xlsx", body, "")
		if err != nil || Count(res.Exam).Questions != 1000 {
			b.Fatal(err)
		}
	}
}
