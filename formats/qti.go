package formats

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"

	"examd/exam"
)

// QTI 2.1: an assessmentItem file, an assessmentTest file, or an IMS content
// package (.zip with imsmanifest.xml) holding them. What maps:
//
//   - choiceInteraction with maxChoices="1" (or a single-cardinality
//     response) is a single choice keyed by correctResponse; otherwise a
//     multiple choice whose answers are correctResponse's values (or the
//     mapping's positively mapped keys);
//   - textEntryInteraction is a blank ({{n}} where it stands), accepting
//     correctResponse and the mapping's positively mapped keys (caseSensitive
//     as the mapping says) and worth its mapped value or 1;
//   - extendedTextInteraction is an essay;
//   - assessmentSection is a section; items outside any test form one.
//
// Points are the mapping's upperBound or the SCORE outcome's normalMaximum
// when given, else 1. The prompt is the item body's text (markup dropped);
// feedback, response processing beyond the key, and other interactions are
// not kept, and Problems says so.
//
// The writer makes a content package: imsmanifest.xml, test.xml (an
// assessmentTest with a section per exam section) and one item file per
// question (items/q001.xml …).

func init() {
	readers["qti"] = readQTI
	writers["qti"] = writeQTI
}

// Limits on a package, checked from the zip directory before anything is
// unpacked, and again while reading (a directory can lie).
const (
	qtiMaxParts     = 2000
	qtiMaxPartBytes = 8 << 20
	qtiMaxTotal     = 32 << 20
)

type qtiReader struct {
	res   *Result
	parts map[string][]byte // package parts by clean path
}

func (r *qtiReader) note(field string, line int, format string, args ...any) {
	r.res.Problems = append(r.res.Problems, Problem{Field: field, Line: line, Message: fmt.Sprintf(format, args...)})
}

func qtiFail(format string, args ...any) error {
	return &Unreadable{Format: "qti", Problems: []Problem{{Message: fmt.Sprintf(format, args...)}}}
}

func readQTI(src []byte, name string) (*Result, error) {
	r := &qtiReader{res: &Result{Exam: &exam.Document{Title: titleOfFile(name), Sections: []exam.Section{}}}, parts: map[string][]byte{}}
	if bytes.HasPrefix(src, []byte("PK\x03\x04")) {
		if err := r.unpack(src); err != nil {
			return nil, err
		}
	} else {
		r.parts["item.xml"] = src
	}
	// A test names its sections and items; without one, every item is read
	// in the manifest's (else the package's) order.
	tests, items := r.classify()
	switch {
	case len(tests) > 0:
		for _, t := range tests {
			if err := r.readTest(t); err != nil {
				return nil, err
			}
		}
	case len(items) > 0:
		r.res.Exam.Sections = append(r.res.Exam.Sections, exam.Section{Questions: []exam.Question{}})
		for _, p := range items {
			if err := r.readItem(p, &r.res.Exam.Sections[0], 0); err != nil {
				return nil, err
			}
		}
	default:
		return nil, qtiFail("no QTI 2.1 assessmentItem or assessmentTest found")
	}
	if Count(r.res.Exam).Questions == 0 {
		return nil, &Unreadable{Format: "qti", Problems: append(r.res.Problems, Problem{Message: "no question examd can hold was found"})}
	}
	r.note("", 0, "QTI holds no tracks, rubrics, reference answers or exam settings (time limit, pass score); feedback and response processing beyond the key are not kept")
	return r.res, nil
}

func (r *qtiReader) unpack(src []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return qtiFail("not a readable zip: %v", err)
	}
	if len(zr.File) > qtiMaxParts {
		return qtiFail("the package has %d parts; at most %d are read", len(zr.File), qtiMaxParts)
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > qtiMaxPartBytes {
			return qtiFail("the part %q unpacks to %d bytes; at most %d are allowed", clipText(f.Name), f.UncompressedSize64, qtiMaxPartBytes)
		}
		total += f.UncompressedSize64
	}
	if total > qtiMaxTotal {
		return qtiFail("the package unpacks to %d bytes; at most %d are allowed", total, qtiMaxTotal)
	}
	var read int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".xml") {
			continue
		}
		p, ok := qtiCleanPart(f.Name)
		if !ok {
			return qtiFail("the part name %q leaves the package", clipText(f.Name))
		}
		rc, err := f.Open()
		if err != nil {
			return qtiFail("the part %q cannot be opened: %v", clipText(f.Name), err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, qtiMaxPartBytes+1))
		rc.Close()
		if err != nil {
			return qtiFail("the part %q cannot be unpacked: %v", clipText(f.Name), err)
		}
		read += int64(len(b))
		if len(b) > qtiMaxPartBytes || read > qtiMaxTotal {
			return qtiFail("the package unpacks to more than its directory says; refused")
		}
		r.parts[p] = b
	}
	if _, ok := r.parts["imsmanifest.xml"]; !ok {
		r.note("", 0, "the package has no imsmanifest.xml; its XML parts are read as they are")
	}
	return nil
}

