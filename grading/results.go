package grading

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"examd/exam"
	"examd/internal/database"
)

// Result is one attempt of an exam as a recruiter sees it in the results
// list. Scores are null while the attempt is in progress, and passed is
// null until it is graded.
type Result struct {
	InvitationID string `json:"invitation_id"`
	// AttemptID is null only on a never-started invitee's row (ResultsPage
	// with NotStarted).
	AttemptID      *string    `json:"attempt_id"`
	CandidateName  string     `json:"candidate_name"`
	CandidateEmail string     `json:"candidate_email"`
	Track          string     `json:"track"`
	Status         string     `json:"status"`
	AutoScore      *float64   `json:"auto_score"`
	ManualScore    *float64   `json:"manual_score"`
	Score          *float64   `json:"score"`
	MaxScore       *float64   `json:"max_score"`
	Passed         *bool      `json:"passed"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	SubmittedBy    *string    `json:"submitted_by"`
	// Sections and Tags are the attempt's points and maximum per section
	// and per tag over its scored questions (empty while no score).
	Sections []SectionScore `json:"sections"`
	Tags     []TagScore     `json:"tags"`

	// For the CSV's section columns; not part of the JSON.
	version         int
	objectiveScores []byte
}

// SectionScore is one section's share of an attempt: the points awarded
// and the maximum of the attempt's scored questions in it (an essay counts
// once reviewed). Sections are matched by id across versions; the title is
// the latest version's.
type SectionScore struct {
	SectionID     string  `json:"section_id"`
	Title         string  `json:"title"`
	PointsAwarded float64 `json:"points_awarded"`
	MaxPoints     float64 `json:"max_points"`
}

type resultRow struct {
	InvitationID    string
	AttemptID       *string
	CandidateName   string
	CandidateEmail  string
	Track           string
	Status          string
	AutoScore       *float64
	ManualScore     *float64
	Score           *float64
	MaxScore        *float64
	Passed          *bool
	SubmittedAt     *time.Time
	SubmittedBy     *string
	ExamVersion     int
	ObjectiveScores []byte
}

func (r *resultRow) result() Result {
	out := Result{InvitationID: r.InvitationID, AttemptID: r.AttemptID, CandidateName: r.CandidateName,
		CandidateEmail: r.CandidateEmail, Track: r.Track, Status: r.Status, AutoScore: r.AutoScore,
		ManualScore: r.ManualScore, Score: r.Score, MaxScore: r.MaxScore, Passed: r.Passed,
		SubmittedAt: utcPtr(r.SubmittedAt), SubmittedBy: r.SubmittedBy,
		version: r.ExamVersion, objectiveScores: r.ObjectiveScores}
	if out.Status == "in_progress" || out.Status == "pending" {
		out.AutoScore, out.ManualScore, out.Score, out.MaxScore = nil, nil, nil, nil
	}
	if out.Status != "graded" {
		out.Passed = nil
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// latestVersion returns an exam's latest published version number (0 when
// never published), or ErrNotFound when orgID has no such exam.
func latestVersion(ctx context.Context, db *gorm.DB, orgID, examID string) (int, error) {
	if !exam.ValidID(examID) {
		return 0, ErrNotFound
	}
	row, err := database.One[struct{ LatestVersion int }](db.WithContext(ctx), ErrNotFound, "grading: find exam",
		`SELECT latest_version FROM exams WHERE org_id = ? AND id = ?`, orgID, examID)
	if err != nil {
		return 0, err
	}
	return row.LatestVersion, nil
}

func (g *Grader) results(ctx context.Context, orgID, examID string) ([]Result, error) {
	var rows []resultRow
	err := g.db.WithContext(ctx).Raw(`SELECT i.id AS invitation_id, a.id AS attempt_id, i.candidate_name, i.candidate_email,
			a.track, a.status, a.auto_score, a.manual_score, a.score, a.max_score, a.passed, a.submitted_at, a.submitted_by,
			a.exam_version, a.objective_scores
		FROM attempts a JOIN invitations i ON i.id = a.invitation_id
		WHERE a.org_id = ? AND a.exam_id = ?
		ORDER BY a.started_at, a.id`, orgID, examID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("grading: results: %w", err)
	}
	out := make([]Result, len(rows))
	for i := range rows {
		out[i] = rows[i].result()
	}
	return out, nil
}

// Results lists every attempt of an exam of orgID, oldest first, each
// with its section and tag scores (ErrNotFound when orgID has no such
// exam). Four queries whatever the number of attempts.
func (g *Grader) Results(ctx context.Context, orgID, examID string) ([]Result, error) {
	sheet, err := g.loadResultSheet(ctx, orgID, examID)
	if err != nil {
		return nil, err
	}
	if err := sheet.withParts(sheet.results, sheet.essayPoints); err != nil {
		return nil, err
	}
	return sheet.results, nil
}

// ResultsCSV writes an exam's results as CSV for spreadsheet programs:
// UTF-8 with a byte-order mark (without it Excel reads Chinese names as
// mojibake), a header row, then one row per attempt in the order of
// Results, ending with a column per section of the exam's latest version.
//
// A section's score is the sum of the attempt's points on that section's
// questions: automatic points (objective_scores) plus reviewers' points on
// its essays; an essay not yet reviewed adds nothing, and an attempt in
// progress has empty section cells. Sections are matched by id, which stays
// the same across versions, so an attempt of an older version is shown in
// the latest version's columns. For a graded attempt the section columns
// sum to score whenever its version has no section the latest lacks.
//
// Text cells starting with = + - @ (or a tab or carriage return) get a
// leading apostrophe, so that a candidate's name cannot become a
// spreadsheet formula. Four queries whatever the number of attempts.
func (g *Grader) ResultsCSV(ctx context.Context, orgID, examID string, w io.Writer) error {
	return g.ResultsCSVWith(ctx, orgID, examID, w, CSVOptions{})
}

// SheetWriter writes an exam's results as one file to w: ResultsCSVWith
// and ResultsXLSX.
type SheetWriter func(ctx context.Context, orgID, examID string, w io.Writer, o CSVOptions) error

// CSVOptions make the CSV read well in the recruiter's language and time
// zone. The zero value is the original file: machine column names and UTC.
type CSVOptions struct {
	// Lang "en" writes English column labels; "zh-CN" Chinese labels with
	// the machine names in a second header row (so scripts still find
	// their columns) and statuses, passed and submitted_by in Chinese.
	Lang string
	// Location, when set, writes times in it with their offset
	// ("2026-12-02 13:38:10 +08:00") instead of RFC 3339 UTC.
	Location *time.Location
}

var csvColumns = []string{"invitation_id", "attempt_id", "candidate_name", "candidate_email", "track", "status",
	"auto_score", "manual_score", "score", "max_score", "passed", "submitted_at", "submitted_by"}

var csvLabels = map[string][]string{
	"en": {"Invitation ID", "Attempt ID", "Candidate", "E-mail", "Track", "Status", "Automatic score", "Reviewers' score",
		"Score", "Maximum", "Passed", "Submitted at", "Submitted by"},
	"zh-CN": {"邀请编号", "答卷编号", "候选人", "邮箱", "岗位方向", "状态", "自动评分", "人工评分", "总分", "满分", "是否通过", "提交时间", "提交方式"},
}

// tagColumn names a tag's column: marked as a tag, since a competency is
// often also a section's title (a section 投诉处理 of questions tagged
// 投诉处理), and two columns of one name would be read as one.
func tagColumn(tag, lang string) string {
	if lang == "zh-CN" {
		return "标签：" + tag
	}
	return "tag: " + tag
}

var csvZhValues = map[string]string{
	"in_progress": "作答中", "submitted": "已提交", "grading": "待阅卷", "graded": "已评定",
	"candidate": "考生交卷", "timeout": "超时自动交卷", "true": "是", "false": "否",
}

// ResultsCSVWith is ResultsCSV with the language and time zone of o.
func (g *Grader) ResultsCSVWith(ctx context.Context, orgID, examID string, w io.Writer, o CSVOptions) error {
	sheet, err := g.loadResultSheet(ctx, orgID, examID)
	if err != nil {
		return err
	}
	results, columns := sheet.results, sheet.columns

	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	names := csvColumns
	if l, ok := csvLabels[o.Lang]; ok {
		names = l
	}
	header := append([]string{}, names...)
	for _, s := range columns {
		header = append(header, safeCell(s.Title))
	}
	for _, t := range sheet.tags {
		header = append(header, safeCell(tagColumn(t, o.Lang)))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	if o.Lang == "zh-CN" {
		second := append([]string{}, csvColumns...)
		for _, s := range columns {
			second = append(second, safeCell(s.Title))
		}
		for _, t := range sheet.tags {
			second = append(second, safeCell(tagColumn(t, "")))
		}
		if err := cw.Write(second); err != nil {
			return err
		}
	}
	word := func(v string) string {
		if o.Lang == "zh-CN" && csvZhValues[v] != "" {
			return csvZhValues[v]
		}
		return v
	}
	when := timeCell
	if o.Location != nil {
		when = func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(o.Location).Format("2006-01-02 15:04:05 -07:00")
		}
	}
	for _, r := range results {
		row := []string{r.InvitationID, strCell(r.AttemptID), safeCell(r.CandidateName), safeCell(r.CandidateEmail), safeCell(r.Track),
			word(r.Status), numCell(r.AutoScore), numCell(r.ManualScore), numCell(r.Score), numCell(r.MaxScore), word(boolCell(r.Passed)),
			when(r.SubmittedAt), word(strCell(r.SubmittedBy))}
		if r.Status == "in_progress" {
			for range len(columns) + len(sheet.tags) {
				row = append(row, "")
			}
		} else {
			sums, tags, err := sheet.sectionSums(r)
			if err != nil {
				return err
			}
			for _, s := range columns {
				row = append(row, exam.FormatPoints(sums[s.ID]))
			}
			for _, t := range sheet.tags {
				row = append(row, exam.FormatPoints(tags[t]))
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// resultSheet is what the CSV and XLSX exports share: every attempt, the
// latest version's sections as columns, and where each attempt's points
// belong.
type resultSheet struct {
	*scoreMaps
	results     []Result
	essayPoints map[string]map[string]float64
}

// scoreMaps says where each question of every version of an exam belongs:
// its section, its tags and its maximum. Results rows, their sort by a
// section or a tag, and the exports read their parts from it.
type scoreMaps struct {
	columns []exam.Section
	latest  *exam.Document
	// sectionOf[version][question id] = section id
	sectionOf map[int]map[string]string
	// tags are the latest version's tags (pools included), in document
	// order: a column each after the sections; tagsOf[version][question
	// id] = the question's tags.
	tags   []string
	tagsOf map[int]map[string][]string
	// maxOf[version][question id] = the question's maximum points.
	maxOf map[int]map[string]float64
	// sections and allTags are every section (by id, with its latest
	// title) and every tag of any version, the latest version's first:
	// the order of a row's parts and the keys it may be sorted by.
	sections []sectionRef
	allTags  []string
}

type sectionRef struct{ id, title string }

// loadScoreMaps reads an exam's versions (ErrNotFound when orgID has no
// such exam). Two queries.
func (g *Grader) loadScoreMaps(ctx context.Context, orgID, examID string) (*scoreMaps, error) {
	latest, err := latestVersion(ctx, g.db, orgID, examID)
	if err != nil {
		return nil, err
	}
	var versions []struct {
		Version  int
		Document []byte
	}
	if err := g.db.WithContext(ctx).Raw(`SELECT version, document FROM exam_versions WHERE org_id = ? AND exam_id = ?
		ORDER BY version DESC`, orgID, examID).Scan(&versions).Error; err != nil {
		return nil, fmt.Errorf("grading: results versions: %w", err)
	}
	m := &scoreMaps{sectionOf: make(map[int]map[string]string, len(versions)),
		tagsOf: make(map[int]map[string][]string, len(versions)), maxOf: make(map[int]map[string]float64, len(versions))}
	seen := map[string]bool{}
	for _, v := range versions {
		var d exam.Document
		if err := json.Unmarshal(v.Document, &d); err != nil {
			return nil, fmt.Errorf("grading: stored version %s/%d: %w", examID, v.Version, err)
		}
		sec, qt, mx := map[string]string{}, map[string][]string{}, map[string]float64{}
		d.AllQuestions(func(s *exam.Section, q *exam.Question) {
			sec[q.ID], mx[q.ID] = s.ID, MaxPoints(q)
			if len(q.Tags) > 0 {
				qt[q.ID] = q.Tags
			}
			for _, t := range q.Tags {
				if v.Version == latest && !slices.Contains(m.tags, t) {
					m.tags = append(m.tags, t)
				}
				if !slices.Contains(m.allTags, t) {
					m.allTags = append(m.allTags, t)
				}
			}
		})
		for _, s := range d.Sections {
			if !seen[s.ID] {
				seen[s.ID] = true
				m.sections = append(m.sections, sectionRef{s.ID, s.Title})
			}
		}
		m.sectionOf[v.Version], m.tagsOf[v.Version], m.maxOf[v.Version] = sec, qt, mx
		if v.Version == latest {
			m.columns = d.Sections
			m.latest = &d
		}
	}
	return m, nil
}

// essayPoints reads the final reviewers' points of an exam's essays by
// attempt and question: of the attempts listed, or of all when ids is nil.
func (g *Grader) essayPoints(ctx context.Context, orgID, examID string, ids []string) (map[string]map[string]float64, error) {
	out := map[string]map[string]float64{}
	if ids != nil && len(ids) == 0 {
		return out, nil
	}
	q := `SELECT attempt_id, question_id, points FROM review_items
		WHERE org_id = ? AND exam_id = ? AND scored_at IS NOT NULL AND points IS NOT NULL AND ` + sqlFinalSlot
	args := []any{orgID, examID}
	if ids != nil {
		q += ` AND attempt_id IN ?`
		args = append(args, ids)
	}
	var reviewed []struct {
		AttemptID  string
		QuestionID string
		Points     float64
	}
	if err := g.db.WithContext(ctx).Raw(q, args...).Scan(&reviewed).Error; err != nil {
		return nil, fmt.Errorf("grading: results reviews: %w", err)
	}
	for _, r := range reviewed {
		if out[r.AttemptID] == nil {
			out[r.AttemptID] = map[string]float64{}
		}
		out[r.AttemptID][r.QuestionID] = r.Points
	}
	return out, nil
}

// loadResultSheet reads an exam's results for export. Four queries
// whatever the number of attempts.
func (g *Grader) loadResultSheet(ctx context.Context, orgID, examID string) (*resultSheet, error) {
	maps, err := g.loadScoreMaps(ctx, orgID, examID)
	if err != nil {
		return nil, err
	}
	results, err := g.results(ctx, orgID, examID)
	if err != nil {
		return nil, err
	}
	essays, err := g.essayPoints(ctx, orgID, examID, nil)
	if err != nil {
		return nil, err
	}
	return &resultSheet{scoreMaps: maps, results: results, essayPoints: essays}, nil
}

// part is a section's or a tag's share of an attempt.
type part struct{ points, max float64 }

// parts sums an attempt's scored questions per section id and per tag:
// automatic points plus reviewers' points on its essays (essays maps
// attempt id and question id to those). A tag's sum is over the attempt's
// questions carrying it, as in the attempt's detail.
func (m *scoreMaps) parts(r Result, essays map[string]map[string]float64) (sections, tags map[string]part, err error) {
	var obj map[string]float64
	if len(r.objectiveScores) > 0 {
		if obj, err = flatScores(r.objectiveScores); err != nil {
			return nil, nil, fmt.Errorf("grading: objective scores of %s: %w", strCell(r.AttemptID), err)
		}
	}
	sections, tags = map[string]part{}, map[string]part{}
	qs, qt, mx := m.sectionOf[r.version], m.tagsOf[r.version], m.maxOf[r.version]
	add := func(qid string, p float64) {
		s := sections[qs[qid]]
		sections[qs[qid]] = part{s.points + p, s.max + mx[qid]}
		for _, t := range qt[qid] {
			x := tags[t]
			tags[t] = part{x.points + p, x.max + mx[qid]}
		}
	}
	for qid, p := range obj {
		add(qid, p)
	}
	for qid, p := range essays[strCell(r.AttemptID)] {
		add(qid, p)
	}
	return sections, tags, nil
}

// flatScores decodes objective_scores, a JSON object of question ids to
// points as PostgreSQL writes jsonb, without encoding/json's reflection:
// the results list decodes one per attempt, and json.Unmarshal was most of
// its time at 10,000 attempts. Anything but plain UTF-8 keys and numbers
// (an escape, a null) goes to json.Unmarshal, whose answer it then is.
func flatScores(raw []byte) (map[string]float64, error) {
	slow := func() (map[string]float64, error) {
		var m map[string]float64
		err := json.Unmarshal(raw, &m)
		return m, err
	}
	i := 0
	space := func() {
		for i < len(raw) && (raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\t' || raw[i] == '\r') {
			i++
		}
	}
	space()
	if i >= len(raw) || raw[i] != '{' {
		return slow()
	}
	i++
	space()
	out := make(map[string]float64, 64)
	if i < len(raw) && raw[i] == '}' {
		i++
		space()
		if i == len(raw) {
			return out, nil
		}
		return slow()
	}
	for {
		space()
		if i >= len(raw) || raw[i] != '"' {
			return slow()
		}
		end := bytes.IndexByte(raw[i+1:], '"')
		if end < 0 {
			return slow()
		}
		key := raw[i+1 : i+1+end]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			return slow()
		}
		i += end + 2
		space()
		if i >= len(raw) || raw[i] != ':' {
			return slow()
		}
		i++
		space()
		start := i
		if i >= len(raw) || raw[i] != '-' && (raw[i] < '0' || raw[i] > '9') {
			return slow()
		}
		for i < len(raw) && (raw[i] == '-' || raw[i] == '+' || raw[i] == '.' || raw[i] == 'e' || raw[i] == 'E' || raw[i] >= '0' && raw[i] <= '9') {
			i++
		}
		v, err := strconv.ParseFloat(string(raw[start:i]), 64)
		if err != nil {
			return slow()
		}
		out[string(key)] = v
		space()
		if i >= len(raw) {
			return slow()
		}
		switch raw[i] {
		case ',':
			i++
			continue
		case '}':
			i++
			space()
			if i == len(raw) {
				return out, nil
			}
		}
		return slow()
	}
}

// sectionSums is an attempt's points per section id and per tag (parts
// without their maxima), for the exports' columns.
func (rs *resultSheet) sectionSums(r Result) (sections, tags map[string]float64, err error) {
	sp, tp, err := rs.parts(r, rs.essayPoints)
	if err != nil {
		return nil, nil, err
	}
	sections, tags = make(map[string]float64, len(sp)), make(map[string]float64, len(tp))
	for k, p := range sp {
		sections[k] = p.points
	}
	for k, p := range tp {
		tags[k] = p.points
	}
	return sections, tags, nil
}

// withParts fills in each row's sections and tags: the sections and tags
// of its scored questions, in the order of m.sections and m.allTags; none
// for a row without scores (in progress, never started).
func (m *scoreMaps) withParts(rows []Result, essays map[string]map[string]float64) error {
	for i := range rows {
		r := &rows[i]
		r.Sections, r.Tags = []SectionScore{}, []TagScore{}
		if r.Score == nil {
			continue
		}
		sp, tp, err := m.parts(*r, essays)
		if err != nil {
			return err
		}
		for _, s := range m.sections {
			if p, ok := sp[s.id]; ok {
				r.Sections = append(r.Sections, SectionScore{SectionID: s.id, Title: s.title, PointsAwarded: p.points, MaxPoints: p.max})
			}
		}
		for _, t := range m.allTags {
			if p, ok := tp[t]; ok {
				r.Tags = append(r.Tags, TagScore{Tag: t, PointsAwarded: p.points, MaxPoints: p.max})
			}
		}
	}
	return nil
}

func numCell(v *float64) string {
	if v == nil {
		return ""
	}
	return exam.FormatPoints(*v)
}

func boolCell(v *bool) string {
	if v == nil {
		return ""
	}
	return strconv.FormatBool(*v)
}

func timeCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func strCell(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// safeCell defuses spreadsheet formula injection (OWASP "CSV injection").
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// AttemptDetail is one attempt, question by question, with its integrity
// events: GET /attempts/{id}.
type AttemptDetail struct {
	ID           string `json:"id"`
	InvitationID string `json:"invitation_id"`
	// ExamID and ExamVersion name the frozen version the attempt took
	// (the candidate report reads that version's statistics).
	ExamID         string           `json:"exam_id"`
	ExamVersion    int              `json:"exam_version"`
	CandidateName  string           `json:"candidate_name"`
	CandidateEmail string           `json:"candidate_email"`
	Track          string           `json:"track"`
	Status         string           `json:"status"`
	StartedAt      time.Time        `json:"started_at"`
	Deadline       time.Time        `json:"deadline"`
	SubmittedAt    *time.Time       `json:"submitted_at"`
	SubmittedBy    *string          `json:"submitted_by"`
	AutoScore      *float64         `json:"auto_score"`
	ManualScore    *float64         `json:"manual_score"`
	Score          *float64         `json:"score"`
	MaxScore       *float64         `json:"max_score"`
	Passed         *bool            `json:"passed"`
	Questions      []QuestionDetail `json:"questions"`
	Events         []Event          `json:"events"`
	// Tags sums, per tag, the scored questions carrying it.
	Tags []TagScore `json:"tags"`
}

// TagScore is one tag's share of an attempt: the points awarded and the
// maximum of the attempt's questions carrying the tag that have been
// scored (an essay counts once reviewed), in first-appearance order.
type TagScore struct {
	Tag           string  `json:"tag"`
	PointsAwarded float64 `json:"points_awarded"`
	MaxPoints     float64 `json:"max_points"`
}

// TagScores sums the scored questions of qs by tag.
func TagScores(qs []QuestionDetail) []TagScore {
	out := []TagScore{}
	at := map[string]int{}
	for _, q := range qs {
		for _, t := range q.Tags {
			i, ok := at[t]
			if !ok {
				i = len(out)
				at[t] = i
				out = append(out, TagScore{Tag: t})
			}
			if q.PointsAwarded != nil {
				out[i].PointsAwarded += *q.PointsAwarded
				out[i].MaxPoints += q.MaxPoints
			}
		}
	}
	return out
}

// QuestionDetail is one question of an attempt's track with the response
// and how it was scored. PointsAwarded is null for a question not scored
// yet (any question of an attempt in progress, an essay awaiting review);
// GradedBy is "auto", "reviewer" or null accordingly; Comment is the
// reviewer's, null otherwise.
type QuestionDetail struct {
	QuestionID    string          `json:"question_id"`
	SectionID     string          `json:"section_id"`
	Type          string          `json:"type"`
	Prompt        string          `json:"prompt"`
	Tags          []string        `json:"tags,omitempty"`
	Response      json.RawMessage `json:"response"`
	PointsAwarded *float64        `json:"points_awarded"`
	MaxPoints     float64         `json:"max_points"`
	GradedBy      *string         `json:"graded_by"`
	Comment       *string         `json:"comment"`
	// Key is the question's answer key as a key amendment takes it
	// ({answer}, {answers} or {blanks}), null for an essay. Staff only: the
	// candidate's view is a separate type.
	Key json.RawMessage `json:"key"`
	// Options (choice questions) marks each option right or wrong and
	// whether the candidate chose it.
	Options []OptionDetail `json:"options,omitempty"`
	// Blanks (fill_in) gives each blank's accepted answers and whether the
	// response to it earned its points (null when left empty).
	Blanks []BlankDetail `json:"blanks,omitempty"`
}

// OptionDetail is one option of a choice question in an attempt's detail.
type OptionDetail struct {
	Key     string `json:"key"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
	Chosen  bool   `json:"chosen"`
}

