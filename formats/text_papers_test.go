package formats

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"examd/exam"
)

// paperExpect is a hand-written answer for each paper of testdata/papers:
// per question "type options key" (key "-" when the paper gives none; a
// true/false key is true or false, a fill-in key its accepted answers
// joined by "|", an essay's is "-").
var paperExpect = map[string][]string{
	"01-wuye-kefu.txt": {
		"single_choice 4 c", "single_choice 4 b", "single_choice 4 b", "single_choice 4 c", "single_choice 4 b",
	},
	"02-jiudian-qiantai.txt": {
		"single_choice 4 a", "single_choice 4 b", "single_choice 4 b", "single_choice 4 c",
	},
	"03-anquan-yingzhi.txt": {
		"fill_in 0 安全帽", "fill_in 0 绿色", "fill_in 0 切断电源", "single_choice 4 b", "single_choice 4 c",
	},
	"04-anquan-jingsai.txt": {
		"single_choice 3 b", "single_choice 3 c", "single_choice 3 a",
	},
	"05-en-cs-test.txt": {
		"single_choice 4 c", "single_choice 4 b", "single_choice 4 b",
	},
	"06-en-unit-exam.txt": {
		"single_choice 4 -", "single_choice 4 -", "single_choice 4 -", "single_choice 4 -",
	},
	"07-xingzheng-wenshu.txt": {
		"single_choice 4 a", "single_choice 4 c", "single_choice 4 b",
	},
	"09-wuye-gongcheng.txt": {
		"single_choice 4 -", "single_choice 4 -", "single_choice 3 -", "single_choice 4 -", "single_choice 4 -",
	},
	"10-kuaiji-shiwu.txt": {
		"single_choice 4 -", "single_choice 4 -", "multiple_choice 4 -",
	},
	// Run together on one line, as copied out of a document preview.
	"11-qiantai-runon.txt": {
		"single_choice 4 b", "single_choice 4 c", "single_choice 4 c", "multiple_choice 4 abd", "multiple_choice 4 abd",
	},
	"12-baoan-runon.txt": {
		"single_choice 4 b", "single_choice 4 a", "single_choice 4 b", "single_choice 4 b",
		"multiple_choice 4 abd", "multiple_choice 4 abd", "true_false 0 false", "true_false 0 true",
	},
	"13-en-frontdesk-runon.txt": {
		"single_choice 4 b", "single_choice 4 b", "single_choice 4 c",
	},
	// Questions as paragraphs, not numbered.
	"14-en-unnumbered.txt": {
		"single_choice 4 -", "single_choice 4 -", "single_choice 4 -",
	},
	// "Question: 1" on a line of its own, options wrapped, "(Answer)" marks.
	"15-en-question-colon.txt": {
		"single_choice 4 b", "single_choice 4 b", "single_choice 4 b",
	},
	// A web page's list: bullets, every line indented, option text below
	// its label; a true/false question written as two options.
	"16-en-bulleted-list.txt": {
		"single_choice 3 -", "single_choice 3 -", "true_false 0 -",
	},
	// An online quiz's export: 第N题： […题] markers, 正确答案, and one
	// respondent's answers and scores to leave out; 判断题 as A.对 B.错.
	"17-quiz-export.txt": {
		"single_choice 4 b", "multiple_choice 4 abd", "true_false 0 false",
	},
	// 【答案】B【解析】… and 答案：A 解析：… on one line.
	"18-key-and-explanation.txt": {
		"single_choice 4 b", "single_choice 4 a", "true_false 0 false", "true_false 0 true",
	},
	"08-wenmi-kaoshi.txt": {
		"single_choice 4 -", "single_choice 4 -", "single_choice 4 -", "single_choice 4 -",
		"multiple_choice 5 -", "multiple_choice 4 -",
	},
}

func describe(q exam.Question) string {
	key := "-"
	switch q.Type {
	case exam.TypeSingleChoice, exam.TypeTrueFalse:
		if len(q.Answer) > 0 {
			var v any
			_ = json.Unmarshal(q.Answer, &v)
			key = fmt.Sprint(v)
		}
	case exam.TypeMultipleChoice:
		if len(q.Answers) > 0 {
			key = strings.Join(q.Answers, "")
		}
	case exam.TypeFillIn:
		var parts []string
		for _, b := range q.Blanks {
			parts = append(parts, strings.Join(b.Accepted, "/"))
		}
		if len(parts) > 0 && strings.Join(parts, "") != "" {
			key = strings.Join(parts, "|")
		}
	}
	return fmt.Sprintf("%s %d %s", q.Type, len(q.Options), key)
}

// TestTextPapers measures the reader on papers of different layouts: the
// share of questions right in type, options and key.
func TestTextPapers(t *testing.T) {
	right, total := 0, 0
	for name, want := range paperExpect {
		src, err := os.ReadFile("testdata/papers/" + name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ReadText(src, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			total += len(want)
			continue
		}
		var got []string
		for _, s := range res.Exam.Sections {
			for _, q := range s.Questions {
				got = append(got, describe(q))
			}
		}
		if len(got) != len(want) {
			t.Logf("%s: %d questions read, %d expected", name, len(got), len(want))
		}
		for i, w := range want {
			total++
			if i < len(got) && got[i] == w {
				right++
			} else if i < len(got) {
				t.Logf("%s question %d: got %q, want %q", name, i+1, got[i], w)
			}
		}
	}
	share := float64(right) / float64(total)
	fmt.Printf("text reader on %d papers: %d of %d questions right in type, options and key (%.1f%%)\n", len(paperExpect), right, total, 100*share)
	if share < 0.95 {
		t.Errorf("only %.1f%% of questions right; the target is 95%%", 100*share)
	}
}
