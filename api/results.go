package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Results (admin, recruiter).

func (s *Server) results(c echo.Context) error {
	items, err := s.grader.Results(ctx(c), claims(c).Org, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (s *Server) resultsCSV(c echo.Context) error {
	// Built in memory first, so that a failure halfway is still a proper
	// error response rather than a truncated file.
	var buf bytes.Buffer
	if err := s.grader.ResultsCSV(ctx(c), claims(c).Org, c.Param("id"), &buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="results-`+c.Param("id")+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (s *Server) attemptDetail(c echo.Context) error {
	d, err := s.grader.Attempt(ctx(c), claims(c).Org, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
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
	res, err := s.grader.AmendKey(ctx(c), actor(c), c.Param("id"), n, c.Param("question_id"), body, reason, dryRun)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
