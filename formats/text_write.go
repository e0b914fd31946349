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
// document, ids aside. Option keys come back as a, b, c … in order; a
// fill-in's blanks come back sharing the question's points evenly; case
// sensitivity of blanks and tags are not written (see docs/api.md).
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
	if len(q.Tracks) > 0 {
		words := make([]string, len(q.Tracks))
		for i, t := range q.Tracks {
			words[i] = t
			if l := d.TrackLabels[t]; l != "" {
				words[i] = l
			}
		}
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
		var parts []string
		for _, bl := range q.Blanks {
			parts = append(parts, strings.Join(bl.Accepted, "/"))
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
}

var placeholderRE = regexp.MustCompile(`\{\{[0-9]+\}\}`)

func splitText(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}
