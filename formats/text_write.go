package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"examd/exam"
)

// WriteText writes d as a text paper that ReadText reads back to the same
// document, ids aside (option keys come back as a, b, c … in order): tags,
// a section's draw rule, double marking, and a blank's own points and case
// sensitivity each have a line or a note of their own (see docs/api.md).
func WriteText(d *exam.Document) ([]byte, string, string, error) {
	var b bytes.Buffer
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	title := d.Title
	if title == "" {
		title = "试卷"
	}
	line("%s", title)
	for _, l := range splitText(d.Description) {
		line("%s", l)
	}
	if d.TimeLimitSeconds%60 == 0 {
		line("考试时间：%d分钟", d.TimeLimitSeconds/60)
	} else {
		line("考试时间：%d秒", d.TimeLimitSeconds)
	}
	if d.GraceSeconds != nil {
		line("宽限时间：%d秒", *d.GraceSeconds)
	}
	if d.PassScore != 0 {
		line("及格分：%s", fmtNum(d.PassScore))
	}
	if r := d.Review; r != nil {
		if r.Markers == 2 {
			line("评阅：双评，分差上限%s分", fmtNum(r.Tolerance))
		} else {
			line("评阅：单评")
		}
	}
	if len(d.Tracks) > 0 {
		parts := make([]string, len(d.Tracks))
		for i, t := range d.Tracks {
			parts[i] = t + "=" + d.TrackLabels[t]
		}
		line("适用岗位：%s", strings.Join(parts, "；"))
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{d.ShuffleQuestions, "题目乱序"}, {d.ShuffleOptions, "选项乱序"}, {d.ShowScoreToCandidate, "交卷后显示得分"}, {d.ShowExplanations, "交卷后显示解析"}} {
		if f.on {
			line("%s：是", f.name)
		}
	}
	for si, s := range d.Sections {
		line("")
		line("%s、%s", cnNumber(si+1), s.Title)
		for _, l := range splitText(s.Instructions) {
			line("%s", l)
		}
		if dr := s.Draw; dr != nil {
			var filter []string
			if dr.Type != "" {
				filter = append(filter, "题型："+typeMarker[dr.Type])
			}
			if len(dr.Tags) > 0 {
				filter = append(filter, "标签："+strings.Join(dr.Tags, "、"))
			}
			if len(filter) > 0 {
				line("抽题：从题库抽取%d题（%s）", dr.Count, strings.Join(filter, "；"))
			} else {
				line("抽题：从题库抽取%d题", dr.Count)
			}
		}
		for qi, q := range s.Questions {
			writeQuestion(&b, d, qi+1, &q)
		}
	}
	return b.Bytes(), "txt", "text/plain; charset=utf-8", nil
}

var typeMarker = map[string]string{
	exam.TypeSingleChoice: "单选题", exam.TypeMultipleChoice: "多选题", exam.TypeTrueFalse: "判断题",
	exam.TypeFillIn: "填空题", exam.TypeEssay: "简答题",
}

