package grading

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"examd/exam"
)

// XLSX sheet names.
const (
	XLSXResultsSheet    = "Results"
	XLSXStatisticsSheet = "Statistics"
)

// ResultsXLSX writes an exam's results as an Excel workbook: the sheet
// Results (the CSV's columns, one row an attempt, scores as numbers, a
// column per section of the latest version) and the sheet Statistics (the
// latest version's question statistics over all its graded attempts).
// Text cells go through the CSV's formula-injection guard. o.Lang labels
// the columns as the CSV does.
func (g *Grader) ResultsXLSX(ctx context.Context, orgID, examID string, w io.Writer, o CSVOptions) error {
	sheet, err := g.loadResultSheet(ctx, orgID, examID)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", XLSXResultsSheet); err != nil {
		return fmt.Errorf("grading: xlsx: %w", err)
	}
	names := csvColumns
	if l, ok := csvLabels[o.Lang]; ok {
		names = l
	}
	header := make([]any, 0, len(names)+len(sheet.columns)+len(sheet.tags))
	for _, n := range names {
		header = append(header, n)
	}
	for _, s := range sheet.columns {
		header = append(header, safeCell(s.Title))
	}
	for _, t := range sheet.tags {
		header = append(header, safeCell(tagColumn(t, o.Lang)))
	}
	if err := f.SetSheetRow(XLSXResultsSheet, "A1", &header); err != nil {
		return fmt.Errorf("grading: xlsx: %w", err)
	}
	word := func(v string) string {
		if o.Lang == "zh-CN" && csvZhValues[v] != "" {
			return csvZhValues[v]
		}
		return v
	}
	num := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	for i, r := range sheet.results {
		var submitted any
		if r.SubmittedAt != nil {
			t := r.SubmittedAt.UTC()
			if o.Location != nil {
				t = r.SubmittedAt.In(o.Location)
			}
			submitted = t.Format("2006-01-02 15:04:05 -07:00")
		}
		row := []any{r.InvitationID, strCell(r.AttemptID), safeCell(r.CandidateName), safeCell(r.CandidateEmail), safeCell(r.Track),
			word(r.Status), num(r.AutoScore), num(r.ManualScore), num(r.Score), num(r.MaxScore), word(boolCell(r.Passed)),
			submitted, word(strCell(r.SubmittedBy))}
		if r.Status != "in_progress" {
			sums, tags, err := sheet.sectionSums(r)
			if err != nil {
				return err
			}
			for _, s := range sheet.columns {
				row = append(row, sums[s.ID])
			}
			for _, t := range sheet.tags {
				row = append(row, tags[t])
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(XLSXResultsSheet, cell, &row); err != nil {
			return fmt.Errorf("grading: xlsx: %w", err)
		}
	}

	if _, err := f.NewSheet(XLSXStatisticsSheet); err != nil {
		return fmt.Errorf("grading: xlsx: %w", err)
	}
	if sheet.latest != nil {
		if err := g.statisticsSheet(ctx, f, orgID, examID, sheet); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("grading: xlsx: %w", err)
	}
	return nil
}

func (g *Grader) statisticsSheet(ctx context.Context, f *excelize.File, orgID, examID string, sheet *resultSheet) error {
	var version int
	if err := g.db.WithContext(ctx).Raw(`SELECT latest_version FROM exams WHERE org_id = ? AND id = ?`, orgID, examID).
		Scan(&version).Error; err != nil {
		return fmt.Errorf("grading: xlsx version: %w", err)
	}
	st, err := g.Statistics(ctx, orgID, examID, version, nil)
	if err != nil {
		return err
	}
	section := map[string]string{}
	prompt := map[string]string{}
	sheet.latest.AllQuestions(func(s *exam.Section, q *exam.Question) {
		section[q.ID], prompt[q.ID] = s.Title, q.Prompt
	})
	num := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	rows := [][]any{
		{"version", st.Version, "attempts", st.Attempts, "mean", num(st.Score.Mean), "sd", num(st.Score.SD),
			"alpha", num(st.Reliability.Alpha), "sem", num(st.Reliability.SEM)},
		{},
		{"question_id", "section", "type", "prompt", "attempts", "mean_points", "max_points", "facility", "discrimination", "flags", "options"},
	}
	for _, q := range st.Questions {
		opts := make([]string, 0, len(q.Options))
		for _, o := range q.Options {
			opts = append(opts, fmt.Sprintf("%s:%d", o.Key, o.Chosen))
		}
		rows = append(rows, []any{safeCell(q.QuestionID), safeCell(section[q.QuestionID]), q.Type, safeCell(prompt[q.QuestionID]),
			q.Attempts, num(q.MeanPoints), q.MaxPoints, num(q.Facility), num(q.Discrimination),
			strings.Join(q.Flags, " "), safeCell(strings.Join(opts, " "))})
	}
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(XLSXStatisticsSheet, cell, &rows[i]); err != nil {
			return fmt.Errorf("grading: xlsx: %w", err)
		}
	}
	return nil
}
