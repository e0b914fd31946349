package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"examd/exam"
)

// The xlsx format is one row a question on the sheet "题目 Questions" and the
// exam's settings as name/value rows on "试卷 Exam". It is lossless: every
// field of an exam document but ids survives a write and a read.
//
// Cells that hold a list hold one item a line. Inside an item "\" is written
// "\\" and a line break "\n", so any text survives; a recruiter typing a
// sheet by hand never needs either.
//
//	options     a. 是          one "key. text" a line (a "." in a key is "\.")
//	key         a  /  a↵c  /  true   the single choice's key, the multiple
//	            choice's keys one a line, true/false (对 错 √ × T F read too)
//	points      2              true/false, single choice, essay
//	scoring     1/1/0          multiple choice: per_correct/per_wrong/floor
//	blanks      1: 客人|宾客    fill-in: "points: accepted|accepted" a line
//	            ("|" in an answer is "\|"; "1 case: …" is case-sensitive)
//	rubric      5: 服务意识     essay: "points: criterion" a line
//	tracks      manager        one a line
//
// A new section starts where the section number changes.

func init() {
	readers["xlsx"] = readXLSX
	writers["xlsx"] = writeXLSX
}

const (
	xlsxQuestions = "题目 Questions"
	xlsxExam      = "试卷 Exam"
	// XLSXContentType is the media type of an .xlsx file.
	XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	// Limits on what a spreadsheet may unpack to, checked before reading.
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 32 << 20
)

// xlsxColumns are the question sheet's columns in order: the header a
// person reads, and the name the reader matches (the word after the space).
var xlsxColumns = []struct{ header, name string }{
	{"分区号 section_no", "section_no"},
	{"分区 section", "section"},
	{"分区说明 section_instructions", "section_instructions"},
	{"题型 type", "type"},
	{"题目 prompt", "prompt"},
	{"选项 options", "options"},
	{"答案 key", "key"},
	{"分值 points", "points"},
	{"多选计分 scoring", "scoring"},
	{"填空答案 blanks", "blanks"},
	{"参考答案 reference_answer", "reference_answer"},
	{"评分要点 rubric", "rubric"},
	{"适用岗位 tracks", "tracks"},
	{"标签 tags", "tags"},
	{"解析 explanation", "explanation"},
	// A row with a count here is its section's draw rule instead of a
	// question: that many questions drawn from the bank for each attempt,
	// of the row's type (if any) carrying all of the row's tags.
	{"抽题数 draw", "draw"},
}

func xlsxColumn(name string) int {
	for i, c := range xlsxColumns {
		if c.name == name {
			return i
		}
	}
	panic("formats: no xlsx column " + name)
}

