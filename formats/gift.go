package formats

import (
	"encoding/json"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"examd/exam"
)

// GIFT is Moodle's plain-text question format. What it holds and how it maps:
//
//   - "$CATEGORY: a/b" starts a section (titled by the path without Moodle's
//     "$course$/" or "top/" prefix);
//   - "::title::" names a question (dropped: examd questions have no title);
//   - "[html]", "[markdown]", "[plain]", "[moodle]" mark the text format (the
//     text is kept as written);
//   - {=right ~wrong} is a single choice; {~%50%a ~%50%b ~%-100%c} (only
//     "~", with weights, as Moodle reads it) or several "=" is a multiple choice whose answers are the options with a
//     positive weight, scored by examd's +1/−1 rule (the weights themselves are
//     not kept; Problems says so when they were unequal);
//   - {T} {TRUE} {F} {FALSE} is a true/false question;
//   - {=a =b} (no "~") is a short answer: a fill-in with one blank accepting
//     a or b, the blank standing where the braces stood;
//   - {} is an essay;
//   - "####general feedback" is the question's explanation; "#feedback"
//     after an answer is read but not kept (an exam document has nowhere
//     to put it);
//   - lines starting with "//" are comments; questions are separated by blank
//     lines; \~ \= \# \{ \} \: \\ are literal characters and \n a line break.
//
// GIFT has no points, tracks, rubric, reference answer, case sensitivity or
// scoring parameters: every imported question is worth 1 point, and the
// reader says so once in Problems.

func init() {
	readers["gift"] = readGIFT
	writers["gift"] = writeGIFT
}

// gch is one character of GIFT source with whether it was escaped.
type gch struct {
	r   rune
	esc bool
}

type gtext []gch

func (t gtext) String() string {
	var b strings.Builder
	for _, c := range t {
		b.WriteRune(c.r)
	}
	return b.String()
}

// index returns the position of the first unescaped r at or after from, or -1.
func (t gtext) index(r rune, from int) int {
	for i := from; i < len(t); i++ {
		if t[i].r == r && !t[i].esc {
			return i
		}
	}
	return -1
}

func (t gtext) trim() gtext {
	isSpace := func(c gch) bool {
		return !c.esc && (c.r == ' ' || c.r == '\t' || c.r == '\r' || c.r == '\n' || c.r == '\u3000')
	}
	for len(t) > 0 && isSpace(t[0]) {
		t = t[1:]
	}
	for len(t) > 0 && isSpace(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	return t
}

func (t gtext) hasPrefix(s string) bool {
	rs := []rune(s)
	if len(t) < len(rs) {
		return false
	}
	for i, r := range rs {
		if t[i].r != r || t[i].esc {
			return false
		}
	}
	return true
}

// unescapeGIFT turns source text into characters, resolving backslash
// escapes. A backslash before any other character is kept as it is.
func unescapeGIFT(s string) gtext {
	rs := []rune(s)
	out := make(gtext, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' && i+1 < len(rs) {
			switch n := rs[i+1]; n {
			case '~', '=', '#', '{', '}', ':', '\\', '%':
				out = append(out, gch{n, true})
				i++
				continue
			case 'n':
				out = append(out, gch{'\n', true})
				i++
				continue
			}
		}
		out = append(out, gch{r, false})
	}
	return out
}

// giftBlock is one question's source: its text and first line.
type giftBlock struct {
	text string
	line int
}

// splitGIFT drops comment lines and splits the rest at blank lines.
func splitGIFT(src string) []giftBlock {
	var blocks []giftBlock
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, giftBlock{strings.Join(cur, "\n"), start})
			cur = nil
		}
	}
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "//"):
			continue
		case trimmed == "":
			flush()
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, line)
	}
	flush()
	return blocks
}

