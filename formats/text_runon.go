package formats

import (
	"regexp"
	"strings"
	"unicode"
)

// Papers copied out of a document preview often arrive as one long line:
// "一、单项选择题(共30题)1、……?A.……B.……2、……【参考答案及解析】1.【参考答案】B
// 【解析】……". splitRunOn cuts such a line where its parts would have
// started a line: before section headings, before each question number in
// sequence (1, 2, 3 …, or 1 again after a heading), and before the
// explanations and answer areas marked with 【】, and before a key block
// ("参考答案：1.B 2.A …"). A line with fewer than
// three question numbers in sequence, or one without the options of a
// choice question, or one that starts as an answer does (the numbered
// points of an essay's answer, "答：1、…2、…"), is left whole, so ordinary
// lines that merely hold numbers never change.

const runOnMinRunes = 40

var runOnTypeWords = []string{"单项选择", "单选", "多项选择", "多选", "不定项", "判断", "是非", "填空", "简答", "问答", "论述", "案例", "选择题", "综合"}

func splitRunOn(s string) []string {
	rs := []rune(s)
	if len(rs) < runOnMinRunes {
		return []string{s}
	}
	f := make([]rune, len(rs))
	for i, r := range rs {
		f[i] = fold(r)
	}
	var cuts []int
	numbers := 0
	expect, afterHeading := 1, false
	for i := 0; i < len(f); i++ {
		switch {
		case isCnDigit(f[i]) && (i == 0 || !isCnDigit(f[i-1])) && runOnHeading(f, i):
			cuts = append(cuts, i)
			afterHeading = true
		case f[i] >= '0' && f[i] <= '9' && (i == 0 || !unicode.IsDigit(f[i-1])):
			// "Question 2." and "Q2:" are cut before their word, and take
			// a colon or a space after the number too.
			cut := i
			before := string(f[max(0, i-12):i])
			m := reRunOnQWord.FindStringSubmatchIndex(before)
			if m != nil {
				cut = i - len([]rune(before[m[2]:]))
			} else if i > 0 && isWordRune(f[i-1]) {
				continue
			}
			n, end := runOnNumber(f, i, m != nil)
			if end < 0 || !(n == expect || afterHeading && n == 1) {
				continue
			}
			cuts = append(cuts, cut)
			numbers++
			expect, afterHeading = n+1, false
			i = end
		case f[i] == '[' && runOnMarker(f, i):
			cuts = append(cuts, i)
		case (f[i] == 'A' || f[i] == 'a' || f[i] == 'E' || f[i] == 'e' || f[i] == '答' || f[i] == '解') && i > 0 && runOnLabel(f, i):
			cuts = append(cuts, i)
		case runOnKeyBlock(f, i):
			// "参考答案:1.B 2.A …": the key block stays one line.
			cuts = append(cuts, i)
			expect, afterHeading = 1<<30, false
		}
	}
	if numbers < 3 || !runOnPaper(f) {
		return []string{s}
	}
	out := make([]string, 0, len(cuts)+1)
	from := 0
	for _, c := range cuts {
		if part := strings.TrimSpace(string(rs[from:c])); part != "" {
			out = append(out, part)
		}
		from = c
	}
	if part := strings.TrimSpace(string(rs[from:])); part != "" {
		out = append(out, part)
	}
	return out
}

func isCnDigit(r rune) bool { return strings.ContainsRune("一二三四五六七八九十", r) }

// isWordRune: a digit glued to one of these is part of a number or a word
// ("3.5", "GB20647", "第3"), not a question's number.
func isWordRune(r rune) bool {
	return r == '.' || r == '第' || r == '/' || r == '-' || r < 128 && (unicode.IsDigit(r) || unicode.IsLetter(r))
}

// runOnNumber reads a question number at i: digits, then 、 . or ) (also :
// or a space after a named number, "Question 3:") not followed by a digit. It returns the number and the index of its mark, or
// end -1.
func runOnNumber(f []rune, i int, named bool) (n, end int) {
	j := i
	for j < len(f) && f[j] >= '0' && f[j] <= '9' && j-i < 4 {
		n = n*10 + int(f[j]-'0')
		j++
	}
	marks := "、.)"
	if named {
		marks += ": "
	}
	if j >= len(f) || j == i || !strings.ContainsRune(marks, f[j]) {
		return 0, -1
	}
	if j+1 < len(f) && f[j+1] >= '0' && f[j+1] <= '9' {
		return 0, -1
	}
	return n, j
}