// qtiCleanPart resolves a part name inside the package; ok is false for names
// that would leave it (absolute, or climbing above the root).
func qtiCleanPart(name string) (string, bool) {
	name = strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(name, "/") || strings.Contains(name, "\x00") {
		return "", false
	}
	c := path.Clean(name)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}

// qtiRootElement returns the local name of a part's root element.
func qtiRootElement(b []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Entity = nil
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

func (r *qtiReader) classify() (tests, items []string) {
	var order []string
	seen := map[string]bool{}
	for _, p := range append(r.manifestOrder(), sortedKeys(r.parts)...) {
		if !seen[p] {
			seen[p] = true
			order = append(order, p)
		}
	}
	for _, p := range order {
		b, ok := r.parts[p]
		if !ok {
			continue
		}
		switch qtiRootElement(b) {
		case "assessmentTest":
			tests = append(tests, p)
		case "assessmentItem":
			items = append(items, p)
		}
	}
	return tests, items
}

// manifestOrder lists the files the manifest's resources name, in order.
func (r *qtiReader) manifestOrder() []string {
	b, ok := r.parts["imsmanifest.xml"]
	if !ok {
		return nil
	}
	var m struct {
		Resources []struct {
			Href  string `xml:"href,attr"`
			Files []struct {
				Href string `xml:"href,attr"`
			} `xml:"file"`
		} `xml:"resources>resource"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Entity = nil
	if err := dec.Decode(&m); err != nil {
		r.note("", 0, "imsmanifest.xml cannot be read (%v); the package's parts are read in name order", err)
		return nil
	}
	var out []string
	for _, res := range m.Resources {
		for _, h := range append([]string{res.Href}, func() []string {
			var hs []string
			for _, f := range res.Files {
				hs = append(hs, f.Href)
			}
			return hs
		}()...) {
			if p, ok := qtiCleanPart(h); ok && h != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func (r *qtiReader) readTest(p string) error {
	type itemRef struct {
		Href string `xml:"href,attr"`
	}
	type section struct {
		Title    string    `xml:"title,attr"`
		Items    []itemRef `xml:"assessmentItemRef"`
		Sections []section `xml:"assessmentSection"`
	}
	var t struct {
		Title string `xml:"title,attr"`
		Parts []struct {
			Sections []section `xml:"assessmentSection"`
		} `xml:"testPart"`
	}
	dec := xml.NewDecoder(bytes.NewReader(r.parts[p]))
	dec.Entity = nil
	if err := dec.Decode(&t); err != nil {
		return qtiFail("%s: not well-formed XML: %v", p, err)
	}
	if t.Title != "" && (r.res.Exam.Title == "" || len(r.res.Exam.Sections) == 0) {
		r.res.Exam.Title = t.Title
	}
	var walk func(s section, prefix string) error
	walk = func(s section, prefix string) error {
		title := s.Title
		if prefix != "" {
			title = prefix + " / " + s.Title
		}
		if len(s.Items) > 0 {
			r.res.Exam.Sections = append(r.res.Exam.Sections, exam.Section{Title: title, Questions: []exam.Question{}})
			sec := len(r.res.Exam.Sections) - 1
			for _, it := range s.Items {
				ip, ok := qtiCleanPart(path.Join(path.Dir(p), it.Href))
				if !ok {
					return qtiFail("%s: the item reference %q leaves the package", p, clipText(it.Href))
				}
				if _, ok := r.parts[ip]; !ok {
					r.note("", 0, "%s: the item %q is not in the package; skipped", p, clipText(it.Href))
					continue
				}
				if err := r.readItem(ip, &r.res.Exam.Sections[sec], sec); err != nil {
					return err
				}
			}
		}
		for _, sub := range s.Sections {
			if err := walk(sub, title); err != nil {
				return err
			}
		}
		return nil
	}
	for _, part := range t.Parts {
		for _, s := range part.Sections {
			if err := walk(s, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

type qtiResponse struct {
	ID          string
	Cardinality string
	Correct     []string
	Mapping     map[string]float64
	MapOrder    []string
	CaseSens    bool
	Upper       *float64
}

type qtiChoice struct{ id, text string }

// qtiItem is what readItem gathers from one assessmentItem.
type qtiItem struct {
	responses    map[string]*qtiResponse
	maxScore     *float64
	prompt       strings.Builder
	choices      []qtiChoice
	choiceResp   string
	maxChoices   int
	hasChoice    bool
	blanks       []string // response ids of textEntryInteractions
	essay        bool
	other        []string
	interactions int
}

func (r *qtiReader) readItem(p string, sec *exam.Section, si int) error {
	dec := xml.NewDecoder(bytes.NewReader(r.parts[p]))
	dec.Strict = true
	dec.Entity = nil
	it := &qtiItem{responses: map[string]*qtiResponse{}}
	var stack []string
	var cur *qtiResponse
	var inValue, inChoice, inPrompt bool
	var choiceText strings.Builder
	var choiceID string
	var valueText strings.Builder
	inBody := false
	line := 1
	for {
		tok, l, err := nextXML(dec)
		if errors.Is(err, io.EOF) {
			break
		}
		if r := (*xmlRefusal)(nil); errors.As(err, &r) {
			return &Unreadable{Format: "qti", Problems: []Problem{{Line: r.line, Message: p + ": " + r.msg}}}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			attr := func(n string) string {
				for _, a := range t.Attr {
					if a.Name.Local == n {
						return a.Value
					}
				}
				return ""
			}
			switch t.Name.Local {
			case "assessmentItem":
				line = l
			case "responseDeclaration":
				cur = &qtiResponse{ID: attr("identifier"), Cardinality: attr("cardinality"), Mapping: map[string]float64{}}
				it.responses[cur.ID] = cur
			case "mapping":
				if cur != nil {
					cur.CaseSens = attr("caseSensitive") == "true"
					if u, err := strconv.ParseFloat(attr("upperBound"), 64); err == nil {
						cur.Upper = &u
					}
				}
			case "mapEntry":
				if cur != nil {
					v, _ := strconv.ParseFloat(attr("mappedValue"), 64)
					k := attr("mapKey")
					cur.Mapping[k] = v
					cur.MapOrder = append(cur.MapOrder, k)
					if attr("caseSensitive") == "true" {
						cur.CaseSens = true
					}
				}
			case "value":
				if cur != nil && len(stack) >= 2 && stack[len(stack)-2] == "correctResponse" {
					inValue = true
					valueText.Reset()
				}
			case "outcomeDeclaration":
				if attr("identifier") == "SCORE" {
					if m, err := strconv.ParseFloat(attr("normalMaximum"), 64); err == nil {
						it.maxScore = &m
					}
				}
			case "itemBody":
				inBody = true
			case "choiceInteraction":
				it.interactions++
				it.hasChoice = true
				it.choiceResp = attr("responseIdentifier")
				it.maxChoices, _ = strconv.Atoi(attr("maxChoices"))
			case "simpleChoice":
				inChoice = true
				choiceID = attr("identifier")
				choiceText.Reset()
			case "prompt":
				inPrompt = true
				if it.prompt.Len() > 0 {
					it.prompt.WriteString("\n")
				}
			case "textEntryInteraction":
				it.interactions++
				it.blanks = append(it.blanks, attr("responseIdentifier"))
				fmt.Fprintf(&it.prompt, "{{%d}}", len(it.blanks))
			case "extendedTextInteraction":
				it.interactions++
				it.essay = true
			case "feedbackBlock", "feedbackInline", "modalFeedback", "rubricBlock":
				// skipped with its content below
				if err := dec.Skip(); err != nil {
					return qtiFail("%s: %v", p, err)
				}
				stack = stack[:len(stack)-1]
				r.note("", l, "%s: %s is not kept", p, t.Name.Local)
			default:
				if inBody && strings.HasSuffix(t.Name.Local, "Interaction") {
					it.interactions++
					it.other = append(it.other, t.Name.Local)
				}
				if inBody && !inChoice && (t.Name.Local == "br") {
					it.prompt.WriteString("\n")
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			switch t.Name.Local {
			case "responseDeclaration":
				cur = nil
			case "value":
				if inValue && cur != nil {
					cur.Correct = append(cur.Correct, strings.TrimSpace(valueText.String()))
				}
				inValue = false
			case "simpleChoice":
				inChoice = false
				it.choices = append(it.choices, qtiChoice{choiceID, qtiCollapse(choiceText.String())})
			case "prompt":
				inPrompt = false
			case "itemBody":
				inBody = false
			case "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "pre":
				if inBody && !inChoice && !strings.HasSuffix(it.prompt.String(), "\n") {
					it.prompt.WriteString("\n")
				}
			}
		case xml.CharData:
			switch {
			case inValue:
				valueText.Write(t)
			case inChoice:
				choiceText.Write(t)
			case inBody || inPrompt:
				it.prompt.WriteString(qtiInline(string(t)))
			}
		}
	}
	qp := fmt.Sprintf("sections[%d].questions[%d]", si, len(sec.Questions))
	q, ok := r.buildItem(it, p, qp, line)
	if ok {
		sec.Questions = append(sec.Questions, q)
	}
	return nil
}

func qtiInline(s string) string {
	if strings.TrimSpace(s) == "" {
		if strings.ContainsAny(s, "\n") {
			return ""
		}
		return s
	}
	lead := ""
	if s != strings.TrimLeft(s, " \t\n\r") {
		lead = " "
	}
	return lead + strings.Join(strings.Fields(s), " ") + qtiTrailing(s)
}

func qtiTrailing(s string) string {
	if s != strings.TrimRight(s, " \t\n\r") {
		return " "
	}
	return ""
}

func qtiCollapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func qtiCleanPrompt(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			lines = append(lines, t)
		}
	}
	return strings.Join(lines, "\n")
}

func (r *qtiReader) buildItem(it *qtiItem, p, qp string, line int) (exam.Question, bool) {
	q := exam.Question{Prompt: qtiCleanPrompt(it.prompt.String())}
	points := 1.0
	if it.maxScore != nil && *it.maxScore > 0 {
		points = *it.maxScore
	}
	if it.interactions > 1 && !(len(it.blanks) == it.interactions) {
		r.note(qp, line, "%s: only the first kind of interaction is read; the item has %d", p, it.interactions)
	}
	switch {
	case it.hasChoice:
		resp := it.responses[it.choiceResp]
		keyOf := map[string]string{}
		for i, c := range it.choices {
			k := seqOptionKey(i)
			keyOf[c.id] = k
			q.Options = append(q.Options, exam.Option{Key: k, Text: c.text})
		}
		var right []string
		if resp != nil {
			for _, v := range resp.Correct {
				if k, ok := keyOf[v]; ok {
					right = append(right, k)
				}
			}
			if len(right) == 0 {
				for _, id := range resp.MapOrder {
					if k, ok := keyOf[id]; ok && resp.Mapping[id] > 0 {
						right = append(right, k)
					}
				}
			}
			if resp.Upper != nil && *resp.Upper > 0 && it.maxScore == nil {
				points = *resp.Upper
			}
		}
		single := it.maxChoices == 1 || (resp != nil && resp.Cardinality == "single")
		if single && len(it.choices) == 2 && strings.EqualFold(it.choices[0].id, "true") && strings.EqualFold(it.choices[1].id, "false") {
			// A true/false item: two choices identified true and false.
			q.Type, q.Points, q.Options = exam.TypeTrueFalse, points, nil
			if len(right) > 0 {
				q.Answer = json.RawMessage(strconv.FormatBool(right[0] == "a"))
			} else {
				r.note(qp+".answer", line, "%s: no correctResponse names a choice; the key is left out", p)
			}
			return q, true
		}
		if single {
			q.Type, q.Points = exam.TypeSingleChoice, points
			if len(right) > 0 {
				q.Answer, _ = json.Marshal(right[0])
			} else {
				r.note(qp+".answer", line, "%s: no correctResponse names a choice; the key is left out", p)
			}
		} else {
			q.Type, q.Answers = exam.TypeMultipleChoice, right
			if len(right) > 0 {
				per := points / float64(len(right))
				if per*2 == math.Trunc(per*2) && per != 1 {
					q.Scoring = &exam.Scoring{PerCorrect: per, PerWrong: per, Floor: 0}
				}
			}
		}
	case len(it.blanks) > 0:
		q.Type = exam.TypeFillIn
		for _, id := range it.blanks {
			b := exam.Blank{Points: 1, Accepted: []string{}}
			if resp := it.responses[id]; resp != nil {
				b.CaseSensitive = resp.CaseSens
				seen := map[string]bool{}
				for _, v := range resp.Correct {
					if v != "" && !seen[v] {
						b.Accepted, seen[v] = append(b.Accepted, v), true
					}
				}
				best := 0.0
				for _, k := range resp.MapOrder {
					if v := resp.Mapping[k]; v > 0 {
						if !seen[k] {
							b.Accepted, seen[k] = append(b.Accepted, k), true
						}
						best = math.Max(best, v)
					}
				}
				if best > 0 {
					b.Points = best
				}
			}
			if len(b.Accepted) == 0 {
				r.note(qp+".blanks", line, "%s: the blank %q has no correct response", p, clipText(id))
			}
			q.Blanks = append(q.Blanks, b)
		}
	case it.essay:
		q.Type, q.Points = exam.TypeEssay, points
	default:
		what := "no interaction"
		if len(it.other) > 0 {
			what = strings.Join(it.other, ", ")
		}
		r.note("", line, "%s: %s has no examd type; the item is skipped", p, what)
		return q, false
	}
	return q, true
}

var qtiPlaceholderRE = regexp.MustCompile(`\{\{([0-9]+)\}\}`)

// Writing a content package.

func writeQTI(d *exam.Document) ([]byte, string, string, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	var test, manifest strings.Builder
	test.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&test, `<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="examd-test" title="%s">`+"\n", xmlEscape(d.Title))
	test.WriteString(`  <testPart identifier="part1" navigationMode="nonlinear" submissionMode="simultaneous">` + "\n")
	var resources strings.Builder
	n := 0
	for si, s := range d.Sections {
		fmt.Fprintf(&test, `    <assessmentSection identifier="s%d" title="%s" visible="true">`+"\n", si+1, xmlEscape(s.Title))
		for _, q := range s.Questions {
			n++
			id := fmt.Sprintf("q%03d", n)
			href := "items/" + id + ".xml"
			if err := add(href, qtiItemXML(id, &q)); err != nil {
				return nil, "", "", err
			}
			fmt.Fprintf(&test, `      <assessmentItemRef identifier="%s" href="../%s"/>`+"\n", id, href)
			fmt.Fprintf(&resources, `    <resource identifier="r-%s" type="imsqti_item_xmlv2p1" href="%s">`+"\n      <file href=\"%s\"/>\n    </resource>\n", id, href, href)
		}
		test.WriteString("    </assessmentSection>\n")
	}
	test.WriteString("  </testPart>\n</assessmentTest>\n")
	if err := add("tests/test.xml", test.String()); err != nil {
		return nil, "", "", err
	}
	manifest.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	manifest.WriteString(`<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="examd-package">` + "\n  <organizations/>\n  <resources>\n")
	manifest.WriteString(`    <resource identifier="r-test" type="imsqti_test_xmlv2p1" href="tests/test.xml">` + "\n      <file href=\"tests/test.xml\"/>\n    </resource>\n")
	manifest.WriteString(resources.String())
	manifest.WriteString("  </resources>\n</manifest>\n")
	if err := add("imsmanifest.xml", manifest.String()); err != nil {
		return nil, "", "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", "", err
	}
	return buf.Bytes(), "zip", "application/zip", nil
}

// qtiParagraphs writes text as paragraphs, {{n}} as textEntryInteractions.
func qtiParagraphs(s string, blank func(n int) string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString("    <p>")
		rest := line
		for {
			loc := qtiPlaceholderRE.FindStringSubmatchIndex(rest)
			if loc == nil || blank == nil {
				b.WriteString(xmlEscape(rest))
				break
			}
			b.WriteString(xmlEscape(rest[:loc[0]]))
			k, _ := strconv.Atoi(rest[loc[2]:loc[3]])
			b.WriteString(blank(k))
			rest = rest[loc[1]:]
		}
		b.WriteString("</p>\n")
	}
	return b.String()
}

func qtiItemXML(id string, q *exam.Question) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="%s" title="%s" adaptive="false" timeDependent="false">`+"\n", id, id)
	maxScore := q.MaxPoints()
	switch q.Type {
	case exam.TypeSingleChoice, exam.TypeMultipleChoice, exam.TypeTrueFalse:
		opts := q.Options
		var correct []string
		card := "single"
		if q.Type == exam.TypeTrueFalse {
			opts = []exam.Option{{Key: "true", Text: "True"}, {Key: "false", Text: "False"}}
			if v, ok := q.AnswerBool(); ok {
				correct = []string{strconv.FormatBool(v)}
			}
		} else if q.Type == exam.TypeSingleChoice {
			if k, ok := q.AnswerKey(); ok {
				correct = []string{k}
			}
		} else {
			card = "multiple"
			correct = q.Answers
		}
		keyID := map[string]string{}
		for i, o := range opts {
			keyID[o.Key] = fmt.Sprintf("c%d", i+1)
			if q.Type == exam.TypeTrueFalse {
				keyID[o.Key] = o.Key
			}
		}
		fmt.Fprintf(&b, `  <responseDeclaration identifier="RESPONSE" cardinality="%s" baseType="identifier">`+"\n    <correctResponse>\n", card)
		for _, c := range correct {
			fmt.Fprintf(&b, "      <value>%s</value>\n", keyID[c])
		}
		b.WriteString("    </correctResponse>\n  </responseDeclaration>\n")
		fmt.Fprintf(&b, `  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" normalMaximum="%s"/>`+"\n", numText(maxScore))
		b.WriteString("  <itemBody>\n")
		maxChoices := 1
		if card == "multiple" {
			maxChoices = 0
		}
		fmt.Fprintf(&b, `    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="%d">`+"\n", maxChoices)
		fmt.Fprintf(&b, "      <prompt>%s</prompt>\n", strings.ReplaceAll(xmlEscape(q.Prompt), "&#xA;", "<br/>"))
		for _, o := range opts {
			fmt.Fprintf(&b, `      <simpleChoice identifier="%s">%s</simpleChoice>`+"\n", keyID[o.Key], xmlEscape(o.Text))
		}
		b.WriteString("    </choiceInteraction>\n  </itemBody>\n")
		b.WriteString(`  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>` + "\n")
	case exam.TypeFillIn:
		for i, bl := range q.Blanks {
			fmt.Fprintf(&b, `  <responseDeclaration identifier="RESPONSE%d" cardinality="single" baseType="string">`+"\n", i+1)
			if len(bl.Accepted) > 0 {
				fmt.Fprintf(&b, "    <correctResponse>\n      <value>%s</value>\n    </correctResponse>\n", xmlEscape(bl.Accepted[0]))
			}
			fmt.Fprintf(&b, `    <mapping defaultValue="0" caseSensitive="%t">`+"\n", bl.CaseSensitive)
			for _, a := range bl.Accepted {
				fmt.Fprintf(&b, `      <mapEntry mapKey="%s" mappedValue="%s"/>`+"\n", xmlEscape(a), numText(bl.Points))
			}
			b.WriteString("    </mapping>\n  </responseDeclaration>\n")
		}
		fmt.Fprintf(&b, `  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" normalMaximum="%s"/>`+"\n", numText(maxScore))
		b.WriteString("  <itemBody>\n")
		b.WriteString(qtiParagraphs(q.Prompt, func(n int) string {
			return fmt.Sprintf(`<textEntryInteraction responseIdentifier="RESPONSE%d" expectedLength="15"/>`, n)
		}))
		b.WriteString("  </itemBody>\n")
		b.WriteString(`  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>` + "\n")
	default:
		b.WriteString(`  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>` + "\n")
		fmt.Fprintf(&b, `  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" normalMaximum="%s"/>`+"\n", numText(maxScore))
		b.WriteString("  <itemBody>\n")
		b.WriteString(`    <extendedTextInteraction responseIdentifier="RESPONSE">` + "\n")
		fmt.Fprintf(&b, "      <prompt>%s</prompt>\n", strings.ReplaceAll(xmlEscape(q.Prompt), "&#xA;", "<br/>"))
		b.WriteString("    </extendedTextInteraction>\n  </itemBody>\n")
	}
	b.WriteString("</assessmentItem>\n")
	return b.String()
}
