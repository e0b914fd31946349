package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // ?tz= zone names on hosts without a zone database

	"github.com/labstack/echo/v4"

	"examd/grading"
)

// Results (admin, recruiter).

// resultQueryParams are the parameters that turn the results list into
// pages; without any of them it is the v1 list of every attempt.
var resultQueryParams = []string{"status", "track", "sort", "min_score", "max_score", "include", "limit", "cursor"}

func (s *Server) results(c echo.Context) error {
	qp := c.QueryParams()
	paged := false
	for _, k := range resultQueryParams {
		paged = paged || qp.Has(k)
	}
	if !paged {
		items, err := s.grader.Results(reqCtx(c), claims(c).Org, c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"items": items})
	}
	q := grading.ResultQuery{Track: qp.Get("track"), Sort: qp.Get("sort"), Cursor: qp.Get("cursor"), Limit: 50}
	if v := qp.Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(grading.ResultStatuses, st) {
				return errBadRequest("status must be a comma-separated list of " + strings.Join(grading.ResultStatuses, ", "))
			}
			q.Statuses = append(q.Statuses, st)
		}
	}
	if q.Sort != "" && !slices.Contains(grading.ResultSorts, q.Sort) && !grading.IsPartSort(q.Sort) {
		return errBadRequest("sort must be one of " + strings.Join(grading.ResultSorts, ", ") +
			", or section:<section id> or tag:<tag>, with a leading - for descending")
	}
	switch v := qp.Get("include"); v {
	case "":
	case "not_started":
		q.NotStarted = true
	default:
		return errBadRequest("include must be not_started")
	}
	for _, p := range []struct {
		name string
		into **float64
	}{{"min_score", &q.MinScore}, {"max_score", &q.MaxScore}} {
		if v := qp.Get(p.name); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return errBadRequest(p.name + " must be a number")
			}
			*p.into = &f
		}
	}
	if v := qp.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return errBadRequest("limit must be a whole number from 1 to 500")
		}
		q.Limit = n
	}
	items, next, err := s.grader.ResultsPage(reqCtx(c), claims(c).Org, c.Param("id"), q)
	var se *grading.SortError
	if errors.As(err, &se) {
		return errBadRequest(se.Error())
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "next_cursor": nullIfEmpty(next)})
}

var tzOffsetRe = regexp.MustCompile(`^([+-])(\d{2}):?(\d{2})$`)

// csvLocation reads ?tz=: an IANA zone (Asia/Shanghai), UTC or an offset
// (+08:00, -0530).
func csvLocation(v string) (*time.Location, error) {
	if strings.HasPrefix(v, " ") { // an unencoded "+" in a query string
		v = "+" + v[1:]
	}
	if m := tzOffsetRe.FindStringSubmatch(v); m != nil {
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		if h > 14 || mi > 59 {
			return nil, errBadRequest("tz offset out of range")
		}
		off := h*3600 + mi*60
		if m[1] == "-" {
			off = -off
		}
		return time.FixedZone(v, off), nil
	}
	if v == "Local" {
		return nil, errBadRequest("tz must be a time zone name such as Asia/Shanghai or an offset such as +08:00")
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		return nil, errBadRequest("tz must be a time zone name such as Asia/Shanghai or an offset such as +08:00")
	}
	return loc, nil
}

// sheetOptions reads the ?lang= and ?tz= the CSV and the XLSX share.
func sheetOptions(c echo.Context) (grading.CSVOptions, error) {
	var o grading.CSVOptions
	qp := c.QueryParams()
	switch v := qp.Get("lang"); v {
	case "", "en", "zh-CN":
		o.Lang = v
	default:
		return o, errBadRequest("lang must be zh-CN or en")
	}
	if v := qp.Get("tz"); v != "" {
		loc, err := csvLocation(v)
		if err != nil {
			return o, err
		}
		o.Location = loc
	}
	return o, nil
}

// resultsSheet reads the sheet's query parameters and writes the exam's
// results with write, in memory first, so that a failure halfway is still a
// proper error response rather than a truncated file.
func resultsSheet(c echo.Context, write grading.SheetWriter) (*bytes.Buffer, grading.CSVOptions, error) {
	o, err := sheetOptions(c)
	if err != nil {
		return nil, o, err
	}
	var buf bytes.Buffer
	if err := write(reqCtx(c), claims(c).Org, c.Param("id"), &buf, o); err != nil {
		return nil, o, err
	}
	return &buf, o, nil
}

func (s *Server) resultsCSV(c echo.Context) error {
	buf, o, err := resultsSheet(c, s.grader.ResultsCSVWith)
	if err != nil {
		return err
	}
	disposition := `attachment; filename="results-` + c.Param("id") + `.csv"`
	if o.Lang != "" || o.Location != nil {
		e, err := s.exams.Get(reqCtx(c), claims(c).Org, c.Param("id"))
		if err != nil {
			return err
		}
		loc := o.Location
		if loc == nil {
			loc = time.UTC
		}
		disposition = csvDisposition(e.Title, o.Lang, time.Now().In(loc))
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, disposition)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// resultsXLSX: GET /exams/{id}/results.xlsx, the CSV's parameters.
func (s *Server) resultsXLSX(c echo.Context) error {
	buf, _, err := resultsSheet(c, s.grader.ResultsXLSX)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="results-`+c.Param("id")+`.xlsx"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// csvDisposition names the file after the exam and the day (RFC 6266):
// an ASCII fallback and the UTF-8 name in filename*.
func csvDisposition(title, lang string, day time.Time) string {
	word := "results"
	if lang == "zh-CN" {
		word = "成绩"
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(title) {
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
		if b.Len() > 150 {
			break
		}
	}
	name := b.String()
	if name == "" {
		name = "exam"
	}
	date := day.Format("2006-01-02")
	full := name + "-" + word + "-" + date + ".csv"
	return `attachment; filename="results-` + date + `.csv"; filename*=UTF-8''` + rfc5987(full)
}

// rfc5987 percent-encodes everything but RFC 5987's attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// amendKey: PUT /exams/{id}/versions/{n}/questions/{question_id}/key
// [?dry_run=true|false] with {answer}, {answers} or {blanks}.
func (s *Server) amendKey(c echo.Context) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	dryRun := false
	switch v := c.QueryParam("dry_run"); v {
	case "", "false":
	case "true":
		dryRun = true
	default:
		return errBadRequest("dry_run must be true or false")
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	// The key's members depend on the question's type, which AmendKey
	// judges (422); here only the body's JSON is checked (400).
	var obj map[string]json.RawMessage
	if err := decodeStrict(body, &obj); err != nil {
		return err
	}
	if obj == nil {
		return errBadRequest("expected a JSON object, got null")
	}
	// reason sits beside the key; the key alone goes to AmendKey.
	reason := ""
	if raw, ok := obj["reason"]; ok {
		if err := json.Unmarshal(raw, &reason); err != nil {
			return errBadRequest("reason must be a string")
		}
		delete(obj, "reason")
		if body, err = json.Marshal(obj); err != nil {
			return err
		}
	}
	res, err := s.grader.AmendKey(reqCtx(c), actor(c), c.Param("id"), n, c.Param("question_id"), body, reason, dryRun)
	return respond(c, http.StatusOK, res, err)
}