func readGIFT(src []byte, name string) (*Result, error) {
	s := strings.TrimPrefix(string(src), "\ufeff")
	if strings.ContainsRune(s, 0) {
		return nil, &Unreadable{Format: "gift", Problems: []Problem{{Line: 0, Message: "the file holds a NUL character; it is not GIFT text"}}}
	}
	res := &Result{Exam: &exam.Document{Title: titleOfFile(name)}}
	d := res.Exam
	note := func(field string, line int, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Field: field, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	var sec *exam.Section
	for _, b := range splitGIFT(s) {
		t := strings.TrimSpace(b.text)
		if strings.HasPrefix(t, "$CATEGORY:") {
			title := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(t, "\n", 2)[0], "$CATEGORY:"))
			for _, p := range []string{"$course$/", "$module$/", "$system$/", "$cat1$/", "top/"} {
				title = strings.TrimPrefix(title, p)
			}
			d.Sections = append(d.Sections, exam.Section{Title: title, Questions: []exam.Question{}})
			sec = &d.Sections[len(d.Sections)-1]
			if rest := strings.SplitN(t, "\n", 2); len(rest) == 2 && strings.TrimSpace(rest[1]) != "" {
				// A question right under the category line, without a blank
				// line between: read it too.
				b = giftBlock{rest[1], b.line + 1}
			} else {
				continue
			}
		}
		if sec == nil {
			d.Sections = append(d.Sections, exam.Section{Questions: []exam.Question{}})
			sec = &d.Sections[len(d.Sections)-1]
		}
		qp := fmt.Sprintf("sections[%d].questions[%d]", len(d.Sections)-1, len(sec.Questions))
		q, probs, ok := parseGIFTQuestion(b, qp)
		res.Problems = append(res.Problems, probs...)
		if ok {
			sec.Questions = append(sec.Questions, q)
		}
	}
	// Sections that ended up empty (a category with only unreadable
	// questions) stay, so the problems' paths keep pointing at the right place.
	if Count(d).Questions == 0 {
		return nil, &Unreadable{Format: "gift", Problems: append(res.Problems, Problem{Line: 0, Message: "no GIFT question found: a question is a text followed by an answer block in braces, such as {=right ~wrong}"})}
	}
	note("", 0, "GIFT holds no points, tracks, rubrics, reference answers or scoring: every question is worth 1 point and carries none of those")
	return res, nil
}

// titleOfFile makes an exam title of a file name ("paper.gift" → "paper").
func titleOfFile(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if base == "." || base == "/" {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(base, path.Ext(base)))
}

// giftAnswer is one entry of an answer block.
type giftAnswer struct {
	right    bool     // "=" (or a weight of 100)
	weight   *float64 // "%n%" when given
	text     string
	feedback bool
}

