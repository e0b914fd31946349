package api

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// FuzzExamBody sends arbitrary bodies through the real binding, validation
// and error mapping of POST /exams: the answer is always a 2xx for a valid
// document or a 4xx naming the problem, never a 5xx or a panic.
func FuzzExamBody(f *testing.F) {
	f.Add(`{"title":"t","time_limit_seconds":60,"sections":[{"title":"s","questions":[{"type":"true_false","prompt":"p","answer":true,"points":1}]}]}`)
	f.Add(`{"title":"t","time_limit_seconds":60,"sections":[{"title":"s","questions":[{"type":"fill_in","prompt":"{{1}}","blanks":[{"accepted":["x"],"points":0.5}]}]}]}`)
	f.Add(`{"title":"t","time_limit_seconds":-1,"tracks":["a","a"],"sections":[{"questions":[{"type":"multiple_choice","options":[{"key":"a"}],"answers":["b"],"scoring":{"per_correct":-1}}]}]}`)
	f.Add(`{"sections":[{"questions":[{"type":"essay","points":1e308,"rubric":[{"points":-0}]}]}]}`)
	f.Add(`[1,2,3]`)
	f.Add(`{"title":`)
	e := echo.New()
	e.HTTPErrorHandler = errorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.POST("/exams", func(c echo.Context) error {
		d, err := decodeDocument(c)
		if err != nil {
			return err
		}
		return c.JSON(201, d)
	}, bodyLimit(1<<20))
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/exams", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
		if rec.Code >= 400 && !strings.Contains(rec.Body.String(), `"code"`) {
			t.Fatalf("error without the contract's body: %s", rec.Body.String())
		}
	})
}
