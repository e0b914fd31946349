package formats

import (
	"testing"

	"examd/exam"
)

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		src, name, want string
	}{
		{"一、单项选择题\n1. 问题\nA. 是 B. 否\n", "", "text"},
		{"::Q1:: 2 + 2 = {=4 ~3 ~5}", "", "gift"},
		{"$CATEGORY: tom\n\nWho? {=A ~B}", "", "gift"},
		{"Is the sky blue? {T}", "", "gift"},
		{`<?xml version="1.0"?><quiz><question type="truefalse"/></quiz>`, "", "moodle_xml"},
		{`<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"/>`, "", "qti"},
		{"anything", "paper.GIFT", "gift"},
		{"anything", "roster.xlsx", "xlsx"},
		{"PK\x03\x04....word/document.xml....", "", "docx"},
		{"PK\x03\x04....xl/workbook.xml....", "", "xlsx"},
		{"PK\x03\x04....imsmanifest.xml....", "", "qti"},
	} {
		if got := Detect([]byte(c.src), c.name); got != c.want {
			t.Errorf("Detect(%.30q, %q) = %q, want %q", c.src, c.name, got, c.want)
		}
	}
}

func TestReadUnknownFormat(t *testing.T) {
	if _, err := Read("pdf", []byte("x"), ""); err == nil {
		t.Fatal("an unknown format was read")
	}
	if _, _, _, err := Write("pdf", &exam.Document{}); err == nil {
		t.Fatal("an unknown format was written")
	}
}

func TestCount(t *testing.T) {
	d := &exam.Document{Sections: []exam.Section{{Questions: []exam.Question{{Type: exam.TypeEssay}, {Type: exam.TypeEssay}, {Type: exam.TypeTrueFalse}}}}}
	st := Count(d)
	if st.Questions != 3 || st.ByType[exam.TypeEssay] != 2 || st.ByType[exam.TypeTrueFalse] != 1 || st.ByType[exam.TypeFillIn] != 0 || len(st.ByType) != 5 {
		t.Errorf("Count = %+v", st)
	}
}