func parseGIFTQuestion(b giftBlock, qp string) (exam.Question, []Problem, bool) {
	var probs []Problem
	note := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: field, Line: b.line, Message: fmt.Sprintf(format, args...)})
	}
	t := unescapeGIFT(b.text).trim()
	// ::title::
	if t.hasPrefix("::") {
		if end := indexPair(t, 2, ':'); end >= 0 {
			t = t[end+2:].trim()
		} else {
			note("", "the question title is not closed with \"::\"; the question is skipped")
			return exam.Question{}, probs, false
		}
	}
	// [html] / [markdown] / [plain] / [moodle]
	for _, m := range []string{"[html]", "[markdown]", "[plain]", "[moodle]"} {
		if t.hasPrefix(m) {
			t = t[len([]rune(m)):].trim()
			break
		}
	}
	open := t.index('{', 0)
	if open < 0 {
		note("", "no answer block in braces; the text is skipped (GIFT descriptions are not questions)")
		return exam.Question{}, probs, false
	}
	closeAt := t.index('}', open+1)
	if closeAt < 0 {
		note("", "the answer block opened with \"{\" is not closed with \"}\"; the question is skipped")
		return exam.Question{}, probs, false
	}
	before := t[:open].trim().String()
	after := t[closeAt+1:].trim().String()
	body := t[open+1 : closeAt].trim()
	if extra := t[closeAt+1:].index('{', 0); extra >= 0 {
		note("", "only the first answer block is read; GIFT questions have one")
	}
	prompt := before
	if after != "" {
		prompt = before + " {{1}} " + after
	}
	prompt = strings.TrimSpace(prompt)

	q := exam.Question{Prompt: prompt}
	// "####…" at the end of the block is the general feedback: examd's
	// explanation (解析).
	if i := indexRun(body, '#', 4); i >= 0 {
		q.Explanation = body[i+4:].trim().String()
		body = body[:i].trim()
	}
	switch {
	case len(body) == 0:
		q.Type = exam.TypeEssay
		q.Prompt = joinGap(before, after, "")
		q.Points = 1
		return q, probs, true
	case body.hasPrefix("#"):
		note("", "numerical questions ({#…}) have no examd type; the question is skipped")
		return exam.Question{}, probs, false
	}
	if v, fb, ok := giftTrueFalse(body); ok {
		q.Type = exam.TypeTrueFalse
		q.Prompt = joinGap(before, after, "")
		q.Points = 1
		q.Answer = json.RawMessage(strconv.FormatBool(v))
		if fb {
			note(qp, "the answer feedback (#…) is not kept")
		}
		return q, probs, true
	}
	answers, err := splitGIFTAnswers(body)
	if err != "" {
		note("", "%s; the question is skipped", err)
		return exam.Question{}, probs, false
	}
	if len(answers) == 0 {
		note("", "the answer block holds no answer; the question is skipped")
		return exam.Question{}, probs, false
	}
	feedback := false
	hasWrong := false
	for _, a := range answers {
		feedback = feedback || a.feedback
		if strings.Contains(a.text, "->") && a.right {
			note("", "matching questions (=a -> b) have no examd type; the question is skipped")
			return exam.Question{}, probs, false
		}
		if !a.right {
			hasWrong = true
		}
	}
	if feedback {
		note(qp, "the answer feedback (#…) is not kept")
	}
	if !hasWrong {
		// Short answer: every entry is an accepted answer of one blank.
		q.Type = exam.TypeFillIn
		q.Prompt = joinGap(before, after, "{{1}}")
		if after == "" {
			q.Prompt = strings.TrimSpace(before + " {{1}}")
		}
		bl := exam.Blank{Points: 1, Accepted: []string{}}
		partial := false
		partial, zero := false, false
		for _, a := range answers {
			switch {
			case a.weight != nil && *a.weight <= 0:
				zero = true
				continue
			case a.weight != nil && *a.weight != 100:
				partial = true
			}
			if a.text != "" {
				bl.Accepted = append(bl.Accepted, a.text)
			}
		}
		if partial {
			note(qp+".blanks[0].accepted", "answers with partial credit (=%%n%%) are accepted in full: examd scores a blank right or wrong")
		}
		if zero {
			note(qp+".blanks[0].accepted", "answers worth nothing (=%%0%%) are left out: any answer not accepted scores 0")
		}
		if len(bl.Accepted) == 0 {
			note("", "the short answer accepts no answer; the question is skipped")
			return exam.Question{}, probs, false
		}
		q.Blanks = []exam.Blank{bl}
		return q, probs, true
	}
	q.Prompt = joinGap(before, after, "____")
	var rights []string
	weights := map[float64]bool{}
	for i, a := range answers {
		key := seqOptionKey(i)
		q.Options = append(q.Options, exam.Option{Key: key, Text: a.text})
		switch {
		case a.weight != nil && *a.weight > 0:
			rights = append(rights, key)
			weights[*a.weight] = true
		case a.weight == nil && a.right:
			rights = append(rights, key)
			weights[100] = true
		}
	}
	if len(q.Options) > 26 {
		note(qp+".options", "has %d options; at most 26 are allowed", len(q.Options))
	}
	// Moodle's rule: a block with an "=" is single-answer, one with only
	// "~" (and weights) multiple-answer.
	weighted, hasEq := false, false
	for _, a := range answers {
		weighted = weighted || a.weight != nil
		hasEq = hasEq || (a.right && a.weight == nil)
	}
	switch {
	case len(rights) == 1 && hasEq:
		q.Type = exam.TypeSingleChoice
		q.Points = 1
		q.Answer, _ = json.Marshal(rights[0])
	case len(rights) == 0:
		q.Type = exam.TypeSingleChoice
		q.Points = 1
		note(qp+".answer", "no option is marked right (= or a positive %%weight%%); the key is left out")
	default:
		q.Type = exam.TypeMultipleChoice
		q.Answers = rights
		if len(weights) > 1 {
			note(qp+".answers", "the options' weights differ; examd gives each right option the same credit (+1/−1 rule), so the weights are not kept")
		} else if weighted {
			note(qp+".answers", "weighted options become a multiple choice: the options with a positive weight are its answers, scored by the +1/−1 rule")
		}
	}
	return q, probs, true
}

