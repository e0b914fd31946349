package formats

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"examd/exam"
)

// Moodle XML is Moodle's full question export. What maps:
//
//   - <question type="category"> starts a section titled by the category path
//     (without "$course$/" or "top/");
//   - multichoice with <single>true</single> is a single choice (the key is
//     the answer of the highest positive fraction), with false a multiple
//     choice whose answers are the options with a positive fraction; its
//     <defaultgrade> is spread over the right options as scoring.per_correct;
//   - truefalse, shortanswer (a fill-in with one blank: the first run of
//     underscores in the text, else the end; <usecase>1</usecase> is
//     case-sensitive) and essay (<graderinfo> is the reference answer);
//   - <defaultgrade> is the points; question text stays as written (HTML).
//
// It has no tracks, rubrics or exam settings, and feedback, penalties and
// the other question types (matching, numerical, cloze …) have no place in
// an exam document: Problems names each.

func init() {
	readers["moodle_xml"] = readMoodleXML
	writers["moodle_xml"] = writeMoodleXML
}

type mxText struct {
	Format string `xml:"format,attr"`
	Text   string `xml:"text"`
}

type mxAnswer struct {
	Fraction string `xml:"fraction,attr"`
	Format   string `xml:"format,attr"`
	Text     string `xml:"text"`
	Feedback mxText `xml:"feedback"`
}

type mxQuestion struct {
	Type            string     `xml:"type,attr"`
	Category        mxText     `xml:"category"`
	Name            mxText     `xml:"name"`
	QuestionText    mxText     `xml:"questiontext"`
	GeneralFeedback mxText     `xml:"generalfeedback"`
	DefaultGrade    string     `xml:"defaultgrade"`
	Single          string     `xml:"single"`
	UseCase         string     `xml:"usecase"`
	Answers         []mxAnswer `xml:"answer"`
	GraderInfo      mxText     `xml:"graderinfo"`
	Tags            []mxText   `xml:"tags>tag"`
}

var underscoreRun = regexp.MustCompile(`_{3,}`)