// BlankDetail is one blank of a fill_in question in an attempt's detail.
type BlankDetail struct {
	Accepted []string `json:"accepted"`
	Points   float64  `json:"points"`
	Correct  *bool    `json:"correct"`
}

// keyDetail fills in the key, options and blanks of an objective question
// from the frozen question q and the stored response raw (nil if none).
func keyDetail(qd *QuestionDetail, q *exam.Question, raw json.RawMessage) {
	if q.Type == exam.TypeEssay {
		return
	}
	qd.Key = exam.KeyOf(q)
	var r exam.Response
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &r) // checked when saved; a bad row just shows nothing chosen
	}
	switch q.Type {
	case exam.TypeSingleChoice, exam.TypeMultipleChoice:
		right := map[string]bool{}
		if q.Type == exam.TypeSingleChoice {
			if k, ok := answerKey(q); ok {
				right[k] = true
			}
		} else {
			for _, k := range q.Answers {
				right[k] = true
			}
		}
		chosen := map[string]bool{}
		if r.Choice != nil {
			chosen[*r.Choice] = true
		}
		for _, k := range r.Choices {
			chosen[k] = true
		}
		qd.Options = make([]OptionDetail, len(q.Options))
		for i, o := range q.Options {
			qd.Options[i] = OptionDetail{Key: o.Key, Text: o.Text, Correct: right[o.Key], Chosen: chosen[o.Key]}
		}
	case exam.TypeFillIn:
		qd.Blanks = make([]BlankDetail, len(q.Blanks))
		for i, b := range q.Blanks {
			bd := BlankDetail{Accepted: b.Accepted, Points: b.Points}
			if i < len(r.Blanks) && Normalize(r.Blanks[i], b.CaseSensitive) != "" {
				one := exam.Question{Type: exam.TypeFillIn, Blanks: []exam.Blank{b}}
				ok := scoreFillIn(&one, []string{r.Blanks[i]}) > 0
				bd.Correct = &ok
			}
			if bd.Accepted == nil {
				bd.Accepted = []string{}
			}
			qd.Blanks[i] = bd
		}
	}
}