// joinGap puts gap between the text before and after an answer block, or
// returns before alone when nothing follows it.
func joinGap(before, after, gap string) string {
	if after == "" {
		return before
	}
	if gap == "" {
		return strings.TrimSpace(before + " " + after)
	}
	return strings.TrimSpace(before + " " + gap + " " + after)
}

// indexPair finds the first unescaped "rr" at or after from.
func indexPair(t gtext, from int, r rune) int {
	for i := from; i+1 < len(t); i++ {
		if t[i].r == r && !t[i].esc && t[i+1].r == r && !t[i+1].esc {
			return i
		}
	}
	return -1
}

func giftTrueFalse(body gtext) (value, feedback bool, ok bool) {
	s := body
	if i := s.index('#', 0); i >= 0 {
		feedback = true
		s = s[:i]
	}
	switch strings.TrimSpace(s.String()) {
	case "T", "TRUE":
		return true, feedback, !hasUnescaped(s)
	case "F", "FALSE":
		return false, feedback, !hasUnescaped(s)
	}
	return false, false, false
}

func hasUnescaped(t gtext) bool {
	for _, c := range t {
		if c.esc {
			return true
		}
	}
	return false
}

// splitGIFTAnswers splits an answer block at unescaped "=" and "~"; a "#"
// starts an answer's feedback, "####" the general feedback.
func splitGIFTAnswers(body gtext) ([]giftAnswer, string) {
	if i := indexRun(body, '#', 4); i >= 0 {
		body = body[:i]
	}
	var out []giftAnswer
	var cur *giftAnswer
	var text gtext
	finish := func() string {
		if cur == nil {
			if len(text.trim()) > 0 {
				return fmt.Sprintf("the answer block starts with %q instead of \"=\" or \"~\"", clipText(text.trim().String()))
			}
			return ""
		}
		if i := text.index('#', 0); i >= 0 {
			cur.feedback = true
			text = text[:i]
		}
		t := text.trim()
		if cur.weight == nil && t.hasPrefix("%") {
			if j := t.index('%', 1); j > 0 {
				w, err := strconv.ParseFloat(strings.TrimSpace(t[1:j].String()), 64)
				if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
					return fmt.Sprintf("the weight %q is not a number", t[1:j].String())
				}
				cur.weight = &w
				t = t[j+1:].trim()
			}
		}
		for _, m := range []string{"[html]", "[markdown]", "[plain]", "[moodle]"} {
			if t.hasPrefix(m) {
				t = t[len([]rune(m)):].trim()
				break
			}
		}
		cur.text = t.String()
		if cur.text == "" {
			return "an answer is empty"
		}
		out = append(out, *cur)
		return ""
	}
	for _, c := range body {
		if !c.esc && (c.r == '=' || c.r == '~') {
			if e := finish(); e != "" {
				return nil, e
			}
			cur = &giftAnswer{right: c.r == '='}
			text = nil
			continue
		}
		text = append(text, c)
	}
	if e := finish(); e != "" {
		return nil, e
	}
	return out, ""
}

