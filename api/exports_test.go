package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"examd/formats"
)

func TestExportDraftAndVersion(t *testing.T) {
	a := parallelApp(t)
	admin, recruiter, reviewer := a.team("A", "a.test")
	e := a.draftExam(recruiter.AccessToken, smallExam(600, 30))

	r := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, recruiter.AccessToken)
	if ct := r.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	wantDisp := `attachment; filename="Small exam.gift"; filename*=UTF-8''` + url.PathEscape("小测验 Small exam.gift")
	if d := r.Header.Get("Content-Disposition"); d != wantDisp {
		t.Errorf("Content-Disposition %q, want %q", d, wantDisp)
	}
	res, err := formats.Read("gift", r.Body, "")
	if err != nil {
		t.Fatalf("the export does not read back: %v\n%s", err, r.Body)
	}
	if st := formats.Count(res.Exam); st.Questions != 6 || st.ByType["essay"] != 2 || st.ByType["multiple_choice"] != 1 {
		t.Errorf("the exported draft reads back as %+v\n%s", st, r.Body)
	}
	if res.Exam.Sections[0].Title != "一、填空" || !strings.Contains(string(r.Body), "=客人") {
		t.Errorf("the export lost the draft's content:\n%s", r.Body)
	}

	// A version is exported as frozen, and later draft edits do not leak in.
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, recruiter.AccessToken)
	draft := smallExam(600, 30)
	draft["title"] = "Changed draft"
	a.must(200, "PUT", "/api/v1/exams/"+e.ID, draft, recruiter.AccessToken)
	v := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1/export?format=gift", nil, admin.AccessToken)
	if d := v.Header.Get("Content-Disposition"); !strings.Contains(d, `filename="Small exam-v1.gift"`) {
		t.Errorf("version Content-Disposition %q", d)
	}
	if !strings.Contains(string(v.Body), "// 小测验 Small exam") {
		t.Errorf("the version's export is not the frozen document:\n%s", v.Body)
	}
	d := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, admin.AccessToken)
	if !strings.Contains(string(d.Body), "// Changed draft") || !strings.Contains(d.Header.Get("Content-Disposition"), `filename="Changed draft.gift"`) {
		t.Errorf("the draft's export is not the current draft:\n%s", d.Body)
	}

	for _, q := range []string{"", "?format=", "?format=pdf", "?format=GIFT"} {
		for _, p := range []string{"/api/v1/exams/" + e.ID + "/export", "/api/v1/exams/" + e.ID + "/versions/1/export"} {
			if r := a.do("GET", p+q, nil, recruiter.AccessToken); r.Status != 400 || r.Code() != "bad_request" || !strings.Contains(string(r.Body), "gift") {
				t.Errorf("GET %s%s: %d %s, want 400 naming the formats", p, q, r.Status, r.Body)
			}
		}
	}
	a.must(404, "GET", "/api/v1/exams/"+e.ID+"/versions/2/export?format=gift", nil, recruiter.AccessToken)
	a.must(404, "GET", "/api/v1/exams/"+e.ID+"/versions/0/export?format=gift", nil, recruiter.AccessToken)
	a.must(403, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, reviewer.AccessToken)
	a.must(401, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, "")

	other := a.signup("B", "b@b.test")
	for _, p := range []string{"/api/v1/exams/" + e.ID + "/export?format=gift", "/api/v1/exams/" + e.ID + "/versions/1/export?format=gift"} {
		if r := a.do("GET", p, nil, other.AccessToken); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("another organization GET %s: %d %s", p, r.Status, r.Body)
		}
	}
}

func TestExportDisposition(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"客服经理", `attachment; filename="exam.gift"; filename*=UTF-8''%E5%AE%A2%E6%9C%8D%E7%BB%8F%E7%90%86.gift`},
		{`a/b "c"`, `attachment; filename="a_b _c_.gift"; filename*=UTF-8''a_b%20_c_.gift`},
		{"  ", `attachment; filename="exam.gift"; filename*=UTF-8''exam.gift`},
	} {
		if got := exportDisposition(c.title, "", "gift"); got != c.want {
			t.Errorf("exportDisposition(%q) = %s, want %s", c.title, got, c.want)
		}
	}
}

func TestImportTemplate(t *testing.T) {
	a := parallelApp(t)
	_, recruiter, reviewer := a.team("A", "a.test")
	r := a.must(200, "GET", "/api/v1/imports/template.xlsx", nil, recruiter.AccessToken)
	if ct := r.Header.Get("Content-Type"); ct != formats.XLSXContentType {
		t.Errorf("Content-Type %q", ct)
	}
	if d := r.Header.Get("Content-Disposition"); !strings.HasPrefix(d, `attachment; filename="examd-template.xlsx"`) {
		t.Errorf("Content-Disposition %q", d)
	}
	res, err := formats.Read("", r.Body, "")
	if err != nil || res.Format != "xlsx" {
		t.Fatalf("the template does not read as xlsx: %v", err)
	}
	st := formats.Count(res.Exam)
	for typ, n := range st.ByType {
		if n != 1 {
			t.Errorf("the template has %d example rows of %s, want 1", n, typ)
		}
	}
	a.must(403, "GET", "/api/v1/imports/template.xlsx", nil, reviewer.AccessToken)
	a.must(401, "GET", "/api/v1/imports/template.xlsx", nil, "")
}

func TestExportXLSXRoundTripsThroughTheAPI(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("A", "a@a.test")
	e := a.draftExam(admin.AccessToken, smallExam(600, 30))
	draft := a.must(200, "GET", "/api/v1/exams/"+e.ID, nil, admin.AccessToken)
	r := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/export?format=xlsx", nil, admin.AccessToken)
	if ct := r.Header.Get("Content-Type"); ct != formats.XLSXContentType {
		t.Errorf("Content-Type %q", ct)
	}
	res, err := formats.Read("", r.Body, "")
	if err != nil {
		t.Fatal(err)
	}
	// Creating an exam from the imported document gives the same exam,
	// ids aside.
	again := a.draftExam(admin.AccessToken, res.Exam)
	second := a.must(200, "GET", "/api/v1/exams/"+again.ID, nil, admin.AccessToken)
	if x, y := stripIDs(draft.JSON()), stripIDs(second.JSON()); x != y {
		t.Errorf("the xlsx export lost something:\nbefore %s\nafter  %s", x, y)
	}
}

// stripIDs prints an exam without what differs between two copies.
func stripIDs(m map[string]any) string {
	for _, k := range []string{"id", "created_at", "updated_at"} {
		delete(m, k)
	}
	for _, s := range m["sections"].([]any) {
		sm := s.(map[string]any)
		delete(sm, "id")
		for _, q := range sm["questions"].([]any) {
			delete(q.(map[string]any), "id")
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// API.md v1.1 "Import and export": importing an exported text or xlsx file
// through POST /imports gives back the same document, ids aside; gift,
// moodle_xml and qti report in problems what the format dropped (tracks).
func TestExportImportRoundTripThroughTheAPI(t *testing.T) {
	a := parallelApp(t)
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
				e := a.draftExam(s.AccessToken, im.Exam)
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
