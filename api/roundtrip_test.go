package api

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"
)

// API.md v1.1 "Import and export": importing an exported text or xlsx file
// through POST /imports gives back the same document, ids aside; gift,
// moodle_xml and qti report in problems what the format dropped (tracks).
func TestExportImportRoundTripThroughTheAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	s := a.signup("Acme", "roundtrip@acme.test")
	id := a.publishedExam(s.AccessToken, smallExam(900, 45))
	comparable := func(m map[string]any) string {
		delete(m, "status")
		delete(m, "latest_version")
		return stripIDs(m)
	}
	want := comparable(a.must(200, "GET", "/api/v1/exams/"+id, nil, s.AccessToken).JSON())

	for _, f := range []string{"text", "xlsx", "gift", "moodle_xml", "qti"} {
		for _, from := range []string{"/api/v1/exams/" + id + "/export", "/api/v1/exams/" + id + "/versions/1/export"} {
			exp := a.must(200, "GET", from+"?format="+f, nil, s.AccessToken)
			file := exp.Body
			body := map[string]any{"content": string(file)}
			if !utf8.Valid(file) || bytes.IndexByte(file, 0) >= 0 { // a zip: xlsx, a QTI package
				body = map[string]any{"content_base64": base64.StdEncoding.EncodeToString(file)}
			}
			var im struct {
				Format   string         `json:"format"`
				Exam     map[string]any `json:"exam"`
				Problems []struct {
					Field   string `json:"field"`
					Line    *int   `json:"line"`
					Message string `json:"message"`
				} `json:"problems"`
			}
			a.must(200, "POST", "/api/v1/imports", body, s.AccessToken).Decode(t, &im)
			if im.Format != f {
				t.Errorf("%s: an exported %s file is detected as %q", from, f, im.Format)
			}
			for _, p := range im.Problems {
				if p.Line == nil {
					t.Errorf("%s %s: a problem without line: %+v", from, f, p)
				}
			}
			if f == "text" || f == "xlsx" {
				if len(im.Problems) != 0 {
					t.Errorf("%s %s: problems on a round trip: %+v", from, f, im.Problems)
				}
				// Create the imported document: the same exam comes back.
				var e examResp
				a.must(201, "POST", "/api/v1/exams", im.Exam, s.AccessToken).Decode(t, &e)
				if got := comparable(a.must(200, "GET", "/api/v1/exams/"+e.ID, nil, s.AccessToken).JSON()); got != want {
					t.Errorf("%s %s lost something:\nwant %s\ngot  %s", from, f, want, got)
				}
				continue
			}
			said := false
			for _, p := range im.Problems {
				said = said || strings.Contains(p.Message, "track")
			}
			if !said {
				t.Errorf("%s %s: problems do not say the tracks were dropped: %+v", from, f, im.Problems)
			}
		}
	}
}