// xlsxEscape and xlsxUnescape keep any text on one line of a list cell;
// extra names further characters that get a backslash.
func xlsxEscape(s, extra string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case strings.ContainsRune(extra, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xlsxSplit splits s at each unescaped sep and unescapes the parts; max > 0
// stops after max parts.
func xlsxSplit(s string, sep rune, max int) []string {
	var parts []string
	var cur strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' && i+1 < len(rs) {
			i++
			if rs[i] == 'n' {
				cur.WriteRune('\n')
			} else {
				cur.WriteRune(rs[i])
			}
			continue
		}
		if r == sep && (max <= 0 || len(parts) < max-1) {
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	return append(parts, cur.String())
}

func xlsxUnescape(s string) string { return xlsxSplit(s, 0, 1)[0] }

func xlsxLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func xlsxJoin(items []string) string { return strings.Join(items, "\n") }

func writeXLSX(d *exam.Document) ([]byte, string, string, error) {
	f, err := newXLSXWorkbook()
	if err != nil {
		return nil, "", "", err
	}
	defer f.Close()
	row := 2
	for si, s := range d.Sections {
		for qi, q := range s.Questions {
			instr := ""
			if qi == 0 {
				instr = s.Instructions
			}
			if err := writeXLSXRow(f, row, si+1, s.Title, instr, &q); err != nil {
				return nil, "", "", err
			}
			row++
		}
		if s.Draw != nil {
			instr := ""
			if len(s.Questions) == 0 {
				instr = s.Instructions
			}
			if err := writeXLSXDrawRow(f, row, si+1, s.Title, instr, s.Draw); err != nil {
				return nil, "", "", err
			}
			row++
		}
	}
	if err := writeXLSXExam(f, d); err != nil {
		return nil, "", "", err
	}
	return finishXLSX(f)
}

func finishXLSX(f *excelize.File) ([]byte, string, string, error) {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, "", "", err
	}
	return buf.Bytes(), "xlsx", XLSXContentType, nil
}

// newXLSXWorkbook makes the two sheets with their headers, column widths
// and the drop-down list of question types.
func newXLSXWorkbook() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", xlsxQuestions); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(xlsxExam); err != nil {
		return nil, err
	}
	header := make([]any, len(xlsxColumns))
	for i, c := range xlsxColumns {
		header[i] = c.header
	}
	if err := f.SetSheetRow(xlsxQuestions, "A1", &header); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(xlsxColumns))
	if err := f.SetCellStyle(xlsxQuestions, "A1", last+"1", bold); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(xlsxQuestions, "A", last, 18); err != nil {
		return nil, err
	}
	_ = f.SetColWidth(xlsxQuestions, "E", "E", 50)
	_ = f.SetColWidth(xlsxQuestions, "F", "F", 30)
	if err := f.SetPanes(xlsxQuestions, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	typeCol, _ := excelize.ColumnNumberToName(xlsxColumn("type") + 1)
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(typeCol + "2:" + typeCol + "1048576")
	if err := dv.SetDropList([]string{exam.TypeSingleChoice, exam.TypeMultipleChoice, exam.TypeTrueFalse, exam.TypeFillIn, exam.TypeEssay}); err != nil {
		return nil, err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "题型 type", "single_choice, multiple_choice, true_false, fill_in, essay")
	if err := f.AddDataValidation(xlsxQuestions, dv); err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(xlsxExam, "A1", &[]any{"项目 setting", "值 value"}); err != nil {
		return nil, err
	}
	_ = f.SetCellStyle(xlsxExam, "A1", "B1", bold)
	_ = f.SetColWidth(xlsxExam, "A", "A", 36)
	_ = f.SetColWidth(xlsxExam, "B", "B", 60)
	return f, nil
}

func pointsCell(v float64) any {
	return v
}

// xlsxRow is one row of the question sheet being written, starting with
// its section's cells.
type xlsxRow []any

func newXLSXRow(sectionNo int, title, instructions string) xlsxRow {
	r := make(xlsxRow, len(xlsxColumns))
	r.set("section_no", sectionNo)
	r.set("section", title)
	r.set("section_instructions", instructions)
	return r
}

func (r xlsxRow) set(name string, v any) { r[xlsxColumn(name)] = v }

// setList writes items one a line (xlsxJoin), escaped.
func (r xlsxRow) setList(name string, items []string) {
	var out []string
	for _, it := range items {
		out = append(out, xlsxEscape(it, ""))
	}
	r.set(name, xlsxJoin(out))
}

