package api

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
)

const importPaper = "员工手册测验\r\n考试时间：30分钟\r\n一、单项选择题（每题2分）\r\n1、前台接到投诉首先应（ ）\r\nA.记录 B.争辩 C.挂断答案：A\r\n二、判断题（每题1分）\r\n1、工牌可以借给他人。\r\n答案：×\r\n"

func TestImportText(t *testing.T) {
	a := parallelApp(t)
	d := oaLoad(t)
	admin, rec, rev := a.team("Import Org", "import.test")

	r := a.oaCall(d, 200, "POST", "/api/v1/imports", map[string]any{"content": importPaper}, rec.AccessToken)
	var got struct {
		Format string `json:"format"`
		Exam   struct {
			Title            string `json:"title"`
			TimeLimitSeconds int    `json:"time_limit_seconds"`
			Sections         []struct {
				Questions []map[string]any `json:"questions"`
			} `json:"sections"`
		} `json:"exam"`
		Problems []struct {
			Field, Message, Code string
			Line                 int
		} `json:"problems"`
		Stats struct {
			Questions int            `json:"questions"`
			ByType    map[string]int `json:"by_type"`
		} `json:"stats"`
	}
	r.Decode(t, &got)
	if got.Format != "text" || got.Exam.Title != "员工手册测验" || got.Exam.TimeLimitSeconds != 1800 || len(got.Exam.Sections) != 2 {
		t.Fatalf("import: %s", r.Body)
	}
	q := got.Exam.Sections[0].Questions[0]
	if q["type"] != "single_choice" || q["answer"] != "a" || q["points"] != 2.0 || len(q["options"].([]any)) != 3 {
		t.Errorf("first question %v", q)
	}
	if opt := q["options"].([]any)[2].(map[string]any); opt["text"] != "挂断" {
		t.Errorf("the glued key stayed in the option: %v", opt)
	}
	if tf := got.Exam.Sections[1].Questions[0]; tf["type"] != "true_false" || tf["answer"] != false {
		t.Errorf("true/false %v", tf)
	}
	if got.Stats.Questions != 2 || got.Stats.ByType["single_choice"] != 1 || got.Stats.ByType["true_false"] != 1 || got.Stats.ByType["essay"] != 0 {
		t.Errorf("stats %+v", got.Stats)
	}
	if _, ok := q["id"]; ok {
		t.Error("an imported question has an id")
	}
	// Nothing is stored.
	if n := len(a.must(200, "GET", "/api/v1/exams", nil, rec.AccessToken).JSON()["items"].([]any)); n != 0 {
		t.Errorf("import stored %d exams", n)
	}

	// A paper without keys: the document breaks the rules, problems say
	// where, with the validation path and the source line, and name what
	// is wrong with a code the web app can say in Chinese.
	r = a.oaCall(d, 200, "POST", "/api/v1/imports", map[string]any{"format": "text", "content": "1. 你为什么应聘？\n2、下列正确的是\nA. 甲\nB. 乙\n"}, admin.AccessToken)
	r.Decode(t, &got)
	var keyLine, validation bool
	codes := map[string]int{}
	for _, p := range got.Problems {
		if p.Field == "sections[0].questions[1]" && p.Line == 2 && strings.Contains(p.Message, "no key") && p.Code == "import_no_key" {
			keyLine = true
		}
		if p.Field == "sections[0].questions[1].answer" && p.Line == 0 && p.Code == "required" {
			validation = true
		}
		codes[p.Code]++
	}
	// What the reader assumed is named too: no title, no time limit, each
	// type and each question's points.
	for code, n := range map[string]int{"import_no_title": 1, "import_no_time_limit": 1, "import_type_guessed": 2, "import_no_points": 2} {
		if codes[code] != n {
			t.Errorf("%d problems with code %s, want %d: %+v", codes[code], code, n, got.Problems)
		}
	}
	if !keyLine || !validation {
		t.Errorf("problems of a keyless paper: %+v", got.Problems)
	}

	// Reviewers do not author.
	a.must(403, "POST", "/api/v1/imports", map[string]any{"content": importPaper}, rev.AccessToken)
	a.must(401, "POST", "/api/v1/imports", map[string]any{"content": importPaper}, "")

	// Bad input: a clear 422 naming the part.
	for _, c := range []struct {
		body  any
		field string
		code  string
	}{
		{map[string]any{"content": "no questions here\njust words\n"}, "content", "unreadable"},
		{map[string]any{"format": "pdf", "content": importPaper}, "format", "invalid_value"},
		{map[string]any{}, "content", "required"},
		{map[string]any{"content": "  "}, "content", "required"},
		{map[string]any{"content": importPaper, "content_base64": "eA=="}, "content_base64", "invalid_value"},
		{map[string]any{"content_base64": "%%%"}, "content_base64", "wrong_type"},
		{map[string]any{"format": "docx", "content_base64": base64.StdEncoding.EncodeToString([]byte("not a zip"))}, "content_base64", "unreadable"},
	} {
		r := a.must(422, "POST", "/api/v1/imports", c.body, rec.AccessToken)
		d.checkResponse(t, d.find(t, "POST", "/api/v1/imports"), r, "bad import")
		det := r.JSON()["error"].(map[string]any)["details"].([]any)[0].(map[string]any)
		if det["field"] != c.field || det["code"] != c.code {
			t.Errorf("%v: detail %v, want %s %s", c.body, det, c.field, c.code)
		}
	}
	// Over the body limit: 413.
	big := strings.Repeat("1. 问题\n", int(a.cfg.BodyLimit/8))
	if r := a.do("POST", "/api/v1/imports", map[string]any{"content": big}, rec.AccessToken); r.Status != 413 {
		t.Errorf("an oversized import got %d", r.Status)
	}
}

