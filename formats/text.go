package formats

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"examd/exam"
)

func init() {
	readers["text"] = ReadText
	readers["docx"] = ReadDocx
	writers["text"] = WriteText
}

// maxTextLines bounds the work on one paper; a 500-question paper has a few
// thousand lines.
const maxTextLines = 100000

// Patterns run against folded lines (see fold): half-width punctuation,
// simplified characters.
var (
	reCnHeading    = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})\s*[、.,:)]\s*(.*)$`)
	reDiHeading    = regexp.MustCompile(`^第\s*([一二三四五六七八九十0-9]{1,3})\s*(部分|大题|节|章|单元|题型)\s*[、.:,]?\s*(.*)$`)
	reEnHeading    = regexp.MustCompile(`(?i)^(part|section)\s+([0-9]{1,2}|[ivx]{1,6}|[a-h])\b\s*[.:)\-]?\s*(.*)$`)
	reRomanHeading = regexp.MustCompile(`^([IVX]{1,6})\s*[.、)]\s*(.*)$`)
	reQuestion     = regexp.MustCompile(`^(?:第\s*([0-9]{1,4})\s*题\s*:?|([0-9]{1,4})\s*(?:[.、)]|:(?:[^0-9]|$))|\(([0-9]{1,4})\)|(?i:q(?:uestion)?\s*[:.]?\s*([0-9]{1,4})\s*[.:)]?(?:\s|$)))\s*`)
	reKeyLine      = regexp.MustCompile(`(?i)^\[?\s*(参考答案|正确答案|标准答案|答案(?:之[一二三四五六七八九十])?|correct answers?|answers?|ans|key)\s*\]?\s*[:.]?\s*`)
	reAnsLine      = regexp.MustCompile(`^答\s*:\s*`)
	reExplLine     = regexp.MustCompile(`(?i)^\[?\s*(解析|答案解析|试题解析|explanation|rationale)\s*\]?\s*[:.]?\s*`)
	reKeyArea      = regexp.MustCompile(`(?i)^\[?\s*((参考|标准)?答案(及解析|与解析)?|answer key|answers|key)\s*\]?\s*[:.]?\s*$`)
	reCase         = regexp.MustCompile(`(?i)^(案例(分析)?|材料|阅读材料|背景材料|case(\s+study)?)\s*[0-9一二三四五六七八九十]*\s*[:]\s*(.*)$`)
	reQuestionsHdr = regexp.MustCompile(`(?i)^(问题|questions?)\s*[:]?\s*$`)
	reGluedKey     = regexp.MustCompile(`(?i)\s*[\[(]?\s*(?:参考答案|正确答案|标准答案|答案|answer|key)\s*[\])]?\s*[:]\s*([A-Za-z]{1,8}|√|×|对|错|正确|错误|true|false)\s*[\])]?\s*$`)
	reParenKey     = regexp.MustCompile(`[(]\s*([A-H]{1,8}|√|×|对|错|正确|错误)\s*[)]`)
	reQPoints      = regexp.MustCompile(`(?i)[(\[]\s*([0-9]+(?:\.[0-9]+)?)\s*(?:分|points?|marks?|pts?)\s*[)\]]`)
	rePer          = regexp.MustCompile(`(?i)每\s*(?:小|道)?\s*[题空问个]\s*(?:各)?\s*([0-9]+(?:\.[0-9]+)?)\s*分|([0-9]+(?:\.[0-9]+)?)\s*分\s*/\s*[题空]|([0-9]+(?:\.[0-9]+)?)\s*(?:points?|marks?)\s*each|each\s*(?:question\s*)?(?:is\s*)?(?:worth\s*)?([0-9]+(?:\.[0-9]+)?)\s*(?:points?|marks?)`)
	reTotal        = regexp.MustCompile(`(?i)(?:共|总|满分)\s*([0-9]+(?:\.[0-9]+)?)\s*分|[(,]\s*([0-9]+(?:\.[0-9]+)?)\s*分|([0-9]+(?:\.[0-9]+)?)\s*(?:points|marks)\b`)
	rePerCorrect   = regexp.MustCompile(`选对一(?:项|个)(?:得|加)?\s*([0-9]+(?:\.[0-9]+)?)\s*分`)
	rePerWrong     = regexp.MustCompile(`选错一(?:项|个)(?:减|扣)\s*([0-9]+(?:\.[0-9]+)?)\s*分`)
	reFloor        = regexp.MustCompile(`最低\s*([0-9]+(?:\.[0-9]+)?)\s*分`)
	reTrack        = regexp.MustCompile(`[(\[]\s*([^()\[\]]{1,24}?)\s*(分别)?\s*答\s*[)\]]`)
	reTypeMarker   = regexp.MustCompile(`[\[(]\s*(单选题|单项选择题|多选题|多项选择题|不定项选择题|判断题|填空题|简答题|问答题|论述题|案例分析题|essay|single choice|multiple choice|multiple answer|true/false|fill in)\s*[\])]`)
	reBlank        = regexp.MustCompile(`_{2,}|＿{2,}|\{_\}|\(\s*\)`)
	reTimeLimit    = regexp.MustCompile(`(?i)(?:考试时间|考试时长|答题时间|时间|时长|time(?: allowed| limit)?)\s*[:]?\s*([0-9]{1,6})\s*(分钟|小时|秒|minutes?|mins?|hours?|seconds?)`)
	rePassScore    = regexp.MustCompile(`(?i)(?:及格分|及格线|合格分|pass(?:ing)? (?:score|mark))\s*[:]\s*([0-9]+(?:\.[0-9]+)?)\s*分?$`)
	reTracksMeta   = regexp.MustCompile(`^(?:适用岗位|岗位|tracks)\s*[:]\s*(.+)$`)
	reRubricLine   = regexp.MustCompile(`^(?:评分要点|评分标准|rubric)\s*[:]\s*(.+?)\s*[(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)]\s*$`)
	reInlineAnswer = regexp.MustCompile(`\s(?:参考答案|答案之[一二三四五六七八九十])\s*:`)
	reFlagMeta     = regexp.MustCompile(`^(题目乱序|选项乱序|交卷后显示得分|交卷后显示解析)\s*:\s*是$`)
	reSemicolons   = regexp.MustCompile(`[;；]`)
	reTrackSep     = regexp.MustCompile(`[、,，/和及与&]`)
	reScoringParen = regexp.MustCompile(`[(]\s*每选对[^()]*[)]`)
	reKeyThenRest  = regexp.MustCompile(`(?i)^([A-H]{1,8}|√|×|对|错|正确|错误|T|F)\s*[。.,，;；]\s*(?:\[?(?:解析|explanation)\]?\s*[:]\s*)?()\S`)
	reMarkedOpt    = regexp.MustCompile(`(?i)\s*(?:\((?:answer|correct|正确答案|正确)\)|\s\*|^\*)\s*$`)
	reParenFill    = regexp.MustCompile(`\(([^()]{1,40})\)`)
	reNotes        = regexp.MustCompile(`^(考试须知|考生须知|注意事项|答题须知|答题说明|instructions)\s*[:]?$`)
	reGraceMeta    = regexp.MustCompile(`^(?:宽限时间|grace)\s*[:]\s*([0-9]{1,5})\s*秒$`)
	reReviewMeta   = regexp.MustCompile(`^(?:评阅|评阅方式)\s*[:]\s*(单评|双评)(?:\s*[,，]\s*分差上限\s*([0-9]+(?:\.[0-9]+)?)\s*分)?$`)
	reTagLine      = regexp.MustCompile(`(?i)^(?:标签|tags?)\s*[:]\s*(.+)$`)
	reDrawLine     = regexp.MustCompile(`^抽题\s*[:]\s*从题库抽取\s*([0-9]{1,4})\s*题\s*(?:[(]\s*(.*?)\s*[)])?$`)
	reBlankNote    = regexp.MustCompile(`\s*[(（]\s*(?:([0-9]+(?:\.[0-9]+)?)\s*分)?\s*[,，]?\s*(区分大小写)?\s*[)）]$`)
	reTagSep       = regexp.MustCompile(`[、;；]`)
	reListSep      = regexp.MustCompile(`[、,，]`)
	// What an online quiz's export adds about one respondent.
	reRespondent = regexp.MustCompile(`(?i)^(?:你的答案|您的答案|考生答案|我的答案|学员答案|your answer|your response)\s*:`)
	reEarned     = regexp.MustCompile(`(?i)^(?:得分|本题得分|score|points earned)\s*:\s*[0-9.]*\s*分?$`)
)

// typeWords maps words of headings and markers to types; "" means a choice
// question whose key decides single or multiple.
var typeWords = []struct {
	word, typ string
}{
	{"不定项", exam.TypeMultipleChoice}, {"多项选择", exam.TypeMultipleChoice}, {"多选", exam.TypeMultipleChoice},
	{"multiple answer", exam.TypeMultipleChoice}, {"multiple response", exam.TypeMultipleChoice}, {"select all", exam.TypeMultipleChoice},
	{"单项选择", exam.TypeSingleChoice}, {"单选", exam.TypeSingleChoice}, {"single choice", exam.TypeSingleChoice}, {"single answer", exam.TypeSingleChoice},
	{"判断", exam.TypeTrueFalse}, {"是非", exam.TypeTrueFalse}, {"对错", exam.TypeTrueFalse}, {"true/false", exam.TypeTrueFalse},
	{"true or false", exam.TypeTrueFalse}, {"true-false", exam.TypeTrueFalse},
	{"填空", exam.TypeFillIn}, {"fill in", exam.TypeFillIn}, {"fill-in", exam.TypeFillIn}, {"blank", exam.TypeFillIn}, {"completion", exam.TypeFillIn},
	{"选择", "choice"}, {"multiple choice", "choice"}, {"multiple-choice", "choice"}, {"choice", "choice"},
	{"简答", exam.TypeEssay}, {"问答", exam.TypeEssay}, {"论述", exam.TypeEssay}, {"案例", exam.TypeEssay}, {"分析", exam.TypeEssay},
	{"情景", exam.TypeEssay}, {"主观", exam.TypeEssay}, {"写作", exam.TypeEssay}, {"作文", exam.TypeEssay}, {"面试", exam.TypeEssay},
	{"essay", exam.TypeEssay}, {"short answer", exam.TypeEssay}, {"discussion", exam.TypeEssay}, {"open question", exam.TypeEssay},
}

func typeFromWords(s string) string {
	l := strings.ToLower(s)
	for _, w := range typeWords {
		if strings.Contains(l, w.word) {
			return w.typ
		}
	}
	return ""
}

// knownTracks gives the usual roles stable ids.
var knownTracks = map[string]string{
	"经理": "manager", "主管": "supervisor", "专员": "specialist", "组长": "team_lead", "领班": "team_lead",
	"员工": "staff", "文员": "clerk", "助理": "assistant", "总监": "director", "客服": "agent",
}

type tOption struct {
	label rune
	text  string
}

type tQuestion struct {
	line, num    int
	typ          string // "" unknown, "choice", or an exam type
	typFrom      string // "heading", "marker", ""
	prompt       []string
	opts         []tOption
	key          string
	keyLine      int
	hasKey       bool
	ref          []string
	expl         []string
	tracks       []string
	points       float64
	hasPoints    bool
	scoring      *exam.Scoring
	rubric       []exam.RubricItem
	into         string // where continuation lines go: prompt, option, ref, expl
	blankAnswers [][]string
	tags         []string
	// ownTracks is set by a 适用岗位 line under the question: its tracks
	// (none for 全部), and the stem's (…答) are its own words.
	ownTracks *[]string
}

type tSection struct {
	line         int
	ordinal      int
	title        string
	instr        []string
	typ          string
	per, total   float64
	hasPer       bool
	hasTotal     bool
	perBlank     bool
	scoring      *exam.Scoring
	qs           []*tQuestion
	caseSection  bool
	lastNum      int
	instrOpen    bool
	heading      string
	explicitType bool
	draw         *exam.Draw
}

type textReader struct {
	lines    []*srcLine
	title    string
	desc     []string
	secs     []*tSection
	q        *tQuestion
	problems []Problem
	loose    []*srcLine

	timeLimit   int
	hasTime     bool
	passScore   float64
	grace       *int
	trackIDs    []string
	trackLabels map[string]string
	labelToID   map[string]string
	flags       map[string]bool
	review      *exam.ReviewSetting
	gap         bool // an empty line came last, inside a question
	respondent  bool // the paper is a quiz's export with one respondent's answers

	keyArea    bool
	notes      bool // the preamble's numbered notes (考试须知) are not questions
	keyTarget  *tSection
	pendingKey bool // a bare "答案：" line waits for what follows
}

// ReadText reads a pasted exam paper.
func ReadText(src []byte, _ string) (*Result, error) {
	lines := splitLines(src)
	if len(lines) > maxTextLines {
		return nil, &Unreadable{Format: "text", Problems: []Problem{{Line: maxTextLines + 1, Message: fmt.Sprintf("the paper has %d lines; at most %d are read", len(lines), maxTextLines)}}}
	}
	res, err := readTextLines(lines)
	var u *Unreadable
	if errors.As(err, &u) && numberParagraphs(lines) {
		// No numbered question, but paragraphs that are questions with
		// options: read again with each one numbered.
		if again, err2 := readTextLines(lines); err2 == nil {
			again.Problems = append(again.Problems, Problem{Line: 0, Code: "import_unnumbered", Message: "the questions are not numbered: each paragraph with options was read as one question"})
			return again, nil
		}
	}
	return res, err
}

func readTextLines(lines []*srcLine) (*Result, error) {
	r := &textReader{lines: lines, trackLabels: map[string]string{}, labelToID: map[string]string{}, flags: map[string]bool{}}
	for _, l := range lines {
		r.line(l)
	}
	return r.finish()
}

// numberParagraphs numbers, in place, the first line of each paragraph
// (lines between empty ones) that goes on with at least two option lines,
// when there are at least two such paragraphs; it says whether it did.
func numberParagraphs(lines []*srcLine) bool {
	var firsts []int
	first, options := -1, 0
	end := func() {
		if first >= 0 && options >= 2 {
			firsts = append(firsts, first)
		}
		first, options = -1, 0
	}
	for i, l := range lines {
		t := strings.TrimSpace(l.norm)
		switch {
		case t == "":
			end()
		case first < 0:
			if !startsOption(t) {
				first = i
			}
		case startsOption(t):
			options++
		}
	}
	end()
	if len(firsts) < 2 {
		return false
	}
	for n, i := range firsts {
		l := lines[i]
		lines[i] = newSrcLine(l.n, fmt.Sprintf("%d. %s", n+1, strings.TrimSpace(string(l.orig))))
	}
	return true
}

func (r *textReader) note(line int, format string, args ...any) {
	r.noted(line, "", nil, format, args...)
}

// noted is note with a code (ImportProblemCode in api/openapi.yaml) and
// the params its sentence needs, for the notes every other paper gets, so
// that the web app says them in the recruiter's language.
func (r *textReader) noted(line int, code string, params exam.P, format string, args ...any) {
	r.problems = append(r.problems, Problem{Line: line, Code: code, Params: params, Message: fmt.Sprintf(format, args...)})
}

func (r *textReader) curSection() *tSection {
	if len(r.secs) == 0 {
		return nil
	}
	return r.secs[len(r.secs)-1]
}

func (r *textReader) line(l *srcLine) {
	s := strings.TrimSpace(l.norm)
	if s == "" {
		r.gap = r.q != nil
		return
	}
	gap := r.gap
	r.gap = false
	// A respondent's answer and score in a quiz's export are not the exam.
	if reRespondent.MatchString(s) || r.respondent && reEarned.MatchString(s) {
		if !r.respondent {
			r.noted(l.n, "import_respondent_left_out", nil, "a respondent's answers and scores (你的答案, 得分) were left out")
		}
		r.respondent = true
		return
	}
	lead := len(l.norm) - len(strings.TrimLeft(l.norm, " \t"))
	end := lead + len(s)
	text := func(from int) string { return strings.TrimSpace(l.text(lead+from, end)) }

	// An indented line continues whatever came before, whatever it looks
	// like; after an empty line it starts a new paragraph of it.
	if l.indented && r.q != nil && !reKeyLine.MatchString(s) && !reExplLine.MatchString(s) && !reAnsLine.MatchString(s) && r.q.into != "" {
		if gap && r.q.into != "option" {
			r.cont(l, "")
		}
		r.cont(l, text(0))
		return
	}

	if r.pendingKey {
		r.pendingKey = false
		if r.keyBlock(l, s) {
			r.keyArea = true
			return
		}
		if r.q != nil && !r.q.hasKey && !reQuestion.MatchString(s) && !r.isHeading(s) {
			r.answerText(l, text(0))
			return
		}
		r.keyArea = true
	}

	if r.meta(l, s) {
		return
	}
	if r.keyArea {
		if r.keyAreaLine(l, s) {
			return
		}
	}
	if m := reKeyArea.FindStringSubmatch(s); m != nil {
		if r.q != nil && !r.q.hasKey && r.q.into != "" {
			r.pendingKey = true
			return
		}
		r.keyArea = true
		return
	}
	if r.keyBlock(l, s) {
		return
	}
	// "参考答案：1.B 2.A 3.C": a key block after its heading's words.
	if m := reKeyLine.FindStringSubmatchIndex(s); m != nil && m[1] < len(s) && r.keyBlock(l, s[m[1]:]) {
		r.keyArea = true
		return
	}
	if m := reCase.FindStringSubmatchIndex(s); m != nil && !r.inAnswer() {
		r.newCase(l, text(m[8]))
		return
	}
	if reQuestionsHdr.MatchString(s) && r.curSection() != nil && r.curSection().caseSection && len(r.curSection().qs) == 0 {
		r.curSection().instrOpen = false
		return
	}
	if r.heading(l, s, lead, end) {
		return
	}
	if m := reQuestion.FindStringSubmatchIndex(s); m != nil {
		num := 0
		for g := 1; g <= 4; g++ {
			if m[2*g] >= 0 {
				num, _ = strconv.Atoi(s[m[2*g]:m[2*g+1]])
			}
		}
		if r.notes && len(r.secs) == 0 {
			// "考试须知：1、考试时间……": numbered notes, not questions.
			r.desc = append(r.desc, text(0))
			return
		}
		if r.startsQuestion(num) {
			rest := s[m[1]:]
			if strings.HasPrefix(s[m[0]:m[1]], strings.TrimRight(s[m[0]:m[1]], " ")) && len(rest) > 0 && m[1] > 0 && s[m[1]-1] == ':' {
				// "1:" as a number separator
			}
			r.newQuestion(l, num, lead, lead+m[1], end)
			return
		}
	}
	if m := reDrawLine.FindStringSubmatch(s); m != nil && r.q == nil && r.curSection() != nil {
		r.drawLine(l, s, lead, m)
		return
	}
	if r.q != nil {
		if m := reTracksMeta.FindStringSubmatch(s); m != nil {
			tracks := []string{}
			if w := strings.TrimSpace(origOf(l, s, lead, m[1])); w != "全部" && !strings.EqualFold(w, "all") {
				for _, t := range reListSep.Split(w, -1) {
					if t = strings.TrimSpace(t); t != "" {
						tracks = appendUnique(tracks, r.trackID(t))
					}
				}
			}
			r.q.ownTracks = &tracks
			r.q.into = ""
			return
		}
		if m := reTagLine.FindStringSubmatch(s); m != nil {
			for _, t := range reTagSep.Split(origOf(l, s, lead, m[1]), -1) {
				if t = strings.TrimSpace(t); t != "" {
					r.q.tags = appendUnique(r.q.tags, t)
				}
			}
			r.q.into = ""
			return
		}
		if m := reExplLine.FindStringSubmatchIndex(s); m != nil {
			r.q.expl = append(r.q.expl, text(m[1]))
			r.q.into = "expl"
			return
		}
		if m := reAnsLine.FindStringSubmatchIndex(s); m != nil {
			r.answerText(l, text(m[1]))
			return
		}
		if m := reKeyLine.FindStringSubmatchIndex(s); m != nil {
			if r.q.into == "ref" && r.likelyEssay(r.q) {
				if gap && l.indented {
					r.q.ref = append(r.q.ref, "")
				}
				r.q.ref = append(r.q.ref, text(0))
				return
			}
			v := text(m[1])
			if v == "" {
				r.pendingKey = true
				return
			}
			r.answerText(l, v)
			return
		}
		if m := reRubricLine.FindStringSubmatch(s); m != nil && len(r.q.opts) == 0 {
			p, _ := strconv.ParseFloat(m[2], 64)
			r.q.rubric = append(r.q.rubric, exam.RubricItem{Criterion: strings.TrimSpace(origOf(l, s, lead, m[1])), Points: p})
			return
		}
		if (r.q.into == "prompt" || r.q.into == "option") && startsOption(s) {
			r.options(l, s, lead)
			return
		}
		if (r.q.into == "prompt" || r.q.into == "option") && !r.q.hasKey && r.bareOption(s) {
			// "A220°": a label with no separator, on its own line.
			r.addOptions(l, s, lead, []optStart{{pos: 0, textAt: 1, label: rune(s[0])}})
			return
		}
		if r.q.into != "" {
			r.cont(l, text(0))
			return
		}
	}
	if sec := r.curSection(); sec != nil && sec.instrOpen {
		sec.instr = append(sec.instr, text(0))
		return
	}
	if len(r.secs) == 0 && r.q == nil {
		if reNotes.MatchString(s) {
			r.notes = true
		}
		if r.title == "" {
			r.title = text(0)
		} else {
			r.desc = append(r.desc, text(0))
		}
		return
	}
	r.loose = append(r.loose, l)
}

// origOf returns the original words of the submatch sub of the folded s.
func origOf(l *srcLine, s string, lead int, sub string) string {
	i := strings.Index(s, sub)
	if i < 0 {
		return sub
	}
	return l.text(lead+i, lead+i+len(sub))
}

func (r *textReader) inAnswer() bool {
	return r.q != nil && r.q.into == "ref"
}

// startsQuestion says whether a numbered line is a new question: inside an
// answer only the next number is.
func (r *textReader) startsQuestion(num int) bool {
	if r.q == nil || !r.inAnswer() {
		return true
	}
	sec := r.curSection()
	return sec != nil && num == sec.lastNum+1
}

func (r *textReader) meta(l *srcLine, s string) bool {
	if r.q != nil {
		return false
	}
	if m := reTracksMeta.FindStringSubmatch(s); m != nil && len(r.secs) == 0 {
		for _, part := range reSemicolons.Split(origOf(l, s, 0, m[1]), -1) {
			part = strings.TrimSpace(part)
			id, label, ok := strings.Cut(part, "=")
			id, label = strings.TrimSpace(id), strings.TrimSpace(label)
			if !ok || id == "" {
				continue
			}
			r.addTrack(id, label)
		}
		return true
	}
	if m := reFlagMeta.FindStringSubmatch(s); m != nil && len(r.secs) == 0 {
		r.flags[m[1]] = true
		return true
	}
	if m := reGraceMeta.FindStringSubmatch(s); m != nil && len(r.secs) == 0 {
		g, _ := strconv.Atoi(m[1])
		r.grace = &g
		return true
	}
	if m := reReviewMeta.FindStringSubmatch(s); m != nil && len(r.secs) == 0 {
		r.review = &exam.ReviewSetting{Markers: 1}
		if m[1] == "双评" {
			r.review.Markers = 2
			r.review.Tolerance, _ = strconv.ParseFloat(m[2], 64)
		}
		return true
	}
	if m := rePassScore.FindStringSubmatch(s); m != nil && len(r.secs) == 0 {
		r.passScore, _ = strconv.ParseFloat(m[1], 64)
		return true
	}
	if m := reTimeLimit.FindStringSubmatch(s); m != nil && !r.hasTime && len(r.secs) == 0 {
		n, _ := strconv.Atoi(m[1])
		switch u := strings.ToLower(m[2]); {
		case strings.HasPrefix(u, "小") || strings.HasPrefix(u, "h"):
			n *= 3600
		case u == "秒" || strings.HasPrefix(u, "s"):
		default:
			n *= 60
		}
		r.timeLimit, r.hasTime = n, true
		// A time on its own line is only that; in a longer line it is
		// also part of the description.
		return len([]rune(s)) <= len([]rune(m[0]))+2
	}
	return false
}

func (r *textReader) addTrack(id, label string) {
	for _, t := range r.trackIDs {
		if t == id {
			return
		}
	}
	r.trackIDs = append(r.trackIDs, id)
	if label != "" {
		r.trackLabels[id] = label
		r.labelToID[label] = id
	}
}

// trackID maps a marker's word to a track id, adding the track.
func (r *textReader) trackID(label string) string {
	if id, ok := r.labelToID[label]; ok {
		return id
	}
	for _, t := range r.trackIDs {
		if t == label {
			return t
		}
	}
	id, ok := knownTracks[label]
	if !ok {
		var b strings.Builder
		for _, c := range strings.ToLower(label) {
			if c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
				b.WriteRune(c)
			} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
		}
		id = strings.Trim(b.String(), "_")
		if id == "" {
			id = fmt.Sprintf("track%d", len(r.trackIDs)+1)
		}
	}
	for _, t := range r.trackIDs {
		if t == id && r.trackLabels[t] != label {
			id = fmt.Sprintf("%s_%d", id, len(r.trackIDs)+1)
		}
	}
	r.addTrack(id, label)
	return id
}

func (r *textReader) isHeading(s string) bool {
	return reCnHeading.MatchString(s) || reDiHeading.MatchString(s) || reEnHeading.MatchString(s)
}

// heading starts a section when s is one.
func (r *textReader) heading(l *srcLine, s string, lead, end int) bool {
	var ord int
	var restAt int
	ok := false
	if m := reCnHeading.FindStringSubmatchIndex(s); m != nil {
		ord = cnNumeral(s[m[2]:m[3]])
		restAt = m[4]
		rest := s[m[4]:]
		next := len(r.secs) + 1
		typed := typeFromWords(rest) != "" || reTotal.MatchString(rest) || rePer.MatchString(rest)
		short := utf8.RuneCountInString(rest) <= 40 && !strings.ContainsAny(rest, "。;；?？")
		switch {
		case ord == 0:
		case ord == next && (typed || short):
			// The next section's numeral ends even an answer.
			ok = true
		case (typed || ord == next && utf8.RuneCountInString(rest) <= 60) && !r.inAnswer():
			ok = true
		}
	} else if m := reDiHeading.FindStringSubmatchIndex(s); m != nil {
		ord = cnNumeral(s[m[2]:m[3]])
		if ord == 0 {
			ord, _ = strconv.Atoi(s[m[2]:m[3]])
		}
		restAt, ok = m[6], !r.inAnswer()
		if strings.TrimSpace(s[m[6]:]) == "" {
			restAt = 0
		}
	} else if m := reEnHeading.FindStringSubmatchIndex(s); m != nil {
		ord, ok = len(r.secs)+1, !r.inAnswer()
		restAt = 0
	} else if m := reRomanHeading.FindStringSubmatchIndex(s); m != nil && !r.inAnswer() {
		ord = romanNumeral(s[m[2]:m[3]])
		restAt, ok = m[4], ord > 0
	} else if t := typeFromWords(s); t != "" && r.q != nil && utf8.RuneCountInString(s) <= 30 && !strings.ContainsAny(s, "。?？") &&
		(strings.HasSuffix(s, "题") || strings.Contains(s, "题(") || strings.Contains(s, "题:") || strings.HasSuffix(s, ":")) && !r.inAnswer() {
		// A bare "单选题" line between questions.
		ok, restAt, ord = true, 0, len(r.secs)+1
	}
	if !ok {
		return false
	}
	title := strings.TrimSpace(l.text(lead+restAt, end))
	title = strings.TrimRight(title, ":：")
	if title == "" {
		title = strings.TrimSpace(l.text(lead, end))
	}
	sec := &tSection{line: l.n, ordinal: ord, title: title, heading: s, instrOpen: true}
	sec.typ = typeFromWords(s)
	sec.explicitType = sec.typ != ""
	if m := rePer.FindStringSubmatch(s); m != nil {
		sec.per, sec.hasPer = firstNum(m[1:]), true
		sec.perBlank = strings.Contains(m[0], "空")
	}
	if m := reTotal.FindStringSubmatch(s); m != nil && !(sec.hasPer && strings.Contains(m[0], "每")) {
		sec.total, sec.hasTotal = firstNum(m[1:]), true
		if sec.hasPer && sec.total == sec.per {
			sec.hasTotal = false
		}
	}
	if m := rePerCorrect.FindStringSubmatch(s); m != nil {
		sec.scoring = scoringWords(s, m[1])
		if sec.typ == "choice" {
			sec.typ = exam.TypeMultipleChoice
		}
	}
	r.closeQuestion()
	r.flushLoose(nil)
	r.secs = append(r.secs, sec)
	return true
}

func firstNum(groups []string) float64 {
	for _, g := range groups {
		if g != "" {
			v, _ := strconv.ParseFloat(g, 64)
			return v
		}
	}
	return 0
}

func (r *textReader) newCase(l *srcLine, rest string) {
	r.closeQuestion()
	title := "案例"
	if n := len(r.loose); n > 0 {
		title = strings.TrimSpace(string(r.loose[n-1].orig))
		r.loose = r.loose[:n-1]
	}
	r.flushLoose(nil)
	sec := &tSection{line: l.n, ordinal: len(r.secs) + 1, title: title, typ: exam.TypeEssay, caseSection: true, instrOpen: true, explicitType: true}
	sec.instr = append(sec.instr, strings.TrimSpace(string(l.orig)))
	_ = rest
	r.secs = append(r.secs, sec)
}

// flushLoose reports the lines that belonged to nothing.
func (r *textReader) flushLoose(_ *tQuestion) {
	for _, l := range r.loose {
		r.note(l.n, "text outside any question was left out: %q", abbrev(string(l.orig)))
	}
	r.loose = nil
}

func abbrev(s string) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) > 40 {
		return string(rs[:40]) + "…"
	}
	return string(rs)
}

func (r *textReader) newQuestion(l *srcLine, num, lead, from, end int) {
	r.closeQuestion()
	r.flushLoose(nil)
	sec := r.curSection()
	if sec == nil {
		sec = &tSection{line: l.n, ordinal: 1}
		r.secs = append(r.secs, sec)
	}
	if sec.lastNum > 0 && num != sec.lastNum+1 && num == 1 && len(sec.qs) > 0 {
		// Numbering restarts without a heading: a new section of the same kind.
		ns := &tSection{line: l.n, ordinal: len(r.secs) + 1, title: sec.title, typ: sec.typ, per: sec.per, hasPer: sec.hasPer, perBlank: sec.perBlank, scoring: sec.scoring, explicitType: sec.explicitType}
		r.noted(l.n, "import_new_section", nil, "question numbering restarts at 1 without a heading: a new section")
		r.secs = append(r.secs, ns)
		sec = ns
	}
	sec.instrOpen = false
	sec.lastNum = num
	q := &tQuestion{line: l.n, num: num, into: "prompt"}
	sec.qs = append(sec.qs, q)
	r.q = q
	s := l.norm[from:end]
	if m := reTypeMarker.FindString(s); m != "" {
		q.typ = typeFromWords(m)
	}
	r.stemAndOptions(l, s, from)
}

// stemAndOptions splits a question line into its stem and the options run
// together after it.
func (r *textReader) stemAndOptions(l *srcLine, s string, at int) {
	idx := optionStarts(s, 'a', true)
	if len(idx) == 0 {
		idx = optionStarts(s, 'A', true)
	}
	if len(idx) >= 2 || (len(idx) == 1 && idx[0].pos > 0) {
		r.q.prompt = append(r.q.prompt, strings.TrimSpace(l.text(at, at+idx[0].pos)))
		r.addOptions(l, s, at, idx)
		return
	}
	// An answer run on after the stem: "……如何处理? 答案之一: ……".
	if m := reInlineAnswer.FindStringIndex(s); m != nil && m[0] > 0 {
		r.q.prompt = append(r.q.prompt, strings.TrimSpace(l.text(at, at+m[0])))
		v := strings.TrimSpace(l.text(at+m[0], at+len(s)))
		r.q.ref = append(r.q.ref, v)
		r.q.into = "ref"
		return
	}
	r.q.prompt = append(r.q.prompt, strings.TrimSpace(l.text(at, at+len(s))))
}

type optStart struct {
	pos, textAt int
	label       rune
}

// optionStarts finds option labels A. B. C. (or a. b. …, (A) (B) …) in
// sequence. inLine: the first label may come after other text (a stem).
func optionStarts(s string, first rune, inLine bool) []optStart {
	var out []optStart
	want := first
	i := 0
	for i < len(s) {
		j := findLabel(s, i, want, len(out) == 0 && !inLine)
		if j == nil {
			break
		}
		out = append(out, *j)
		want++
		i = j.textAt
	}
	// A lone "a." inside a stem is more likely words than an option.
	if len(out) == 1 && inLine && out[0].pos > 0 {
		return nil
	}
	return out
}

func findLabel(s string, from int, want rune, atStart bool) *optStart {
	for i := from; i < len(s); i++ {
		c := rune(s[i])
		var pos, after int
		switch {
		case c == want:
			pos, after = i, i+1
			if after >= len(s) || !strings.ContainsRune(".、):", rune(s[after])) && !strings.HasPrefix(s[after:], "、") {
				continue
			}
			if strings.HasPrefix(s[after:], "、") {
				after += len("、")
			} else {
				after++
			}
		case c == '(' && i+2 < len(s) && rune(s[i+1]) == want && s[i+2] == ')':
			pos, after = i, i+3
		default:
			continue
		}
		if pos > 0 {
			prev, _ := utf8.DecodeLastRuneInString(s[:pos])
			if prev < 128 && (unicode.IsLetter(prev) || prev == '_') {
				continue
			}
		}
		if atStart && strings.TrimSpace(s[:pos]) != "" {
			return nil
		}
		if after < len(s) && s[after] == '.' { // "a.." or "e.g."
			continue
		}
		return &optStart{pos: pos, textAt: after, label: want}
	}
	return nil
}

// bareOption: s starts with the next option's capital letter glued to
// digits or Chinese ("A220°", "B正投影"), the way some papers print options.
func (r *textReader) bareOption(s string) bool {
	want := 'A'
	if n := len(r.q.opts); n > 0 {
		want = unicode.ToUpper(r.q.opts[n-1].label) + 1
	}
	if len(s) < 2 || rune(s[0]) != want {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[1:])
	return unicode.IsDigit(next) || next == '+' || next == '-' || (next >= 0x2E80 && unicode.Is(unicode.Han, next))
}

func startsOption(s string) bool {
	for _, c := range []rune{'A', 'a'} {
		for k := rune(0); k < 26; k++ {
			if j := findLabel(s, 0, c+k, true); j != nil && j.pos == 0 {
				return true
			}
		}
	}
	return false
}

func (r *textReader) options(l *srcLine, s string, lead int) {
	// The next expected label continues the run; a line may hold several.
	first := 'A'
	if len(r.q.opts) > 0 {
		first = r.q.opts[len(r.q.opts)-1].label + 1
	} else if j := findLabel(s, 0, 'a', true); j != nil && j.pos == 0 {
		first = 'a'
	}
	idx := optionStarts(s, first, false)
	if len(idx) == 0 {
		// Out of sequence: take the label as given.
		for k := rune(0); k < 26; k++ {
			for _, c := range []rune{'A', 'a'} {
				if j := findLabel(s, 0, c+k, true); j != nil && j.pos == 0 {
					idx = optionStarts(s, c+k, false)
					r.note(l.n, "option %c is out of sequence", c+k)
					break
				}
			}
			if len(idx) > 0 {
				break
			}
		}
	}
	r.addOptions(l, s, lead, idx)
}

func (r *textReader) addOptions(l *srcLine, s string, at int, idx []optStart) {
	for k, o := range idx {
		stop := len(s)
		if k+1 < len(idx) {
			stop = idx[k+1].pos
		}
		t := strings.TrimSpace(l.text(at+o.textAt, at+stop))
		if k == len(idx)-1 {
			fs := strings.TrimSpace(s[o.textAt:stop])
			if m := reGluedKey.FindStringSubmatchIndex(fs); m != nil {
				off := strings.Index(s[o.textAt:stop], fs)
				t = strings.TrimSpace(l.text(at+o.textAt, at+o.textAt+off+m[0]))
				r.setKey(r.q, fs[m[2]:m[3]], l.n)
			}
		}
		r.q.opts = append(r.q.opts, tOption{label: o.label, text: t})
	}
	r.q.into = "option"
}

func (r *textReader) cont(l *srcLine, t string) {
	q := r.q
	switch q.into {
	case "prompt":
		if len(q.prompt) > 0 && !l.indented && endsClosed(q.prompt[len(q.prompt)-1]) && q.typ == "" && r.isTerminal(q) {
			r.loose = append(r.loose, l)
			return
		}
		q.prompt = append(q.prompt, t)
	case "option":
		switch n := len(q.opts); {
		case n > 0 && !q.hasKey && q.opts[n-1].text == "":
			q.opts[n-1].text = t // "A." on a line of its own, its text below
		case n > 0 && !q.hasKey:
			q.opts[n-1].text += " " + t
		default:
			r.loose = append(r.loose, l)
		}
	case "ref":
		q.ref = append(q.ref, t)
	case "expl":
		q.expl = append(q.expl, t)
	default:
		r.loose = append(r.loose, l)
	}
}

// isTerminal: an essay stem that has ended (with its points or a question
// mark) takes no more lines unless they are indented.
func (r *textReader) isTerminal(q *tQuestion) bool {
	sec := r.curSection()
	return sec != nil && (sec.typ == exam.TypeEssay || sec.typ == "")
}

func endsClosed(s string) bool {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"?", "？", "分)", "分）", "答)", "答）"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// answerText is what follows "答案：" or "答：".
func (r *textReader) answerText(l *srcLine, v string) {
	q := r.q
	if q.hasKey || (r.likelyEssay(q) && (q.typ == exam.TypeEssay || trueFalseKey(foldString(v)) == nil)) {
		q.ref = append(q.ref, v)
		q.into = "ref"
		return
	}
	if m := reKeyThenRest.FindStringSubmatchIndex(foldString(v)); m != nil && (len(q.opts) > 0 || trueFalseKey(foldString(v)[m[2]:m[3]]) != nil) {
		fv := foldString(v)
		r.setKey(q, fv[m[2]:m[3]], l.n)
		if rest := strings.TrimSpace(substrByFold(v, fv, m[4], len(fv))); rest != "" {
			q.expl = append(q.expl, rest)
		}
		q.into = "expl"
		return
	}
	r.setKey(q, v, l.n)
	q.into = "expl"
}

func (r *textReader) likelyEssay(q *tQuestion) bool {
	t := r.effectiveType(q)
	if t == exam.TypeEssay {
		return true
	}
	if t == "" && len(q.opts) == 0 && !hasBlank(strings.Join(q.prompt, "\n")) {
		return true
	}
	return false
}

func (r *textReader) effectiveType(q *tQuestion) string {
	if q.typ != "" {
		return q.typ
	}
	if sec := r.curSection(); sec != nil {
		return sec.typ
	}
	return ""
}

func hasBlank(s string) bool { return reBlank.MatchString(foldString(s)) }

func foldString(s string) string {
	var b strings.Builder
	for _, c := range s {
		b.WriteRune(fold(c))
	}
	return b.String()
}

func (r *textReader) setKey(q *tQuestion, v string, line int) {
	q.key, q.keyLine, q.hasKey = strings.TrimSpace(v), line, true
}

// keyBlock reads "1-5 ABCDA", "1.A 2.B 3.C" and the like.
var (
	reKeyRange = regexp.MustCompile(`^([0-9]{1,4})\s*[-~—–至到]\s*([0-9]{1,4})\s*[:.、]?\s*((?:[A-Ha-h√×]+\s*)+?)(?:\s+|$|[,;])`)
	reKeyPair  = regexp.MustCompile(`(?i)^([0-9]{1,4})\s*[.、:)]?\s*([A-H]{1,8}|√|×|对|错|正确|错误|T|F)(?:\s+|[,;、]\s*|$)`)
)

func (r *textReader) keyBlock(l *srcLine, s string) bool {
	type entry struct {
		num int
		key string
	}
	var entries []entry
	rest := strings.TrimSpace(s)
	for rest != "" {
		if m := reKeyRange.FindStringSubmatch(rest); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			keys := strings.Fields(m[3])
			if len(keys) == 1 && len([]rune(keys[0])) == b-a+1 {
				keys = nil
				for _, c := range m[3] {
					if c != ' ' {
						keys = append(keys, string(c))
					}
				}
			}
			if b < a || len(keys) != b-a+1 {
				return false
			}
			for i, k := range keys {
				entries = append(entries, entry{a + i, k})
			}
			rest = strings.TrimSpace(rest[len(m[0]):])
			continue
		}
		if m := reKeyPair.FindStringSubmatch(rest); m != nil {
			n, _ := strconv.Atoi(m[1])
			entries = append(entries, entry{n, m[2]})
			rest = strings.TrimSpace(rest[len(m[0]):])
			continue
		}
		return false
	}
	if len(entries) < 2 && !(r.keyArea && len(entries) == 1) {
		return false
	}
	if len(entries) == 1 && entries[0].num > 0 && r.q != nil && !r.keyArea {
		return false
	}
	r.closeQuestion()
	for _, e := range entries {
		q := r.findQuestion(e.num)
		if q == nil {
			r.note(l.n, "the key of question %d has no question", e.num)
			continue
		}
		if q.hasKey && q.key != e.key {
			r.noted(l.n, "import_two_keys", exam.P{"n": e.num, "line": q.keyLine}, "question %d has two keys (%q on line %d); the later one is used", e.num, q.key, q.keyLine)
		}
		r.setKey(q, e.key, l.n)
	}
	return true
}

func (r *textReader) findQuestion(num int) *tQuestion {
	try := func(sec *tSection) *tQuestion {
		if sec == nil {
			return nil
		}
		for _, q := range sec.qs {
			if q.num == num {
				return q
			}
		}
		return nil
	}
	if r.keyTarget != nil {
		return try(r.keyTarget)
	}
	// Keys that follow a section belong to it; failing that, numbering
	// across the paper.
	for i := len(r.secs) - 1; i >= 0; i-- {
		if len(r.secs[i].qs) > 0 {
			if q := try(r.secs[i]); q != nil {
				return q
			}
			break
		}
	}
	var found *tQuestion
	for _, sec := range r.secs {
		if q := try(sec); q != nil {
			if found != nil {
				return nil
			}
			found = q
		}
	}
	return found
}

// keyAreaLine handles a line of the key area at the end of a paper:
// headings pick the section their keys belong to.
func (r *textReader) keyAreaLine(l *srcLine, s string) bool {
	var ord int
	var words string
	if m := reCnHeading.FindStringSubmatch(s); m != nil {
		ord, words = cnNumeral(m[1]), m[2]
	} else if m := reDiHeading.FindStringSubmatch(s); m != nil {
		ord, words = cnNumeral(m[1]), m[3]
	} else if m := reEnHeading.FindStringSubmatch(s); m != nil {
		ord, _ = strconv.Atoi(m[2])
		if ord == 0 {
			ord = romanNumeral(strings.ToUpper(m[2]))
		}
		words = m[3]
	} else if t := typeFromWords(s); t != "" && utf8.RuneCountInString(s) <= 20 {
		words = s
	} else {
		if r.keyBlock(l, s) {
			return true
		}
		// "1. 答：……" style answers to essays in the key area.
		if m := reQuestion.FindStringSubmatchIndex(s); m != nil {
			num := 0
			for g := 1; g <= 4; g++ {
				if m[2*g] >= 0 {
					num, _ = strconv.Atoi(s[m[2*g]:m[2*g+1]])
				}
			}
			if q := r.findQuestion(num); q != nil {
				lead := len(l.norm) - len(strings.TrimLeft(l.norm, " \t"))
				v := strings.TrimSpace(l.text(lead+m[1], lead+len(strings.TrimSpace(l.norm))))
				v = strings.NewReplacer("【", "[", "】", "]").Replace(v)
				v = strings.TrimSpace(reAnsLine.ReplaceAllString(reKeyLine.ReplaceAllString(v, ""), ""))
				r.q = q
				if q.hasKey || r.typeOf(q) == exam.TypeEssay {
					q.ref = append(q.ref, v)
				} else {
					r.setKey(q, v, l.n)
				}
				q.into = "ref"
				return true
			}
		}
		if m := reExplLine.FindStringIndex(s); m != nil && r.q != nil && (r.q.into == "ref" || r.q.into == "expl") {
			// "【解析】……" after a question's key in the key area.
			lead := len(l.norm) - len(strings.TrimLeft(l.norm, " \t"))
			r.q.expl = append(r.q.expl, strings.TrimSpace(l.text(lead+m[1], lead+len(strings.TrimSpace(l.norm)))))
			r.q.into = "expl"
			return true
		}
		if r.q != nil && (r.q.into == "ref" || r.q.into == "expl") {
			if r.q.into == "expl" {
				r.q.expl = append(r.q.expl, strings.TrimSpace(string(l.orig)))
			} else {
				r.q.ref = append(r.q.ref, strings.TrimSpace(string(l.orig)))
			}
			return true
		}
		return false
	}
	t := typeFromWords(words)
	var target *tSection
	for _, sec := range r.secs {
		if ord > 0 && sec.ordinal == ord && (t == "" || sec.typ == t || sec.typ == "") {
			target = sec
			break
		}
	}
	if target == nil && t != "" {
		for _, sec := range r.secs {
			if sec.typ == t {
				target = sec
				break
			}
		}
	}
	if target == nil {
		return false
	}
	r.keyTarget = target
	r.q = nil
	return true
}

func (r *textReader) typeOf(q *tQuestion) string {
	if q.typ != "" {
		return q.typ
	}
	for _, sec := range r.secs {
		for _, x := range sec.qs {
			if x == q {
				return sec.typ
			}
		}
	}
	return ""
}

// drawLine reads a section's draw rule, "抽题：从题库抽取3题（题型：单选题；
// 标签：投诉处理、沟通）": how many questions each attempt draws from the
// bank, of which type and carrying which tags.
func (r *textReader) drawLine(l *srcLine, s string, lead int, m []string) {
	sec := r.curSection()
	if sec.draw != nil {
		r.note(l.n, "section %q already draws questions; this draw line was skipped", sec.title)
		return
	}
	n, _ := strconv.Atoi(m[1])
	d := &exam.Draw{Count: n}
	for _, part := range reSemicolons.Split(origOf(l, s, lead, m[2]), -1) {
		name, v, _ := strings.Cut(strings.NewReplacer("：", ":").Replace(part), ":")
		switch name, v = strings.TrimSpace(name), strings.TrimSpace(v); {
		case name == "":
		case name == "题型" || strings.EqualFold(name, "type"):
			if t := typeFromWords(v); t != "" && t != "choice" {
				d.Type = t
			} else {
				r.note(l.n, "the draw's question type %q is not one examd knows; questions of any type are drawn", v)
			}
		case name == "标签" || strings.EqualFold(name, "tags"):
			for _, t := range reListSep.Split(v, -1) {
				if t = strings.TrimSpace(t); t != "" {
					d.Tags = appendUnique(d.Tags, t)
				}
			}
		default:
			r.note(l.n, "the draw's %q is not 题型 or 标签 and was skipped", name)
		}
	}
	sec.draw = d
}

func (r *textReader) closeQuestion() {
	r.q = nil
}

// ---- building the document ----

func (r *textReader) finish() (*Result, error) {
	r.flushLoose(nil)
	d := &exam.Document{Title: r.title, Description: strings.Join(r.desc, "\n"), PassScore: r.passScore, GraceSeconds: r.grace,
		ShuffleQuestions: r.flags["题目乱序"], ShuffleOptions: r.flags["选项乱序"], ShowScoreToCandidate: r.flags["交卷后显示得分"], ShowExplanations: r.flags["交卷后显示解析"]}
	d.Review = r.review
	nq := 0
	for _, sec := range r.secs {
		nq += len(sec.qs)
		if sec.draw != nil {
			nq++
		}
	}
	if nq == 0 {
		return nil, &Unreadable{Format: "text", Problems: []Problem{{Line: 0, Message: "no numbered question was found (questions start with 1. 1、 (1) or Q1)"}}}
	}
	if d.Title == "" {
		d.Title = "导入的试卷"
		r.noted(0, "import_no_title", exam.P{"title": d.Title}, "the paper has no title line; %q is used", d.Title)
	}
	if r.hasTime {
		d.TimeLimitSeconds = r.timeLimit
	} else {
		d.TimeLimitSeconds = 3600
		r.noted(0, "import_no_time_limit", exam.P{"minutes": 60}, "the paper gives no time limit; 60 minutes assumed")
	}
	for si, sec := range r.secs {
		if len(sec.qs) == 0 && !sec.caseSection && sec.draw == nil {
			r.note(sec.line, "section %q has no question", sec.title)
		}
		es := exam.Section{Title: sec.title, Instructions: strings.Join(sec.instr, "\n"), Questions: []exam.Question{}, Draw: sec.draw}
		if es.Title == "" {
			es.Title = fmt.Sprintf("第%s部分", cnNumber(si+1))
		}
		for qi, q := range sec.qs {
			es.Questions = append(es.Questions, r.build(sec, q, fmt.Sprintf("sections[%d].questions[%d]", si, qi)))
		}
		d.Sections = append(d.Sections, es)
	}
	if len(r.trackIDs) > 0 {
		d.Tracks = r.trackIDs
		labels := map[string]string{}
		for _, t := range r.trackIDs {
			if l := r.trackLabels[t]; l != "" {
				labels[t] = l
			}
		}
		if len(labels) > 0 {
			d.TrackLabels = labels
		}
	}
	return &Result{Exam: d, Problems: r.problems}, nil
}

func (r *textReader) build(sec *tSection, q *tQuestion, path string) exam.Question {
	prompt := strings.Join(q.prompt, "\n")
	fp := foldString(prompt)
	typ, from := q.typ, q.typFrom
	// A type marker in the stem.
	if m := reTypeMarker.FindStringIndex(fp); m != nil {
		t := typeFromWords(fp[m[0]:m[1]])
		prompt, fp = cutRange(prompt, fp, m[0], m[1])
		if t != "" {
			typ, from = t, "marker"
		}
	}
	ex := exam.Question{}
	// Tracks: a 适用岗位 line under the question, or markers in the stem.
	if q.ownTracks != nil && len(*q.ownTracks) > 0 {
		ex.Tracks = *q.ownTracks
	}
	for q.ownTracks == nil {
		m := reTrack.FindStringSubmatchIndex(fp)
		if m == nil {
			break
		}
		words := fp[m[2]:m[3]]
		origWords := substrByFold(prompt, fp, m[2], m[3])
		_ = words
		for _, w := range reTrackSep.Split(origWords, -1) {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			ex.Tracks = appendUnique(ex.Tracks, r.trackID(w))
		}
		prompt, fp = cutRange(prompt, fp, m[0], m[1])
	}
	// Points of this question.
	if m := reQPoints.FindStringSubmatchIndex(fp); m != nil {
		q.points, _ = strconv.ParseFloat(fp[m[2]:m[3]], 64)
		q.hasPoints = true
		prompt, fp = cutRange(prompt, fp, m[0], m[1])
	}
	// Scoring of a multiple choice question.
	if m := rePerCorrect.FindStringSubmatch(fp); m != nil {
		if full := reScoringParen.FindStringIndex(fp); full != nil {
			q.scoring = scoringWords(fp, m[1])
			prompt, fp = cutRange(prompt, fp, full[0], full[1])
		}
	}
	// A glued key at the end of the stem ("……（ ）答案：B").
	if !q.hasKey {
		if m := reGluedKey.FindStringSubmatchIndex(fp); m != nil {
			r.setKey(q, fp[m[2]:m[3]], q.line)
			prompt, fp = cutRange(prompt, fp, m[0], m[1])
		}
	}
	if typ == "" {
		typ = sec.typ
		if typ != "" {
			from = "heading"
		}
	}
	// A key in the answer parentheses of the stem: "……（ C ）".
	if !q.hasKey && (len(q.opts) > 0 || typ == exam.TypeTrueFalse) {
		if ms := reParenKey.FindAllStringSubmatchIndex(fp, -1); len(ms) == 1 {
			m := ms[0]
			k := fp[m[2]:m[3]]
			if len(q.opts) > 0 || trueFalseKey(k) != nil {
				r.setKey(q, k, q.line)
				prompt, fp = replaceRange(prompt, fp, m[2], m[3], " ")
			}
		}
	}
	prompt = strings.TrimSpace(prompt)
	// Options marked "(Answer)" or "*" are the key.
	var marked []string
	for i := range q.opts {
		fo := foldString(q.opts[i].text)
		if m := reMarkedOpt.FindStringIndex(fo); m != nil && m[0] > 0 {
			q.opts[i].text = strings.TrimSpace(substrByFold(q.opts[i].text, fo, 0, m[0]))
			marked = append(marked, string(unicode.ToUpper(q.opts[i].label)))
		}
	}
	if !q.hasKey && len(marked) > 0 {
		r.setKey(q, strings.Join(marked, ""), q.line)
	}
	key := strings.TrimSpace(q.key)
	fkey := strings.ToUpper(foldString(key))
	letters := choiceLetters(fkey, len(q.opts))
	// A true/false question written as two options, "A.对 B.错" or "A. True
	// B. False", keyed by letter: the key is the truth of the option it
	// names. Untyped, such a question is a true/false one.
	if len(q.opts) == 2 && (typ == exam.TypeTrueFalse || typ == "") {
		a, b := optionTruth(q.opts[0].text), optionTruth(q.opts[1].text)
		if a != nil && b != nil && *a != *b {
			if typ == "" {
				typ = exam.TypeTrueFalse
				r.noted(q.line, "import_type_guessed", exam.P{"n": q.num, "type": typ}, "question %d: type %s guessed from its options %s and %s", q.num, typ, q.opts[0].text, q.opts[1].text)
			}
			if len(letters) == 1 && letters[0] < 2 {
				fkey = map[bool]string{true: "√", false: "×"}[*[]*bool{a, b}[letters[0]]]
				key = fkey
			}
			q.opts, letters = nil, nil
		}
	}

	guess := func(t, why string) {
		typ = t
		r.noted(q.line, "import_type_guessed", exam.P{"n": q.num, "type": t}, "question %d: type %s guessed from %s", q.num, t, why)
	}
	switch typ {
	case "choice":
		if len(letters) > 1 {
			typ = exam.TypeMultipleChoice
		} else {
			typ = exam.TypeSingleChoice
			if !q.hasKey {
				r.noted(q.line, "import_single_assumed", exam.P{"n": q.num}, "question %d: single choice assumed (no key tells single from multiple)", q.num)
			}
		}
	case exam.TypeSingleChoice:
		if len(letters) > 1 {
			r.noted(q.line, "import_several_keys", exam.P{"n": q.num, "key": key}, "question %d: the key %q names several options; made a multiple choice", q.num, key)
			typ = exam.TypeMultipleChoice
		}
	case exam.TypeTrueFalse, exam.TypeFillIn, exam.TypeMultipleChoice, exam.TypeEssay:
		if typ == exam.TypeEssay && len(q.opts) >= 2 && from != "marker" {
			typ = ""
		}
		if typ == exam.TypeTrueFalse && len(q.opts) >= 2 && trueFalseKey(fkey) == nil {
			typ = ""
		}
	}
	if typ == "" {
		switch {
		case len(q.opts) >= 2 && len(letters) > 1:
			guess(exam.TypeMultipleChoice, "its options and a key of several letters")
		case len(q.opts) >= 2:
			guess(exam.TypeSingleChoice, "its options")
		case q.hasKey && trueFalseKey(fkey) != nil:
			guess(exam.TypeTrueFalse, "its key")
		case hasBlank(prompt):
			guess(exam.TypeFillIn, "its blanks")
		default:
			guess(exam.TypeEssay, "having neither options nor blanks")
		}
	}
	ex.Type = typ
	ex.Tags = q.tags
	ex.Explanation = strings.TrimSpace(strings.Join(q.expl, "\n"))
	// A multiple choice question's points come from its scoring; only when
	// the source gives points are they turned into per-option scoring, so
	// one without points takes the default rule and is no guess to report.
	var points float64
	if typ != exam.TypeMultipleChoice || q.hasPoints || sec.hasPer || sec.hasTotal {
		points = r.points(sec, q)
	}

	missing := func() {
		r.problems = append(r.problems, Problem{Field: path, Line: q.line, Code: "import_no_key", Message: fmt.Sprintf("question %d: the source gives no key", q.num)})
	}
	switch typ {
	case exam.TypeSingleChoice, exam.TypeMultipleChoice:
		for i, o := range q.opts {
			ex.Options = append(ex.Options, exam.Option{Key: optionKey(i), Text: o.text})
		}
		if len(q.opts) < 2 {
			r.problems = append(r.problems, Problem{Field: path + ".options", Line: q.line, Code: "import_too_few_options", Params: exam.P{"found": len(q.opts)}, Message: fmt.Sprintf("question %d: %d option(s) found; a choice needs at least 2", q.num, len(q.opts))})
		}
		keys := r.letterKeys(q, letters)
		if typ == exam.TypeSingleChoice {
			ex.Points = points
			switch {
			case !q.hasKey:
				missing()
			case len(keys) == 1:
				ex.Answer, _ = json.Marshal(keys[0])
			default:
				r.problems = append(r.problems, Problem{Field: path + ".answer", Line: q.keyLine, Code: "import_key_not_option", Params: exam.P{"key": key}, Message: fmt.Sprintf("question %d: the key %q is not an option", q.num, key)})
			}
		} else {
			if !q.hasKey {
				missing()
			} else if len(keys) == 0 {
				r.problems = append(r.problems, Problem{Field: path + ".answers", Line: q.keyLine, Code: "import_key_not_option", Params: exam.P{"key": key}, Message: fmt.Sprintf("question %d: the key %q names no option", q.num, key)})
			}
			ex.Answers = keys
			ex.Scoring = q.scoring
			if ex.Scoring == nil {
				ex.Scoring = sec.scoring
			}
			if ex.Scoring == nil && len(keys) > 0 && (q.hasPoints || sec.hasPer || sec.hasTotal) {
				per := points / float64(len(keys))
				if per == math.Round(per*2)/2 && per > 0 {
					ex.Scoring = &exam.Scoring{PerCorrect: per, PerWrong: per}
				} else {
					r.note(q.line, "question %d: %s points over %d correct options cannot be scored per option; the +1/−1 rule applies", q.num, fmtNum(points), len(keys))
				}
			}
			if ex.Scoring != nil {
				sc := *ex.Scoring
				ex.Scoring = &sc
			}
		}
	case exam.TypeTrueFalse:
		ex.Points = points
		if !q.hasKey {
			missing()
		} else if v := trueFalseKey(fkey); v != nil {
			ex.Answer, _ = json.Marshal(*v)
		} else {
			r.problems = append(r.problems, Problem{Field: path + ".answer", Line: q.keyLine, Code: "import_not_true_false", Params: exam.P{"key": key}, Message: fmt.Sprintf("question %d: %q is not a true/false key (√ × 对 错 正确 错误 T F)", q.num, key)})
		}
	case exam.TypeFillIn:
		n := 0
		prompt = reBlankReplace(prompt, func() string { n++; return fmt.Sprintf("{{%d}}", n) })
		if n == 0 && !q.hasKey && from != "" {
			// "……树牢(安全发展)理念": the key written in the blank.
			fp := foldString(prompt)
			var b strings.Builder
			var keys []string
			last := 0
			for _, m := range reParenFill.FindAllStringSubmatchIndex(fp, -1) {
				b.WriteString(substrByFold(prompt, fp, last, m[0]))
				keys = append(keys, strings.TrimSpace(substrByFold(prompt, fp, m[2], m[3])))
				b.WriteString(fmt.Sprintf("{{%d}}", len(keys)))
				last = m[1]
			}
			if len(keys) > 0 {
				b.WriteString(substrByFold(prompt, fp, last, len(fp)))
				prompt, n = b.String(), len(keys)
				r.setKey(q, strings.Join(keys, "；"), q.line)
				key = q.key
				r.note(q.line, "question %d: the words in parentheses taken as the blanks' answers", q.num)
			}
		}
		if n == 0 {
			r.problems = append(r.problems, Problem{Field: path + ".blanks", Line: q.line, Code: "import_blank_lost", Message: fmt.Sprintf("question %d: a fill-in whose blank the source lost (no ____ or （ ） in the stem)", q.num)})
		}
		answers := splitFillKey(key, n)
		if q.hasKey && n > 0 && len(answers) != n {
			r.problems = append(r.problems, Problem{Field: path + ".blanks", Line: q.keyLine, Code: "import_blank_count", Params: exam.P{"answers": len(answers), "blanks": n}, Message: fmt.Sprintf("question %d: the key has %d answer(s) for %d blank(s); none is used", q.num, len(answers), n)})
			answers = nil
		}
		if !q.hasKey && n > 0 {
			missing()
		}
		per := points
		if n > 0 && !(sec.perBlank && !q.hasPoints) {
			per = points / float64(n)
			if per != math.Round(per*2)/2 || per <= 0 {
				per = 1
			}
		}
		for i := 0; i < n; i++ {
			b := exam.Blank{Points: per, Accepted: []string{}}
			if i < len(answers) {
				b.Accepted = blankNote(&b, answers[i])
			}
			ex.Blanks = append(ex.Blanks, b)
		}
	case exam.TypeEssay:
		ex.Points = points
		ref := q.ref
		if q.hasKey {
			ref = append([]string{key}, ref...)
		}
		ex.ReferenceAnswer = strings.TrimSpace(strings.Join(ref, "\n"))
		ex.Rubric = q.rubric
	}
	if typ != exam.TypeEssay && len(q.ref) > 0 {
		extra := strings.TrimSpace(strings.Join(q.ref, "\n"))
		if extra != "" {
			if ex.Explanation != "" {
				ex.Explanation = extra + "\n" + ex.Explanation
			} else {
				ex.Explanation = extra
			}
		}
	}
	ex.Prompt = strings.TrimSpace(prompt)
	return ex
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (r *textReader) points(sec *tSection, q *tQuestion) float64 {
	switch {
	case q.hasPoints:
		return q.points
	case sec.hasPer:
		return sec.per
	case sec.hasTotal && len(sec.qs) > 0:
		p := sec.total / float64(len(sec.qs))
		if p == math.Round(p*2)/2 && p > 0 {
			return p
		}
		r.noted(q.line, "import_points_uneven", exam.P{"n": q.num, "total": sec.total, "questions": len(sec.qs)}, "question %d: the section's %s points do not share evenly over %d questions; 1 point assumed", q.num, fmtNum(sec.total), len(sec.qs))
		return 1
	}
	r.noted(q.line, "import_no_points", exam.P{"n": q.num}, "question %d: no points given; 1 point assumed", q.num)
	return 1
}

func optionKey(i int) string {
	if i < 26 {
		return string(rune('a' + i))
	}
	return fmt.Sprintf("o%d", i+1)
}

// choiceLetters reads a choice key "A", "AB", "A,C", "A、B、D".
func choiceLetters(k string, nopts int) []int {
	var out []int
	for _, c := range k {
		switch {
		case c >= 'A' && c <= 'Z':
			out = append(out, int(c-'A'))
		case c == ' ' || c == ',' || c == '、' || c == ';' || c == '，' || c == '；' || c == '.':
		default:
			return nil
		}
	}
	return out
}

func (r *textReader) letterKeys(q *tQuestion, letters []int) []string {
	var keys []string
	for _, i := range letters {
		// The label letter names the option: A is the option labelled A.
		found := -1
		for j, o := range q.opts {
			if int(unicode.ToUpper(o.label)-'A') == i {
				found = j
			}
		}
		if found < 0 {
			return nil
		}
		keys = appendUnique(keys, optionKey(found))
	}
	return keys
}

// optionTruth is the truth an option of a true/false question written with
// options says: 对/错, 正确/错误, √/×, True/False (not letters such as X or
// Y, which label ordinary options too).
func optionTruth(text string) *bool {
	t, f := true, false
	switch strings.ToUpper(strings.TrimSpace(foldString(text))) {
	case "√", "对", "正确", "TRUE":
		return &t
	case "×", "错", "错误", "FALSE":
		return &f
	}
	return nil
}

func trueFalseKey(k string) *bool {
	t, f := true, false
	switch strings.ToUpper(strings.TrimSpace(k)) {
	case "√", "对", "正确", "T", "TRUE", "是", "Y", "YES", "V":
		return &t
	case "×", "错", "错误", "F", "FALSE", "否", "N", "NO", "X":
		return &f
	}
	return nil
}

// splitFillKey splits a fill-in key into one list of accepted answers per
// blank: blanks by ；; 、 or spaces when there are several, alternatives by /.
// blankNote takes a note after a blank's last accepted answer, "（2分）",
// "（区分大小写）" or "（2分，区分大小写）", into b's points and case
// sensitivity, and returns the answers without it.
func blankNote(b *exam.Blank, acc []string) []string {
	if len(acc) == 0 {
		return acc
	}
	last := acc[len(acc)-1]
	m := reBlankNote.FindStringSubmatchIndex(last)
	if m == nil || (m[2] < 0 && m[4] < 0) || m[0] == 0 {
		return acc
	}
	if m[2] >= 0 {
		b.Points, _ = strconv.ParseFloat(last[m[2]:m[3]], 64)
	}
	b.CaseSensitive = m[4] >= 0
	out := append([]string{}, acc[:len(acc)-1]...)
	return append(out, strings.TrimSpace(last[:m[0]]))
}

func splitFillKey(k string, n int) [][]string {
	k = strings.TrimSpace(k)
	if k == "" {
		return nil
	}
	var parts []string
	if n <= 1 {
		parts = []string{k}
	} else {
		for _, sep := range []string{"；", ";", "、", "，", ",", " "} {
			parts = strings.Split(k, sep)
			if len(parts) == n {
				break
			}
		}
	}
	var out [][]string
	for _, p := range parts {
		var acc []string
		for _, a := range strings.Split(p, "/") {
			if a = strings.TrimSpace(a); a != "" {
				acc = append(acc, a)
			}
		}
		out = append(out, acc)
	}
	return out
}

func reBlankReplace(prompt string, next func() string) string {
	fp := foldString(prompt)
	var b strings.Builder
	last := 0
	for _, m := range reBlank.FindAllStringIndex(fp, -1) {
		b.WriteString(substrByFold(prompt, fp, last, m[0]))
		b.WriteString(next())
		last = m[1]
	}
	b.WriteString(substrByFold(prompt, fp, last, len(fp)))
	return b.String()
}

// substrByFold returns the stretch of orig that fold(orig)[from:to] came
// from (folding is rune for rune).
func substrByFold(orig, folded string, from, to int) string {
	a := utf8.RuneCountInString(folded[:from])
	b := a + utf8.RuneCountInString(folded[from:to])
	rs := []rune(orig)
	return string(rs[a:b])
}

func cutRange(orig, folded string, from, to int) (string, string) {
	return replaceRange(orig, folded, from, to, "")
}

func replaceRange(orig, folded string, from, to int, with string) (string, string) {
	a := utf8.RuneCountInString(folded[:from])
	b := a + utf8.RuneCountInString(folded[from:to])
	rs := []rune(orig)
	o := string(rs[:a]) + with + string(rs[b:])
	return o, folded[:from] + with + folded[to:]
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// scoringWords reads a multiple choice scoring rule from a heading or a
// stem: perCorrect is the number rePerCorrect matched in s, and the
// per-wrong and floor amounts are read from s where they are written.
func scoringWords(s, perCorrect string) *exam.Scoring {
	pc, _ := strconv.ParseFloat(perCorrect, 64)
	sc := exam.Scoring{PerCorrect: pc}
	if w := rePerWrong.FindStringSubmatch(s); w != nil {
		sc.PerWrong, _ = strconv.ParseFloat(w[1], 64)
	}
	if f := reFloor.FindStringSubmatch(s); f != nil {
		sc.Floor, _ = strconv.ParseFloat(f[1], 64)
	}
	return &sc
}