// write puts the row at line row of the question sheet.
func (r xlsxRow) write(f *excelize.File, row int) error {
	for i, c := range r {
		if c == nil {
			r[i] = ""
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, row)
	return setRowStrings(f, xlsxQuestions, cell, r)
}

// writeXLSXDrawRow writes a section's draw rule as a row of its own.
func writeXLSXDrawRow(f *excelize.File, row, sectionNo int, title, instructions string, d *exam.Draw) error {
	r := newXLSXRow(sectionNo, title, instructions)
	r.set("draw", d.Count)
	r.set("type", d.Type)
	if d.Tags != nil {
		r.setList("tags", d.Tags)
	}
	return r.write(f, row)
}

func writeXLSXRow(f *excelize.File, row, sectionNo int, title, instructions string, q *exam.Question) error {
	cells := newXLSXRow(sectionNo, title, instructions)
	set := cells.set
	set("type", q.Type)
	set("prompt", q.Prompt)
	if q.Options != nil {
		var items []string
		for _, o := range q.Options {
			items = append(items, xlsxEscape(o.Key, ".")+". "+xlsxEscape(o.Text, ""))
		}
		set("options", xlsxJoin(items))
	}
	switch {
	case len(q.Answer) > 0:
		if k, ok := q.AnswerKey(); ok {
			set("key", xlsxEscape(k, ""))
		} else {
			set("key", string(q.Answer))
		}
	case q.Answers != nil:
		var items []string
		for _, a := range q.Answers {
			items = append(items, xlsxEscape(a, ""))
		}
		set("key", xlsxJoin(items))
	}
	if q.Points != 0 {
		set("points", pointsCell(q.Points))
	}
	if s := q.Scoring; s != nil {
		set("scoring", numText(s.PerCorrect)+"/"+numText(s.PerWrong)+"/"+numText(s.Floor))
	}
	if q.Blanks != nil {
		var items []string
		for _, b := range q.Blanks {
			var acc []string
			for _, a := range b.Accepted {
				acc = append(acc, xlsxEscape(a, "|"))
			}
			head := numText(b.Points)
			if b.CaseSensitive {
				head += " case"
			}
			items = append(items, head+": "+strings.Join(acc, "|"))
		}
		set("blanks", xlsxJoin(items))
	}
	set("reference_answer", q.ReferenceAnswer)
	if q.Rubric != nil {
		var items []string
		for _, r := range q.Rubric {
			items = append(items, numText(r.Points)+": "+xlsxEscape(r.Criterion, ""))
		}
		set("rubric", xlsxJoin(items))
	}
	if q.Tracks != nil {
		cells.setList("tracks", q.Tracks)
	}
	if q.Tags != nil {
		cells.setList("tags", q.Tags)
	}
	set("explanation", q.Explanation)
	return cells.write(f, row)
}

// setRowStrings writes a row, strings as text (never read as a number or a
// formula) and numbers as numbers.
func setRowStrings(f *excelize.File, sheet, start string, cells []any) error {
	col, row, err := excelize.CellNameToCoordinates(start)
	if err != nil {
		return err
	}
	for i, c := range cells {
		name, _ := excelize.CoordinatesToCellName(col+i, row)
		switch v := c.(type) {
		case string:
			if v == "" {
				continue
			}
			err = f.SetCellStr(sheet, name, v)
		default:
			err = f.SetCellValue(sheet, name, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func numText(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// The exam sheet's settings, in order.
var xlsxSettings = []string{"title 标题", "description 说明", "time_limit_seconds 限时（秒）", "grace_seconds 宽限（秒）",
	"pass_score 及格分", "tracks 岗位", "track_labels 岗位名称", "shuffle_questions 题目乱序", "shuffle_options 选项乱序",
	"show_score_to_candidate 向考生显示分数", "show_explanations 交卷后显示解析", "review_markers 评阅人数", "review_tolerance 双评分差上限"}

func writeXLSXExam(f *excelize.File, d *exam.Document) error {
	var tracks, labels []string
	for _, t := range d.Tracks {
		tracks = append(tracks, xlsxEscape(t, ""))
		if l, ok := d.TrackLabels[t]; ok {
			labels = append(labels, xlsxEscape(t, ":")+": "+xlsxEscape(l, ""))
		}
	}
	// Labels of tracks the exam does not have are kept too (a draft may
	// hold them while it is being written).
	for _, k := range sortedKeys(d.TrackLabels) {
		if !hasString(d.Tracks, k) {
			labels = append(labels, xlsxEscape(k, ":")+": "+xlsxEscape(d.TrackLabels[k], ""))
		}
	}
	grace := ""
	if d.GraceSeconds != nil {
		grace = strconv.Itoa(*d.GraceSeconds)
	}
	var markers, tolerance any = "", ""
	if r := d.Review; r != nil {
		markers, tolerance = r.Markers, r.Tolerance
	}
	values := []any{d.Title, d.Description, d.TimeLimitSeconds, grace, d.PassScore, xlsxJoin(tracks), xlsxJoin(labels),
		d.ShuffleQuestions, d.ShuffleOptions, d.ShowScoreToCandidate, d.ShowExplanations, markers, tolerance}
	if d.Tracks != nil && len(d.Tracks) == 0 {
		values[5] = "[]"
	}
	for i, name := range xlsxSettings {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := setRowStrings(f, xlsxExam, cell, []any{name, values[i]}); err != nil {
			return err
		}
	}
	return nil
}

func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func readXLSX(src []byte, name string) (*Result, error) {
	unreadable := func(line int, format string, args ...any) error {
		return &Unreadable{Format: "xlsx", Problems: []Problem{{Line: line, Message: fmt.Sprintf(format, args...)}}}
	}
	f, err := excelize.OpenReader(bytes.NewReader(src), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return nil, unreadable(0, "not a readable .xlsx workbook (or it unpacks to more than %d MB): %v", xlsxUnzipLimit>>20, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, unreadable(0, "the workbook has no sheet")
	}
	qsheet := sheets[0]
	for _, s := range sheets {
		if s == xlsxQuestions {
			qsheet = s
		}
	}
	rows, err := f.GetRows(qsheet)
	if err != nil {
		return nil, unreadable(0, "the sheet %q cannot be read: %v", qsheet, err)
	}
	if len(rows) == 0 {
		return nil, unreadable(1, "the sheet %q is empty: the first row names the columns (题型 type, 题目 prompt, …)", qsheet)
	}
	cols := map[string]int{}
	for i, h := range rows[0] {
		if n := xlsxHeaderName(h); n != "" {
			if _, dup := cols[n]; !dup {
				cols[n] = i
			}
		}
	}
	for _, need := range []string{"type", "prompt"} {
		if _, ok := cols[need]; !ok {
			return nil, unreadable(1, "the header row has no %q column", need)
		}
	}
	res := &Result{Exam: &exam.Document{Sections: []exam.Section{}}}
	d := res.Exam
	if err := readXLSXExam(f, sheets, d, res); err != nil {
		return nil, err
	}
	if d.Title == "" && name != "" {
		d.Title = titleOfFile(name)
	}
	lastNo, lastTitle := "", ""
	for ri := 1; ri < len(rows); ri++ {
		row := rows[ri]
		line := ri + 1
		get := func(n string) string {
			if i, ok := cols[n]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		empty := true
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		no, title := get("section_no"), get("section")
		if len(d.Sections) == 0 || no != lastNo || (no == "" && title != lastTitle) {
			d.Sections = append(d.Sections, exam.Section{Title: title, Questions: []exam.Question{}})
		}
		lastNo, lastTitle = no, title
		s := &d.Sections[len(d.Sections)-1]
		if in := get("section_instructions"); in != "" && s.Instructions == "" {
			s.Instructions = in
		}
		if strings.TrimSpace(get("draw")) != "" {
			readXLSXDraw(get, s, fmt.Sprintf("sections[%d]", len(d.Sections)-1), line, res)
			continue
		}
		qp := fmt.Sprintf("sections[%d].questions[%d]", len(d.Sections)-1, len(s.Questions))
		q := readXLSXRow(get, qp, line, res)
		s.Questions = append(s.Questions, q)
	}
	draws := false
	for _, s := range d.Sections {
		draws = draws || s.Draw != nil
	}
	if Count(d).Questions == 0 && !draws {
		return nil, unreadable(2, "the sheet %q has a header row but no question rows", qsheet)
	}
	return res, nil
}

// xlsxHeaderName maps a header cell ("题型 type", "type", "题型") to its
// column name.
func xlsxHeaderName(h string) string {
	h = strings.TrimSpace(h)
	for _, c := range xlsxColumns {
		zh, en, _ := strings.Cut(c.header, " ")
		for _, w := range strings.Fields(h) {
			if strings.EqualFold(w, en) || w == zh {
				return c.name
			}
		}
	}
	return ""
}

var xlsxTypeNames = map[string]string{
	"单选": exam.TypeSingleChoice, "单选题": exam.TypeSingleChoice, "单项选择题": exam.TypeSingleChoice,
	"多选": exam.TypeMultipleChoice, "多选题": exam.TypeMultipleChoice, "多项选择题": exam.TypeMultipleChoice,
	"判断": exam.TypeTrueFalse, "判断题": exam.TypeTrueFalse,
	"填空": exam.TypeFillIn, "填空题": exam.TypeFillIn,
	"简答": exam.TypeEssay, "简答题": exam.TypeEssay, "问答题": exam.TypeEssay, "论述题": exam.TypeEssay,
}

func readXLSXRow(get func(string) string, qp string, line int, res *Result) exam.Question {
	note := func(field, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Field: field, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	typ := strings.TrimSpace(get("type"))
	if t, ok := xlsxTypeNames[typ]; ok {
		typ = t
	}
	q := exam.Question{Type: typ, Prompt: get("prompt")}
	if v := get("options"); v != "" {
		q.Options = []exam.Option{}
		for _, l := range xlsxLines(v) {
			parts := xlsxSplit(l, '.', 2)
			if len(parts) < 2 {
				note(qp+".options", "the option %q has no key: write it as \"a. text\"", clipText(l))
				continue
			}
			q.Options = append(q.Options, exam.Option{Key: strings.TrimSpace(parts[0]), Text: strings.TrimPrefix(parts[1], " ")})
		}
	}
	if v := strings.TrimSpace(get("key")); v != "" {
		switch typ {
		case exam.TypeTrueFalse:
			switch v {
			case "true", "TRUE", "T", "对", "√", "✓", "正确", "是":
				q.Answer = json.RawMessage("true")
			case "false", "FALSE", "F", "错", "×", "✗", "错误", "否":
				q.Answer = json.RawMessage("false")
			default:
				note(qp+".answer", "%q is not a true/false key: write true or false (对 or 错)", clipText(v))
			}
		case exam.TypeMultipleChoice:
			q.Answers = []string{}
			for _, l := range xlsxLines(get("key")) {
				q.Answers = append(q.Answers, xlsxUnescape(strings.TrimSpace(l)))
			}
		default:
			q.Answer, _ = json.Marshal(xlsxUnescape(v))
		}
	}
	if v := strings.TrimSpace(get("points")); v != "" {
		p, err := strconv.ParseFloat(v, 64)
		if err != nil {
			note(qp+".points", "%q is not a number", clipText(v))
		} else {
			q.Points = p
		}
	}
	if v := strings.TrimSpace(get("scoring")); v != "" {
		parts := strings.Split(v, "/")
		var n [3]float64
		ok := len(parts) == 3
		for i := 0; ok && i < 3; i++ {
			var err error
			n[i], err = strconv.ParseFloat(strings.TrimSpace(parts[i]), 64)
			ok = err == nil
		}
		if ok {
			q.Scoring = &exam.Scoring{PerCorrect: n[0], PerWrong: n[1], Floor: n[2]}
		} else {
			note(qp+".scoring", "%q is not per_correct/per_wrong/floor (such as 1/1/0)", clipText(v))
		}
	}
	if v := get("blanks"); v != "" {
		q.Blanks = []exam.Blank{}
		for _, l := range xlsxLines(v) {
			head, rest, ok := strings.Cut(l, ": ")
			fields := strings.Fields(head)
			var pts float64
			var err error
			if ok && len(fields) > 0 {
				pts, err = strconv.ParseFloat(fields[0], 64)
			}
			if !ok || len(fields) == 0 || err != nil || (len(fields) > 1 && (len(fields) != 2 || fields[1] != "case")) {
				note(qp+".blanks", "the blank %q is not \"points: answer|answer\"", clipText(l))
				continue
			}
			q.Blanks = append(q.Blanks, exam.Blank{Points: pts, CaseSensitive: len(fields) == 2, Accepted: xlsxSplit(rest, '|', 0)})
		}
	}
	q.ReferenceAnswer = get("reference_answer")
	if v := get("rubric"); v != "" {
		q.Rubric = []exam.RubricItem{}
		for _, l := range xlsxLines(v) {
			head, rest, ok := strings.Cut(l, ": ")
			pts, err := strconv.ParseFloat(strings.TrimSpace(head), 64)
			if !ok || err != nil {
				note(qp+".rubric", "the rubric line %q is not \"points: criterion\"", clipText(l))
				continue
			}
			q.Rubric = append(q.Rubric, exam.RubricItem{Points: pts, Criterion: xlsxUnescape(rest)})
		}
	}
	if v := get("tracks"); v != "" {
		q.Tracks = []string{}
		for _, l := range xlsxLines(v) {
			q.Tracks = append(q.Tracks, xlsxUnescape(l))
		}
	}
	q.Tags = xlsxList(get("tags"))
	q.Explanation = get("explanation")
	return q
}

// xlsxList reads a cell of items one a line (nil for an empty cell).
func xlsxList(v string) []string {
	if v == "" {
		return nil
	}
	out := []string{}
	for _, l := range xlsxLines(v) {
		out = append(out, xlsxUnescape(l))
	}
	return out
}

// readXLSXDraw reads a draw row (its draw cell is set) into section s at
// path sp: the count, and the type and tags questions are drawn by.
func readXLSXDraw(get func(string) string, s *exam.Section, sp string, line int, res *Result) {
	note := func(field, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Field: field, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	if s.Draw != nil {
		note(sp+".draw", "the section already draws questions (an earlier row): this draw row was skipped")
		return
	}
	v := strings.TrimSpace(get("draw"))
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		note(sp+".draw.count", "%q is not a number of questions to draw (a whole number, at least 1)", clipText(v))
		return
	}
	d := &exam.Draw{Count: n, Tags: xlsxList(get("tags"))}
	if typ := strings.TrimSpace(get("type")); typ != "" {
		if t, ok := xlsxTypeNames[typ]; ok {
			typ = t
		}
		d.Type = typ
	}
	for _, c := range []string{"prompt", "options", "key", "points", "scoring", "blanks", "reference_answer", "rubric", "tracks", "explanation"} {
		if strings.TrimSpace(get(c)) != "" {
			note(sp+".draw", "a draw row holds the count, type and tags of the questions drawn: its %s was skipped", c)
		}
	}
	s.Draw = d
}

func readXLSXExam(f *excelize.File, sheets []string, d *exam.Document, res *Result) error {
	found := false
	for _, s := range sheets {
		found = found || s == xlsxExam
	}
	if !found {
		res.Problems = append(res.Problems, Problem{Line: 0, Message: "no \"" + xlsxExam + "\" sheet: the title, time limit and pass score are left for the editor"})
		return nil
	}
	rows, err := f.GetRows(xlsxExam)
	if err != nil {
		return &Unreadable{Format: "xlsx", Problems: []Problem{{Message: "the exam sheet cannot be read: " + err.Error()}}}
	}
	note := func(field string, line int, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Field: field, Line: line, Message: xlsxExam + ": " + fmt.Sprintf(format, args...)})
	}
	// review is the document's double-marking setting, made when a row
	// gives one of its values.
	review := func() *exam.ReviewSetting {
		if d.Review == nil {
			d.Review = &exam.ReviewSetting{}
		}
		return d.Review
	}
	for ri, row := range rows {
		if ri == 0 || len(row) == 0 {
			continue
		}
		key := strings.Fields(row[0] + " ")
		if len(key) == 0 {
			continue
		}
		v := ""
		if len(row) > 1 {
			v = row[1]
		}
		line := ri + 1
		num := func(field string) float64 {
			if strings.TrimSpace(v) == "" {
				return 0
			}
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				note(field, line, "%q is not a number", clipText(v))
			}
			return n
		}
		boolean := func(field string) bool {
			switch strings.ToUpper(strings.TrimSpace(v)) {
			case "TRUE", "1", "是":
				return true
			case "FALSE", "0", "否", "":
				return false
			}
			note(field, line, "%q is not TRUE or FALSE", clipText(v))
			return false
		}
		switch k := key[0]; k {
		case "title":
			d.Title = v
		case "description":
			d.Description = v
		case "time_limit_seconds":
			d.TimeLimitSeconds = int(num(k))
		case "grace_seconds":
			if strings.TrimSpace(v) != "" {
				g := int(num(k))
				d.GraceSeconds = &g
			}
		case "pass_score":
			d.PassScore = num(k)
		case "tracks":
			if strings.TrimSpace(v) == "[]" {
				d.Tracks = []string{}
				continue
			}
			for _, l := range xlsxLines(v) {
				d.Tracks = append(d.Tracks, xlsxUnescape(l))
			}
		case "track_labels":
			for _, l := range xlsxLines(v) {
				parts := xlsxSplit(l, ':', 2)
				if len(parts) != 2 {
					note("track_labels", line, "%q is not \"track: label\"", clipText(l))
					continue
				}
				if d.TrackLabels == nil {
					d.TrackLabels = map[string]string{}
				}
				d.TrackLabels[parts[0]] = strings.TrimPrefix(parts[1], " ")
			}
		case "shuffle_questions":
			d.ShuffleQuestions = boolean(k)
		case "shuffle_options":
			d.ShuffleOptions = boolean(k)
		case "show_score_to_candidate":
			d.ShowScoreToCandidate = boolean(k)
		case "show_explanations":
			d.ShowExplanations = boolean(k)
		case "review_markers":
			if strings.TrimSpace(v) != "" {
				review().Markers = int(num(k))
			}
		case "review_tolerance":
			if strings.TrimSpace(v) != "" {
				review().Tolerance = num(k)
			}
		default:
			note("", line, "the setting %q is unknown and was skipped", clipText(row[0]))
		}
	}
	return nil
}

// XLSXTemplate is the empty question sheet recruiters download: the header
// row, the type drop-down and one example row a question type.
func XLSXTemplate() ([]byte, error) {
	tf := json.RawMessage("true")
	key := json.RawMessage(`"a"`)
	d := &exam.Document{
		Title: "示例试卷 Sample exam", TimeLimitSeconds: 3600, PassScore: 10,
		Sections: []exam.Section{
			{Title: "一、选择题 Choices", Instructions: "每题2分 2 points each", Questions: []exam.Question{
				{Type: exam.TypeSingleChoice, Prompt: "客人投诉时，首先应该？ What comes first when a guest complains?", Points: 2,
					Options: []exam.Option{{Key: "a", Text: "耐心倾听 Listen"}, {Key: "b", Text: "解释原因 Explain"}, {Key: "c", Text: "请示上级 Ask a manager"}}, Answer: key},
				{Type: exam.TypeMultipleChoice, Prompt: "以下哪些属于服务礼仪？ Which are service etiquette?",
					Options: []exam.Option{{Key: "a", Text: "微笑 Smile"}, {Key: "b", Text: "打断客人 Interrupt"}, {Key: "c", Text: "主动问候 Greet first"}},
					Answers: []string{"a", "c"}, Scoring: &exam.Scoring{PerCorrect: 1, PerWrong: 1, Floor: 0}},
			}},
			{Title: "二、判断与填空 True/false and blanks", Questions: []exam.Question{
				{Type: exam.TypeTrueFalse, Prompt: "接听电话应在铃响三声内。 Answer the phone within three rings.", Points: 1, Answer: tf},
				{Type: exam.TypeFillIn, Prompt: "退房时间一般为中午{{1}}点。 Checkout is usually at {{1}}…", Blanks: []exam.Blank{{Accepted: []string{"12", "十二"}, Points: 1}}},
			}},
			{Title: "三、简答 Essay", Questions: []exam.Question{
				{Type: exam.TypeEssay, Prompt: "如何处理客人的噪音投诉？ How do you handle a noise complaint?", Points: 10,
					ReferenceAnswer: "致歉、核实、处理、回访 Apologise, check, act, follow up",
					Rubric:          []exam.RubricItem{{Criterion: "先致歉 Apologises first", Points: 4}, {Criterion: "有回访 Follows up", Points: 6}}},
			}},
		},
	}
	// The fill-in example's prompt holds {{1}} once only.
	d.Sections[1].Questions[1].Prompt = "退房时间一般为中午{{1}}点。 Checkout is usually at noon, 12 o'clock."
	body, _, _, err := writeXLSX(d)
	return body, err
}