func multipartBody(t *testing.T, name string, data []byte, format string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if format != "" {
		_ = w.WriteField("format", format)
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

func TestImportMultipartAndDocx(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("Import MP Org", "admin@importmp.test")
	send := func(body []byte, ct, path string) *resp {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+admin.AccessToken)
		req.RemoteAddr = "192.0.2.10:5555"
		rec := httptest.NewRecorder()
		a.e.ServeHTTP(rec, req)
		return &resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	}
	body, ct := multipartBody(t, "paper.txt", []byte(importPaper), "")
	r := send(body, ct, "/api/v1/imports")
	if r.Status != 200 || r.JSON()["format"] != "text" {
		t.Fatalf("multipart text: %d %s", r.Status, r.Body)
	}

	// A Word file: its paragraphs are the paper.
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	f, _ := zw.Create("word/document.xml")
	var x strings.Builder
	x.WriteString(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, line := range strings.Split(strings.TrimSpace(strings.ReplaceAll(importPaper, "\r", "")), "\n") {
		x.WriteString(`<w:p><w:r><w:t>` + line + `</w:t></w:r></w:p>`)
	}
	x.WriteString(`</w:body></w:document>`)
	f.Write([]byte(x.String()))
	zw.Close()
	body, ct = multipartBody(t, "试卷.docx", z.Bytes(), "")
	r = send(body, ct, "/api/v1/imports")
	if r.Status != 200 || r.JSON()["format"] != "docx" || r.JSON()["stats"].(map[string]any)["questions"] != 2.0 {
		t.Fatalf("docx: %d %s", r.Status, r.Body)
	}

	// No file part: 422 naming it.
	body, ct = multipartBody(t, "", nil, "text")
	if r := send(body, ct, "/api/v1/imports"); r.Status != 422 || !strings.Contains(string(r.Body), `"field":"file"`) {
		t.Errorf("multipart without a file: %d %s", r.Status, r.Body)
	}
	// Multipart is for this route only.
	body, ct = multipartBody(t, "paper.txt", []byte(importPaper), "")
	if r := send(body, ct, "/api/v1/exams"); r.Status != 415 {
		t.Errorf("multipart to POST /exams got %d", r.Status)
	}
	// Too big as multipart: 413.
	body, ct = multipartBody(t, "big.txt", bytes.Repeat([]byte("x"), int(a.cfg.BodyLimit)+10), "")
	if r := send(body, ct, "/api/v1/imports"); r.Status != 413 {
		t.Errorf("an oversized multipart import got %d %s", r.Status, r.Body)
	}
}