// Event is an integrity event the candidate's page reported, with the
// server's time of receipt and the client's address.
type Event struct {
	Type          string    `json:"type"`
	At            time.Time `json:"at"`
	ClientAddress string    `json:"client_address"`
}

func strPtr(s string) *string { return &s }

// AttemptDetail returns an attempt of orgID in detail (ErrNotFound when orgID has
// no such attempt): its questions in the document order of its version and
// track, and its events. Four queries.
func (g *Grader) AttemptDetail(ctx context.Context, orgID, attemptID string) (*AttemptDetail, error) {
	if !exam.ValidID(attemptID) {
		return nil, ErrNotFound
	}
	db := g.db.WithContext(ctx)
	var rows []struct {
		ID              string
		InvitationID    string
		ExamID          string
		ExamVersion     int
		CandidateName   string
		CandidateEmail  string
		Track           string
		Status          string
		StartedAt       time.Time
		Deadline        time.Time
		SubmittedAt     *time.Time
		SubmittedBy     *string
		AutoScore       *float64
		ManualScore     *float64
		Score           *float64
		MaxScore        *float64
		Passed          *bool
		ObjectiveScores []byte
		Drawn           exam.DrawnIDs
		Document        []byte
	}
	err := db.Raw(`SELECT a.id, a.invitation_id, a.exam_id, a.exam_version, i.candidate_name, i.candidate_email, a.track, a.status, a.started_at,
			a.deadline, a.submitted_at, a.submitted_by, a.auto_score, a.manual_score, a.score, a.max_score, a.passed,
			a.objective_scores, a.drawn, v.document
		FROM attempts a
		JOIN invitations i ON i.id = a.invitation_id
		JOIN exam_versions v ON v.exam_id = a.exam_id AND v.version = a.exam_version
		WHERE a.org_id = ? AND a.id = ?`, orgID, attemptID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("grading: attempt: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	r := rows[0]
	var d exam.Document
	if err := json.Unmarshal(r.Document, &d); err != nil {
		return nil, fmt.Errorf("grading: version of attempt %s: %w", attemptID, err)
	}
	var obj map[string]float64
	if len(r.ObjectiveScores) > 0 {
		if err := json.Unmarshal(r.ObjectiveScores, &obj); err != nil {
			return nil, fmt.Errorf("grading: objective scores of %s: %w", attemptID, err)
		}
	}
	var answers []struct {
		QuestionID string
		Response   []byte
	}
	if err := db.Raw(`SELECT question_id, response FROM answers WHERE attempt_id = ?`, attemptID).Scan(&answers).Error; err != nil {
		return nil, fmt.Errorf("grading: attempt answers: %w", err)
	}
	responses := make(map[string]json.RawMessage, len(answers))
	for _, a := range answers {
		responses[a.QuestionID] = a.Response
	}
	reviews, err := finalReviews(db, "attempt_id = ?", attemptID)
	if err != nil {
		return nil, err
	}
	sc := attemptScores{reviews: reviews[attemptID], objective: obj, submitted: r.Status != "in_progress"}
	events := []Event{}
	if err := db.Raw(`SELECT type, at, client_address FROM attempt_events WHERE attempt_id = ? ORDER BY at, id`,
		attemptID).Scan(&events).Error; err != nil {
		return nil, fmt.Errorf("grading: attempt events: %w", err)
	}
	for i := range events {
		events[i].At = events[i].At.UTC()
	}

	out := &AttemptDetail{ID: r.ID, InvitationID: r.InvitationID, ExamID: r.ExamID, ExamVersion: r.ExamVersion, CandidateName: r.CandidateName, CandidateEmail: r.CandidateEmail,
		Track: r.Track, Status: r.Status, StartedAt: r.StartedAt.UTC(), Deadline: r.Deadline.UTC(),
		SubmittedAt: utcPtr(r.SubmittedAt), SubmittedBy: r.SubmittedBy, AutoScore: r.AutoScore, ManualScore: r.ManualScore,
		Score: r.Score, MaxScore: r.MaxScore, Passed: r.Passed, Questions: []QuestionDetail{}, Events: events}
	if out.Status == "in_progress" {
		out.AutoScore, out.ManualScore, out.Score, out.MaxScore = nil, nil, nil, nil
	}
	if out.Status != "graded" {
		out.Passed = nil
	}
	d.ForAttempt(r.Drawn).Questions(func(_, _ int, s *exam.Section, q *exam.Question) {
		if !q.InTrack(r.Track) {
			return
		}
		qd := QuestionDetail{QuestionID: q.ID, SectionID: s.ID, Type: q.Type, Prompt: q.Prompt, Tags: q.Tags,
			Response: responses[q.ID], MaxPoints: MaxPoints(q)}
		keyDetail(&qd, q, responses[q.ID])
		qd.PointsAwarded, qd.GradedBy, qd.Comment = sc.of(q.ID)
		out.Questions = append(out.Questions, qd)
	})
	out.Tags = TagScores(out.Questions)
	return out, nil
}

// PositionCandidate is one attempt of an exam of a position, for ranking.
type PositionCandidate struct {
	AttemptID      string     `json:"attempt_id"`
	ExamID         string     `json:"exam_id"`
	ExamTitle      string     `json:"exam_title"`
	CandidateName  string     `json:"candidate_name"`
	CandidateEmail string     `json:"candidate_email"`
	Status         string     `json:"status"`
	Score          *float64   `json:"score"`
	MaxScore       *float64   `json:"max_score"`
	Passed         *bool      `json:"passed"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	Tags           []TagScore `json:"tags"`
}

// review is a question's final review item: its score and comment once
// scored.
type review struct {
	points  float64
	comment string
	scored  bool
}

// finalReviews reads the final review item of each reviewed question of
// the attempts that where (a condition on review_items, with args) picks,
// by attempt and question.
func finalReviews(db *gorm.DB, where string, args ...any) (map[string]map[string]review, error) {
	var rows []struct {
		AttemptID  string
		QuestionID string
		Points     *float64
		Comment    string
		Scored     bool
	}
	if err := db.Raw(`SELECT DISTINCT ON (attempt_id, question_id) attempt_id, question_id,
			CASE WHEN `+sqlFinalSlot+` THEN points END AS points, CASE WHEN `+sqlFinalSlot+` THEN comment ELSE '' END AS comment,
			`+sqlFinalSlot+` AND scored_at IS NOT NULL AS scored
		FROM review_items WHERE `+where+` ORDER BY attempt_id, question_id, `+sqlFinalSlot+` DESC`,
		args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("grading: attempt reviews: %w", err)
	}
	out := map[string]map[string]review{}
	for _, rv := range rows {
		x := review{comment: rv.Comment, scored: rv.Scored}
		if rv.Points != nil {
			x.points = *rv.Points
		}
		if out[rv.AttemptID] == nil {
			out[rv.AttemptID] = map[string]review{}
		}
		out[rv.AttemptID][rv.QuestionID] = x
	}
	return out, nil
}

// attemptScores is how an attempt's questions are scored so far.
type attemptScores struct {
	reviews   map[string]review  // by question
	objective map[string]float64 // the objective scores written at submit
	submitted bool
}

// of is a question's points awarded so far, who gave them ("reviewer" or
// "auto") and the reviewer's comment; all nil while it is not scored. A
// question with a review item (an essay) has its final item's score once
// given and is never scored automatically; any other has its objective
// score once the attempt is submitted.
func (sc attemptScores) of(questionID string) (points *float64, by *string, comment *string) {
	if rv, ok := sc.reviews[questionID]; ok {
		if !rv.scored {
			return nil, nil, nil
		}
		p, c := rv.points, rv.comment
		return &p, strPtr("reviewer"), &c
	}
	if p, ok := sc.objective[questionID]; ok && sc.submitted {
		return &p, strPtr("auto"), nil
	}
	return nil, nil, nil
}

// PositionCandidates returns every attempt of orgID's exams whose draft
// names positionID, best score first (unscored last), each with its
// per-tag scores as AttemptDetail gives them. Its four queries read every
// attempt at once: the attempts, their versions, their review items.
func (g *Grader) PositionCandidates(ctx context.Context, orgID, positionID string) ([]PositionCandidate, error) {
	db := g.db.WithContext(ctx)
	const ofPosition = `SELECT a.id FROM attempts a JOIN exams e ON e.id = a.exam_id AND e.org_id = a.org_id
		WHERE a.org_id = ? AND ` + exam.SQLExamPositionID + ` = ?`
	var rows []struct {
		AttemptID       string
		ExamID          string
		ExamTitle       string
		ExamVersion     int
		CandidateName   string
		CandidateEmail  string
		Track           string
		Status          string
		Score           *float64
		MaxScore        *float64
		Passed          *bool
		SubmittedAt     *time.Time
		ObjectiveScores []byte
		Drawn           exam.DrawnIDs
	}
	err := db.Raw(`SELECT a.id AS attempt_id, e.id AS exam_id, e.title AS exam_title, a.exam_version, i.candidate_name, i.candidate_email,
			a.track, a.status, a.score, a.max_score, a.passed, a.submitted_at, a.objective_scores, a.drawn
		FROM attempts a JOIN exams e ON e.id = a.exam_id AND e.org_id = a.org_id
		JOIN invitations i ON i.id = a.invitation_id
		WHERE a.org_id = ? AND `+exam.SQLExamPositionID+` = ?
		ORDER BY CASE WHEN a.status = 'in_progress' THEN NULL ELSE a.score END DESC NULLS LAST, a.started_at, a.id`,
		orgID, positionID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("grading: position candidates: %w", err)
	}
	var versions []struct {
		ExamID   string
		Version  int
		Document []byte
	}
	if err := db.Raw(`SELECT exam_id, version, document FROM exam_versions
		WHERE (exam_id, version) IN (SELECT a.exam_id, a.exam_version FROM attempts a WHERE a.id IN (`+ofPosition+`))`,
		orgID, positionID).Scan(&versions).Error; err != nil {
		return nil, fmt.Errorf("grading: position candidates' versions: %w", err)
	}
	type versionKey struct {
		exam    string
		version int
	}
	docs := make(map[versionKey]*exam.Document, len(versions))
	for _, v := range versions {
		var d exam.Document
		if err := json.Unmarshal(v.Document, &d); err != nil {
			return nil, fmt.Errorf("grading: version %s/%d: %w", v.ExamID, v.Version, err)
		}
		docs[versionKey{v.ExamID, v.Version}] = &d
	}
	reviews, err := finalReviews(db, "attempt_id IN ("+ofPosition+")", orgID, positionID)
	if err != nil {
		return nil, err
	}
	out := make([]PositionCandidate, 0, len(rows))
	for _, r := range rows {
		d := docs[versionKey{r.ExamID, r.ExamVersion}]
		if d == nil {
			return nil, fmt.Errorf("grading: attempt %s: version %d of exam %s is missing", r.AttemptID, r.ExamVersion, r.ExamID)
		}
		var obj map[string]float64
		if len(r.ObjectiveScores) > 0 {
			if err := json.Unmarshal(r.ObjectiveScores, &obj); err != nil {
				return nil, fmt.Errorf("grading: objective scores of %s: %w", r.AttemptID, err)
			}
		}
		sc := attemptScores{reviews: reviews[r.AttemptID], objective: obj, submitted: r.Status != "in_progress"}
		var qs []QuestionDetail
		d.ForAttempt(r.Drawn).Questions(func(_, _ int, _ *exam.Section, q *exam.Question) {
			if q.InTrack(r.Track) {
				p, _, _ := sc.of(q.ID)
				qs = append(qs, QuestionDetail{Tags: q.Tags, MaxPoints: MaxPoints(q), PointsAwarded: p})
			}
		})
		c := PositionCandidate{AttemptID: r.AttemptID, ExamID: r.ExamID, ExamTitle: r.ExamTitle,
			CandidateName: r.CandidateName, CandidateEmail: r.CandidateEmail, Status: r.Status, Score: r.Score,
			MaxScore: r.MaxScore, Passed: r.Passed, SubmittedAt: utcPtr(r.SubmittedAt), Tags: TagScores(qs)}
		if c.Status == "in_progress" {
			c.Score, c.MaxScore = nil, nil
		}
		if c.Status != "graded" {
			c.Passed = nil
		}
		out = append(out, c)
	}
	return out, nil
}
