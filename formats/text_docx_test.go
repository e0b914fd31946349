package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

func docx(t *testing.T, name string, body []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w := zip.NewWriter(&z)
	f, err := w.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(body)
	w.Close()
	return z.Bytes()
}

func TestDocx(t *testing.T) {
	xml := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>前台测验</w:t></w:r></w:p>
<w:p><w:r><w:t>一、单选题（每题</w:t></w:r><w:r><w:t xml:space="preserve">2分）</w:t></w:r></w:p>
<w:p><w:r><w:t>1、访客登记应包括（ ）</w:t></w:r></w:p>
<w:p><w:r><w:t>A.姓名</w:t></w:r><w:r><w:tab/><w:t>B.鞋码</w:t></w:r></w:p>
<w:p><w:r><w:t>答案：A</w:t></w:r></w:p>
</w:body></w:document>`
	res, err := Read("", docx(t, "word/document.xml", []byte(xml)), "测验.docx")
	if err != nil {
		t.Fatal(err)
	}
	q := res.Exam.Sections[0].Questions[0]
	if res.Format != "docx" || res.Exam.Title != "前台测验" || describe(q) != "single_choice 2 a" || q.Points != 2 || q.Options[1].Text != "鞋码" {
		t.Fatalf("docx read as %s %q %s %v %+v", res.Format, res.Exam.Title, describe(q), q.Points, q.Options)
	}

	unreadable := func(src []byte, want string) {
		t.Helper()
		_, err := ReadDocx(src, "x.docx")
		var u *Unreadable
		if !errors.As(err, &u) || !strings.Contains(u.Error(), want) {
			t.Errorf("got %v, want an Unreadable saying %q", err, want)
		}
	}
	unreadable([]byte("plain text"), "not a Word file")
	unreadable(docx(t, "xl/workbook.xml", []byte("<x/>")), "no word/document.xml")
	unreadable(docx(t, "word/document.xml", []byte("<w:document><w:p>")), "not well-formed")
	// A zip bomb: 40 MB of spaces packs into a few kilobytes; it is refused
	// before it is unpacked.
	bomb := docx(t, "word/document.xml", bytes.Repeat([]byte(" "), 40<<20))
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	unreadable(bomb, "unpacks to")
}