func writeQuestion(b *bytes.Buffer, d *exam.Document, n int, q *exam.Question) {
	prompt := q.Prompt
	if q.Type == exam.TypeFillIn {
		prompt = placeholderRE.ReplaceAllString(prompt, "____")
	}
	lines := splitText(prompt)
	if len(lines) == 0 {
		lines = []string{""}
	}
	head := fmt.Sprintf("%d. [%s] %s", n, typeMarker[q.Type], lines[0])
	switch q.Type {
	case exam.TypeMultipleChoice:
		if s := q.Scoring; s != nil {
			head += fmt.Sprintf("（每选对一项得%s分，选错一项减%s分，最低%s分）", fmtNum(s.PerCorrect), fmtNum(s.PerWrong), fmtNum(s.Floor))
		}
	case exam.TypeFillIn:
		sum := 0.0
		for _, bl := range q.Blanks {
			sum += bl.Points
		}
		head += fmt.Sprintf("（%s分）", fmtNum(sum))
	default:
		head += fmt.Sprintf("（%s分）", fmtNum(q.Points))
	}
	words := make([]string, len(q.Tracks))
	for i, t := range q.Tracks {
		words[i] = t
		if l := d.TrackLabels[t]; l != "" {
			words[i] = l
		}
	}
	// A stem with words that read as a track marker, "（主管、经理分别答）",
	// keeps them: the question's tracks go on a line of their own.
	ownLine := len(d.Tracks) > 0 && reTrack.MatchString(foldString(q.Prompt))
	if len(q.Tracks) > 0 && !ownLine {
		head += "（" + strings.Join(words, "、") + "答）"
	}
	fmt.Fprintln(b, head)
	for _, l := range lines[1:] {
		fmt.Fprintln(b, "  "+l)
	}

	for i, o := range q.Options {
		fmt.Fprintf(b, "%c. %s\n", 'A'+i, o.Text)
	}
	label := func(key string) string {
		for i, o := range q.Options {
			if o.Key == key {
				return string(rune('A' + i))
			}
		}
		return key
	}
	switch q.Type {
	case exam.TypeSingleChoice:
		var k string
		if json.Unmarshal(q.Answer, &k) == nil && k != "" {
			fmt.Fprintf(b, "答案：%s\n", label(k))
		}
	case exam.TypeMultipleChoice:
		var ls []string
		for _, k := range q.Answers {
			ls = append(ls, label(k))
		}
		if len(ls) > 0 {
			fmt.Fprintf(b, "答案：%s\n", strings.Join(ls, ""))
		}
	case exam.TypeTrueFalse:
		var v bool
		if json.Unmarshal(q.Answer, &v) == nil {
			if v {
				fmt.Fprintln(b, "答案：√")
			} else {
				fmt.Fprintln(b, "答案：×")
			}
		}
	case exam.TypeFillIn:
		// Each blank's points and case sensitivity are noted after its
		// answers when the reader's even share of the question's points
		// would not give them back.
		noted := false
		for _, bl := range q.Blanks {
			noted = noted || bl.CaseSensitive || bl.Points != q.Blanks[0].Points
		}
		var parts []string
		for _, bl := range q.Blanks {
			part := strings.Join(bl.Accepted, "/")
			switch {
			case noted && bl.CaseSensitive:
				part += fmt.Sprintf("（%s分，区分大小写）", fmtNum(bl.Points))
			case noted:
				part += fmt.Sprintf("（%s分）", fmtNum(bl.Points))
			}
			parts = append(parts, part)
		}
		if len(parts) > 0 {
			fmt.Fprintf(b, "答案：%s\n", strings.Join(parts, "；"))
		}
	case exam.TypeEssay:
		if ref := splitText(q.ReferenceAnswer); len(ref) > 0 {
			fmt.Fprintf(b, "参考答案：%s\n", ref[0])
			for _, l := range ref[1:] {
				fmt.Fprintln(b, "  "+l)
			}
		}
		for _, r := range q.Rubric {
			fmt.Fprintf(b, "评分要点：%s（%s分）\n", r.Criterion, fmtNum(r.Points))
		}
	}
	if ex := splitText(q.Explanation); len(ex) > 0 {
		fmt.Fprintf(b, "解析：%s\n", ex[0])
		for _, l := range ex[1:] {
			fmt.Fprintln(b, "  "+l)
		}
	}
	if ownLine {
		if len(words) == 0 {
			words = []string{"全部"}
		}
		fmt.Fprintf(b, "适用岗位：%s\n", strings.Join(words, "、"))
	}
	if len(q.Tags) > 0 {
		fmt.Fprintf(b, "标签：%s\n", strings.Join(q.Tags, "、"))
	}
}

var placeholderRE = regexp.MustCompile(`\{\{[0-9]+\}\}`)

func splitText(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