func readMoodleXML(src []byte, name string) (*Result, error) {
	fail := func(line int, format string, args ...any) error {
		return &Unreadable{Format: "moodle_xml", Problems: []Problem{{Line: line, Message: fmt.Sprintf(format, args...)}}}
	}
	dec := xml.NewDecoder(bytes.NewReader(src))
	dec.Strict = true
	// No DTD, no external entities: only XML's five predefined ones.
	dec.Entity = nil
	res := &Result{Exam: &exam.Document{Title: titleOfFile(name), Sections: []exam.Section{}}}
	d := res.Exam
	note := func(field string, line int, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Field: field, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	sawQuiz := false
	for {
		tok, line, err := nextXML(dec)
		if errors.Is(err, io.EOF) {
			break
		}
		if r := (*xmlRefusal)(nil); errors.As(err, &r) {
			return nil, fail(r.line, "%s", r.msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "quiz":
				sawQuiz = true
			case "question":
				if !sawQuiz {
					return nil, fail(line, "<question> outside <quiz>")
				}
				l, _ := dec.InputPos()
				var q mxQuestion
				if err := dec.DecodeElement(&q, &t); err != nil {
					el, _ := dec.InputPos()
					return nil, fail(el, "not well-formed XML: %v", err)
				}
				readMXQuestion(d, &q, l, note)
			}
		}
	}
	if !sawQuiz {
		return nil, fail(1, "no <quiz> element: this is not a Moodle XML export")
	}
	if Count(d).Questions == 0 {
		return nil, &Unreadable{Format: "moodle_xml", Problems: append(res.Problems, Problem{Line: 0, Message: "no question examd can hold was found in the <quiz>"})}
	}
	note("", 0, "Moodle XML holds no tracks, rubrics or exam settings (title, time limit, pass score); the answers' feedback and penalties are not kept")
	return res, nil
}

func categoryTitle(path string) string {
	path = strings.TrimSpace(path)
	for _, p := range []string{"$course$/", "$module$/", "$system$/", "$cat1$/", "top/"} {
		path = strings.TrimPrefix(path, p)
	}
	if path == "top" {
		return ""
	}
	return path
}

func parseFraction(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func readMXQuestion(d *exam.Document, mq *mxQuestion, line int, note func(string, int, string, ...any)) {
	if mq.Type == "category" {
		d.Sections = append(d.Sections, exam.Section{Title: categoryTitle(mq.Category.Text), Questions: []exam.Question{}})
		return
	}
	if len(d.Sections) == 0 {
		d.Sections = append(d.Sections, exam.Section{Questions: []exam.Question{}})
	}
	s := &d.Sections[len(d.Sections)-1]
	qp := fmt.Sprintf("sections[%d].questions[%d]", len(d.Sections)-1, len(s.Questions))
	q := exam.Question{Prompt: strings.TrimSpace(mq.QuestionText.Text)}
	grade := 1.0
	if g := strings.TrimSpace(mq.DefaultGrade); g != "" {
		v, err := strconv.ParseFloat(g, 64)
		if err != nil || v <= 0 || math.IsInf(v, 0) {
			note(qp+".points", line, "defaultgrade %q is not a positive number; 1 point is used", clipText(g))
		} else {
			grade = v
		}
	}
	// The general feedback is what examd calls the explanation (解析).
	q.Explanation = strings.TrimSpace(mq.GeneralFeedback.Text)
	for _, t := range mq.Tags {
		if t := strings.TrimSpace(t.Text); t != "" && !slices.Contains(q.Tags, t) {
			q.Tags = append(q.Tags, t)
		}
	}
	feedback := false
	for _, a := range mq.Answers {
		feedback = feedback || strings.TrimSpace(a.Feedback.Text) != ""
	}
	switch mq.Type {
	case "multichoice":
		single := strings.TrimSpace(strings.ToLower(mq.Single)) != "false" && strings.TrimSpace(mq.Single) != "0"
		best, bestFrac := "", 0.0
		var rights []string
		for i, a := range mq.Answers {
			k := seqOptionKey(i)
			q.Options = append(q.Options, exam.Option{Key: k, Text: strings.TrimSpace(a.Text)})
			if f := parseFraction(a.Fraction); f > 0 {
				rights = append(rights, k)
				if f > bestFrac {
					best, bestFrac = k, f
				}
			}
		}
		if single {
			q.Type, q.Points = exam.TypeSingleChoice, grade
			if best == "" {
				note(qp+".answer", line, "no answer has a positive fraction; the key is left out")
			} else {
				q.Answer, _ = json.Marshal(best)
			}
			if len(rights) > 1 {
				note(qp+".answer", line, "several answers earn credit; the one with the highest fraction is the key")
			}
		} else {
			q.Type, q.Answers = exam.TypeMultipleChoice, rights
			if len(rights) > 0 {
				per := grade / float64(len(rights))
				if per*2 == math.Trunc(per*2) {
					q.Scoring = &exam.Scoring{PerCorrect: per, PerWrong: per, Floor: 0}
				} else {
					note(qp+".scoring", line, "defaultgrade %s cannot be split evenly in half points over %d right options; each is worth 1 (+1/−1 rule)", numText(grade), len(rights))
				}
			}
		}
	case "truefalse":
		q.Type, q.Points = exam.TypeTrueFalse, grade
		for _, a := range mq.Answers {
			if parseFraction(a.Fraction) > 0 {
				switch strings.ToLower(strings.TrimSpace(a.Text)) {
				case "true":
					q.Answer = json.RawMessage("true")
				case "false":
					q.Answer = json.RawMessage("false")
				}
			}
		}
		if q.Answer == nil {
			note(qp+".answer", line, "no answer \"true\" or \"false\" earns credit; the key is left out")
		}
	case "shortanswer":
		q.Type = exam.TypeFillIn
		b := exam.Blank{Points: grade, Accepted: []string{}, CaseSensitive: strings.TrimSpace(mq.UseCase) == "1"}
		for _, a := range mq.Answers {
			if parseFraction(a.Fraction) > 0 && strings.TrimSpace(a.Text) != "" {
				b.Accepted = append(b.Accepted, a.Text)
			}
		}
		q.Blanks = []exam.Blank{b}
		if loc := underscoreRun.FindStringIndex(q.Prompt); loc != nil {
			q.Prompt = q.Prompt[:loc[0]] + "{{1}}" + q.Prompt[loc[1]:]
		} else {
			q.Prompt = strings.TrimSpace(q.Prompt + " {{1}}")
		}
	case "essay":
		q.Type, q.Points = exam.TypeEssay, grade
		q.ReferenceAnswer = strings.TrimSpace(mq.GraderInfo.Text)
	default:
		note("", line, "%s questions have no examd type; the question is skipped", clipText(mq.Type))
		return
	}
	if feedback {
		note(qp, line, "the answers' feedback is not kept")
	}
	s.Questions = append(s.Questions, q)
}

func writeMoodleXML(d *exam.Document) ([]byte, string, string, error) {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n")
	text := func(indent, tag, format, s string) {
		attr := ""
		if format != "" {
			attr = ` format="` + format + `"`
		}
		fmt.Fprintf(&b, "%s<%s%s>\n%s  <text>%s</text>\n%s</%s>\n", indent, tag, attr, indent, xmlEscape(s), indent, tag)
	}
	n := 0
	for _, s := range d.Sections {
		b.WriteString("<!-- question: 0  -->\n  <question type=\"category\">\n")
		text("    ", "category", "", "$course$/"+s.Title)
		b.WriteString("  </question>\n\n")
		for _, q := range s.Questions {
			n++
			kind := map[string]string{exam.TypeSingleChoice: "multichoice", exam.TypeMultipleChoice: "multichoice",
				exam.TypeTrueFalse: "truefalse", exam.TypeFillIn: "shortanswer", exam.TypeEssay: "essay"}[q.Type]
			if kind == "" {
				continue
			}
			fmt.Fprintf(&b, "<!-- question: %d  -->\n  <question type=\"%s\">\n", n, kind)
			name := q.ID
			if name == "" {
				name = "Q" + strconv.Itoa(n)
			}
			text("    ", "name", "", name)
			prompt := q.Prompt
			if q.Type == exam.TypeFillIn {
				prompt = strings.Replace(prompt, "{{1}}", "_____", 1)
				prompt = blankOthers(prompt)
			}
			text("    ", "questiontext", "html", prompt)
			grade := q.MaxPoints()
			fmt.Fprintf(&b, "    <defaultgrade>%s</defaultgrade>\n", strconv.FormatFloat(grade, 'f', 7, 64))
			answer := func(fraction float64, s string) {
				fmt.Fprintf(&b, "    <answer fraction=\"%s\" format=\"html\">\n      <text>%s</text>\n    </answer>\n", giftWeight(fraction), xmlEscape(s))
			}
			switch q.Type {
			case exam.TypeSingleChoice, exam.TypeMultipleChoice:
				single := q.Type == exam.TypeSingleChoice
				fmt.Fprintf(&b, "    <single>%t</single>\n    <shuffleanswers>false</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n", single)
				key, _ := q.AnswerKey()
				right := map[string]bool{}
				for _, a := range q.Answers {
					right[a] = true
				}
				for _, o := range q.Options {
					switch {
					case single && o.Key == key:
						answer(100, o.Text)
					case !single && right[o.Key]:
						answer(100/float64(len(q.Answers)), o.Text)
					case !single:
						answer(-100/float64(max(len(q.Answers), 1)), o.Text)
					default:
						answer(0, o.Text)
					}
				}
			case exam.TypeTrueFalse:
				v, _ := q.AnswerBool()
				answer(boolFraction(v), "true")
				answer(boolFraction(!v), "false")
			case exam.TypeFillIn:
				cs := 0
				if len(q.Blanks) > 0 && q.Blanks[0].CaseSensitive {
					cs = 1
				}
				fmt.Fprintf(&b, "    <usecase>%d</usecase>\n", cs)
				if len(q.Blanks) > 0 {
					for _, a := range q.Blanks[0].Accepted {
						answer(100, a)
					}
				}
			case exam.TypeEssay:
				b.WriteString("    <responseformat>editor</responseformat>\n")
				text("    ", "graderinfo", "html", q.ReferenceAnswer)
			}
			if q.Explanation != "" {
				text("    ", "generalfeedback", "html", q.Explanation)
			}
			if len(q.Tags) > 0 {
				b.WriteString("    <tags>\n")
				for _, t := range q.Tags {
					fmt.Fprintf(&b, "      <tag><text>%s</text></tag>\n", xmlEscape(t))
				}
				b.WriteString("    </tags>\n")
			}
			b.WriteString("  </question>\n\n")
		}
	}
	b.WriteString("</quiz>\n")
	return []byte(b.String()), "xml", "application/xml; charset=utf-8", nil
}

func boolFraction(v bool) float64 {
	if v {
		return 100
	}
	return 0
}
