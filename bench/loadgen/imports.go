package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"examd/exam"
	"examd/formats"
)

// S7 (issue 13): how long POST /api/v1/imports takes for the papers a
// recruiter brings: a 500-question text paper (about 150 KB) and a
// 1,000-row spreadsheet. Both sources are written by examd's own exporters
// from a generated exam of every question type, so the reader does the
// full work of a real paper (headings, options, keys, points, tracks). Each
// is posted 20 times, one after the other, on loopback; the p99 of 20 is
// the slowest but one.
const (
	s7Repeats     = 20
	s7TextP99ms   = 200
	s7XLSXP99ms   = 500
	s7TextQs      = 500
	s7XLSXRows    = 1000
	s7PaperPrompt = "写字楼客户服务中，遇到业主投诉空调温度不合适时，客服人员首先应当如何处理？请结合物业服务规范作答"
)

// s7Document makes an exam of n questions, the five types in turn, in
// sections of 50, with two tracks and some track-only questions.
func s7Document(n int) *exam.Document {
	d := &exam.Document{Title: "导入压测试卷", TimeLimitSeconds: 5400, PassScore: 1, Tracks: []string{"manager", "supervisor"}}
	for i := 0; i < n; i++ {
		if i%50 == 0 {
			d.Sections = append(d.Sections, exam.Section{Title: fmt.Sprintf("第%d部分", len(d.Sections)+1), Instructions: "每题按所注分值计分"})
		}
		s := &d.Sections[len(d.Sections)-1]
		prompt := fmt.Sprintf("%s（第%d题）", s7PaperPrompt, i+1)
		opts := []exam.Option{{Key: "a", Text: "立即登记并联系工程部"}, {Key: "b", Text: "请业主自行调节"}, {Key: "c", Text: "向主管汇报后再答复"}, {Key: "d", Text: "告知无法处理"}}
		var q exam.Question
		switch i % 5 {
		case 0:
			q = exam.Question{Type: exam.TypeSingleChoice, Prompt: prompt, Options: opts, Answer: json.RawMessage(`"a"`), Points: 2}
		case 1:
			q = exam.Question{Type: exam.TypeMultipleChoice, Prompt: prompt, Options: opts, Answers: []string{"a", "c"}}
		case 2:
			q = exam.Question{Type: exam.TypeTrueFalse, Prompt: prompt, Answer: json.RawMessage(`true`), Points: 1}
		case 3:
			q = exam.Question{Type: exam.TypeFillIn, Prompt: prompt + "，应先向{{1}}致意。", Blanks: []exam.Blank{{Accepted: []string{"客人", "客户"}, Points: 1}}}
		default:
			q = exam.Question{Type: exam.TypeEssay, Prompt: prompt, Points: 10, ReferenceAnswer: "先安抚情绪，再登记、派单、回访。"}
		}
		if i%7 == 0 {
			q.Tracks = []string{"manager"}
		}
		s.Questions = append(s.Questions, q)
	}
	return d
}

func (b *bench) s7(token string) error {
	type source struct {
		name, format string
		body         map[string]string
		size         int
		questions    int
		p99Target    float64
	}
	text, _, _, err := formats.Write("text", s7Document(s7TextQs))
	if err != nil {
		return fmt.Errorf("S7: writing the text paper: %w", err)
	}
	sheet, _, _, err := formats.Write("xlsx", s7Document(s7XLSXRows))
	if err != nil {
		return fmt.Errorf("S7: writing the spreadsheet: %w", err)
	}
	sources := []source{
		{name: fmt.Sprintf("S7 import of a %d-question paper (text, %.0f KB), POST /imports", s7TextQs, float64(len(text))/1024), format: "text",
			body: map[string]string{"format": "text", "content": string(text)}, size: len(text), questions: s7TextQs, p99Target: s7TextP99ms},
		{name: fmt.Sprintf("S7 import: %d-row xlsx (%.0f KB), POST /imports", s7XLSXRows, float64(len(sheet))/1024), format: "xlsx",
			body: map[string]string{"format": "xlsx", "content_base64": base64.StdEncoding.EncodeToString(sheet)}, size: len(sheet), questions: s7XLSXRows, p99Target: s7XLSXP99ms},
	}
	for _, src := range sources {
		var times []float64
		var errs int64
		got := 0
		for i := 0; i < s7Repeats; i++ {
			var out struct {
				Stats struct {
					Questions int `json:"questions"`
				} `json:"stats"`
			}
			t0 := time.Now()
			_, err := b.api.do(b.ctx, "POST", "/imports", token, src.body, &out, 200)
			times = append(times, float64(time.Since(t0).Microseconds())/1000)
			if err != nil {
				errs++
				if errs == 1 {
					b.detail("S7 %s: first error: %v", src.format, err)
				}
				continue
			}
			got = out.Stats.Questions
		}
		sort.Float64s(times)
		p50, p99 := times[len(times)/2], times[len(times)-2]
		if got != src.questions {
			b.fail("S7 %s: the import read %d questions, want %d", src.format, got, src.questions)
			errs++
		}
		b.detail("S7 %s: %d bytes posted %d times: p50 %.1f, p99 %.1f, max %.1f ms; %d questions read back; %d errors.",
			src.format, src.size, s7Repeats, p50, p99, times[len(times)-1], got, errs)
		b.add(Scenario{Name: src.name, Value: round(p99), Unit: "ms (p99 of 20)",
			Target: fmt.Sprintf("p99 <= %.0f ms, every question read", src.p99Target),
			Met:    p99 <= src.p99Target && errs == 0, P50ms: num(p50), P99ms: num(p99), Errors: errs})
	}
	return nil
}