func indexRun(t gtext, r rune, n int) int {
	for i := 0; i+n <= len(t); i++ {
		ok := true
		for j := 0; j < n; j++ {
			if t[i+j].r != r || t[i+j].esc {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

func clipText(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// seqOptionKey is the i-th option key: a, b, c … z.
func seqOptionKey(i int) string {
	if i < 26 {
		return string(rune('a' + i))
	}
	return "o" + strconv.Itoa(i+1)
}

// escapeGIFT writes text so that a GIFT reader takes every character
// literally.
func escapeGIFT(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '~', '=', '#', '{', '}', ':', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeLead escapes text that starts an answer or a question, where a
// leading "%" would read as a weight and "[html]" as a format marker.
func escapeLead(s string) string {
	e := escapeGIFT(s)
	switch {
	case strings.HasPrefix(e, "%"):
		return `\` + e
	case strings.HasPrefix(e, "["):
		return "[moodle]" + e
	}
	return e
}

// giftWeight prints a Moodle answer weight (100/3 → 33.33333).
func giftWeight(v float64) string {
	return strconv.FormatFloat(math.Round(v*100000)/100000, 'f', -1, 64)
}

func writeGIFT(d *exam.Document) ([]byte, string, string, error) {
	var b strings.Builder
	if d.Title != "" {
		fmt.Fprintf(&b, "// %s\n", strings.ReplaceAll(d.Title, "\n", " "))
		b.WriteString("// exported by examd; GIFT holds no points, tracks, rubrics, reference answers or scoring\n\n")
	}
	n := 0
	for _, s := range d.Sections {
		title := strings.ReplaceAll(s.Title, "\n", " ")
		fmt.Fprintf(&b, "$CATEGORY: $course$/%s\n\n", title)
		for _, q := range s.Questions {
			n++
			name := q.ID
			if name == "" {
				name = "Q" + strconv.Itoa(n)
			}
			fmt.Fprintf(&b, "::%s::", escapeGIFT(name))
			if strings.HasPrefix(strings.TrimSpace(q.Prompt), "[") {
				b.WriteString("[moodle]")
			}
			writeGIFTQuestion(&b, &q)
			b.WriteString("\n\n")
		}
	}
	return []byte(b.String()), "gift", "text/plain; charset=utf-8", nil
}

func writeGIFTQuestion(b *strings.Builder, q *exam.Question) {
	// The explanation goes as the block's general feedback, before "}".
	end := "}"
	if q.Explanation != "" {
		end = "####" + escapeGIFT(q.Explanation) + "}"
	}
	switch q.Type {
	case exam.TypeTrueFalse:
		b.WriteString(escapeGIFT(q.Prompt))
		if v, ok := q.AnswerBool(); ok && !v {
			b.WriteString(" {FALSE" + end)
		} else if ok {
			b.WriteString(" {TRUE" + end)
		} else {
			// No key yet: an essay block would change the type, so the
			// question goes out with the value a reader will flag as a guess.
			b.WriteString(" {TRUE" + end)
		}
	case exam.TypeSingleChoice:
		key, _ := q.AnswerKey()
		b.WriteString(escapeGIFT(q.Prompt))
		b.WriteString(" {")
		for _, o := range q.Options {
			mark := "~"
			if o.Key == key {
				mark = "="
			}
			b.WriteString("\n\t" + mark + escapeLead(o.Text))
		}
		b.WriteString("\n" + end)
	case exam.TypeMultipleChoice:
		right := map[string]bool{}
		for _, a := range q.Answers {
			right[a] = true
		}
		w := 100.0
		if len(q.Answers) > 0 {
			w = 100 / float64(len(q.Answers))
		}
		b.WriteString(escapeGIFT(q.Prompt))
		b.WriteString(" {")
		for _, o := range q.Options {
			sign := "-"
			if right[o.Key] {
				sign = ""
			}
			fmt.Fprintf(b, "\n\t~%%%s%s%%%s", sign, giftWeight(w), escapeGIFT(o.Text))
		}
		b.WriteString("\n" + end)
	case exam.TypeFillIn:
		// GIFT's short answer has one blank: the first {{1}} becomes the
		// answer block, any other blank a line to write on.
		var accepted []string
		if len(q.Blanks) > 0 {
			accepted = q.Blanks[0].Accepted
		}
		block := "{"
		for _, a := range accepted {
			block += "=" + escapeLead(a) + " "
		}
		block = strings.TrimSpace(block) + end
		if len(accepted) == 0 {
			block = "{" + end
		}
		prompt := q.Prompt
		i := strings.Index(prompt, "{{1}}")
		if i < 0 {
			b.WriteString(escapeGIFT(blankOthers(prompt)) + " " + block)
			return
		}
		before, after := blankOthers(prompt[:i]), blankOthers(prompt[i+len("{{1}}"):])
		b.WriteString(strings.TrimRight(escapeGIFT(before), " ") + " " + block)
		if strings.TrimSpace(after) != "" {
			b.WriteString(" " + strings.TrimLeft(escapeGIFT(after), " "))
		}
	default:
		b.WriteString(escapeGIFT(q.Prompt) + " {" + end)
	}
}

// blankOthers replaces the {{n}} placeholders GIFT cannot hold with a line.
func blankOthers(s string) string {
	for n := 2; n <= 100 && strings.Contains(s, "{{"); n++ {
		s = strings.ReplaceAll(s, "{{"+strconv.Itoa(n)+"}}", "____")
	}
	return s
}