// runOnHeading: 一、 … 十二、 followed soon by a question type's word.
func runOnHeading(f []rune, i int) bool {
	j := i
	for j < len(f) && isCnDigit(f[j]) {
		j++
	}
	if j >= len(f) || (f[j] != '、' && f[j] != '.') {
		return false
	}
	rest := string(f[j+1 : min(len(f), j+16)])
	for _, w := range runOnTypeWords {
		if strings.Contains(rest, w) {
			return true
		}
	}
	return false
}

// runOnMarker: 【解析】 or an answer area such as 【参考答案及解析】 (not the
// 【参考答案】 that follows a question's number in a key list).
func runOnMarker(f []rune, i int) bool {
	end := i + 1
	for end < len(f) && f[end] != ']' && end-i < 12 {
		end++
	}
	if end >= len(f) || f[end] != ']' {
		return false
	}
	w := string(f[i+1 : end])
	return w == "解析" || w == "答案解析" || strings.Contains(w, "及解析") || strings.Contains(w, "与解析")
}

// runOnKeyBlock: 参考答案: or 答案: (also 【】-bracketed) followed by the
// first question's number.
func runOnKeyBlock(f []rune, i int) bool {
	for _, w := range []string{"参考答案", "答案"} {
		rest := string(f[i:min(len(f), i+len([]rune(w))+4)])
		if !strings.HasPrefix(rest, w) || i > 0 && f[i-1] == '考' {
			continue
		}
		j := i + len([]rune(w))
		if j < len(f) && f[j] == ']' {
			j++
		}
		if j < len(f) && f[j] == ':' {
			j++
		}
		for j < len(f) && f[j] == ' ' {
			j++
		}
		return j+1 < len(f) && f[j] == '1' && !(f[j+1] >= '0' && f[j+1] <= '9')
	}
	return false
}

var (
	reRunOnQWord  = regexp.MustCompile(`(?i)(?:^|[^a-z])(question|q)\s*[:.]?\s*$`)
	reRunOnLabel  = regexp.MustCompile(`^(?i:answer|correct answer|explanation|rationale)\s*:|^(?:答案|解析)\s*:`)
	reRunOnOption = regexp.MustCompile(`[A-D]\s*[.、)]`)
	reRunOnAnswer = regexp.MustCompile(`^\s*\[?\s*(答|参考答案|答案|解析|评分要点|评分标准)`)
)

// runOnPaper: the line holds options (A. … B. …) and does not start as an
// answer or explanation does.
func runOnPaper(f []rune) bool {
	s := string(f)
	return len(reRunOnOption.FindAllStringIndex(s, 3)) >= 2 && !reRunOnAnswer.MatchString(s)
}

// runOnLabel: "Answer:", "Explanation:", 答案: or 解析: inside the line,
// after a space or a CJK character (not inside a word).
func runOnLabel(f []rune, i int) bool {
	if p := f[i-1]; p < 128 && p != ' ' || strings.ContainsRune("考准确", p) {
		return false // inside a word, or 参考答案 / 标准答案 / 正确答案
	}
	return reRunOnLabel.MatchString(string(f[i:min(len(f), i+20)]))
}

// reKeyThenExpl is a key line that goes on with the explanation:
// "【答案】B【解析】……", "答案：A 解析：……", "Answer: C Explanation: ……".
var reKeyThenExpl = regexp.MustCompile(`(?i)^(\s*(?:[【\[]\s*(?:参考|正确|标准)?答案\s*[】\]]|(?:参考|正确|标准)?答案\s*[:：]|(?:correct )?answers?\s*:)\s*\S.*?)\s*((?:[【\[]\s*(?:答案|试题)?解析\s*[】\]]|(?:答案|试题)?解析\s*[:：]|explanation\s*:).*)$`)

// splitKeyExplanation puts a key line's explanation on a line of its own.
func splitKeyExplanation(line string) []string {
	if !strings.Contains(line, "答案") && !strings.Contains(line, "nswer") && !strings.Contains(line, "NSWER") {
		return []string{line} // most lines: no regular expression run
	}
	m := reKeyThenExpl.FindStringSubmatch(line)
	if m == nil {
		return []string{line}
	}
	return []string{strings.TrimRight(m[1], "。.,，;； "), m[2]}
}
