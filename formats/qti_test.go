package formats

import (
	"archive/zip"
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"examd/exam"
)

func TestQTIChoiceMultipleSample(t *testing.T) {
	res := detectedSample(t, "testdata/qti-choice-multiple.xml", "qti")
	q := res.Exam.Sections[0].Questions[0]
	if q.Type != exam.TypeMultipleChoice || q.Prompt != "Which of the following are served at the breakfast buffet?" ||
		!reflect.DeepEqual(q.Answers, []string{"a", "d"}) || len(q.Options) != 6 || q.Options[3].Text != "Porridge" || q.MaxPoints() != 2 {
		t.Errorf("choice %+v", q)
	}
}

func TestQTITextEntrySample(t *testing.T) {
	res := readSample(t, "", "testdata/qti-text-entry.xml")
	q := res.Exam.Sections[0].Questions[0]
	want := "Name the missing room in this line from the hotel's house rules for new staff.\nGuests who arrive after midnight\nAre met by the night clerk in the {{1}};\nAnd every key that leaves the desk at night\nIs written in the log before morning."
	if q.Type != exam.TypeFillIn || q.Prompt != want {
		t.Errorf("prompt %q, want %q", q.Prompt, want)
	}
	if !reflect.DeepEqual(q.Blanks, []exam.Blank{{Accepted: []string{"Lobby", "lobby"}, Points: 1}}) {
		t.Errorf("blanks %+v", q.Blanks)
	}
	if err := exam.Validate(&exam.Document{Title: "t", TimeLimitSeconds: 60, Sections: []exam.Section{{Title: "s", Questions: []exam.Question{q}}}}); err != nil {
		t.Errorf("invalid: %v", err)
	}
}

func zipFiles(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	zw.Close()
	return buf.Bytes()
}

func TestQTIPackageWithTest(t *testing.T) {
	mc, _ := os.ReadFile("testdata/qti-choice-multiple.xml")
	te, _ := os.ReadFile("testdata/qti-text-entry.xml")
	pkg := zipFiles(t, map[string]string{
		"imsmanifest.xml": `<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><resources>
<resource identifier="t" type="imsqti_test_xmlv2p1" href="test.xml"/>
<resource identifier="i1" type="imsqti_item_xmlv2p1" href="items/mc.xml"/>
<resource identifier="i2" type="imsqti_item_xmlv2p1" href="items/te.xml"/></resources></manifest>`,
		"test.xml": `<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="Front desk test"><testPart identifier="p" navigationMode="linear" submissionMode="individual">
<assessmentSection identifier="s1" title="Words" visible="true"><assessmentItemRef identifier="a" href="items/te.xml"/></assessmentSection>
<assessmentSection identifier="s2" title="Food" visible="true"><assessmentItemRef identifier="b" href="items/mc.xml"/></assessmentSection>
</testPart></assessmentTest>`,
		"items/mc.xml": string(mc), "items/te.xml": string(te),
	})
	res, err := Read("", pkg, "desk.zip")
	if err != nil {
		t.Fatal(err)
	}
	d := res.Exam
	if d.Title != "Front desk test" || len(d.Sections) != 2 || d.Sections[0].Title != "Words" || d.Sections[1].Questions[0].Type != exam.TypeMultipleChoice {
		t.Errorf("package read as %+v", d)
	}
}

func TestQTIRefusesBombsAndEscapes(t *testing.T) {
	huge := zipFiles(t, map[string]string{"item.xml": "<assessmentItem>" + strings.Repeat(" ", qtiMaxPartBytes+10) + "</assessmentItem>"})
	escape := zipFiles(t, map[string]string{"imsmanifest.xml": "<manifest/>", "test.xml": `<assessmentTest><testPart><assessmentSection title="s"><assessmentItemRef href="../../etc/item.xml"/></assessmentSection></testPart></assessmentTest>`})
	dtd := `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://example.org/">]><assessmentItem><itemBody>&e;</itemBody></assessmentItem>`
	for name, src := range map[string][]byte{"oversized part": huge, "path traversal": escape, "DTD": []byte(dtd), "not a zip": []byte("PK\x03\x04broken"), "no item": []byte("<assessmentTest/>")} {
		assertUnreadable(t, "qti", name, src)
	}
}

func TestQTIExportImport(t *testing.T) {
	d := everyTypeDocument()
	body, ext, ctype, err := Write("qti", d)
	if err != nil || ext != "zip" || ctype != "application/zip" {
		t.Fatalf("Write: %v %q %q", err, ext, ctype)
	}
	res, err := Read("", body, "export.zip")
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	got := res.Exam
	if got.Title != d.Title || len(got.Sections) != 2 {
		t.Fatalf("document %+v", got)
	}
	// The export is a zip: nothing to show of it beside a wrong question.
	checkRoundTrip(t, "QTI", got, d, false, "")
	if b := got.Sections[1].Questions[1].Blanks; !reflect.DeepEqual(b, d.Sections[1].Questions[1].Blanks) {
		t.Errorf("blanks %+v", b)
	}
	for _, w := range []string{"tracks", "rubrics", "reference answers"} {
		if !sayProblems(res.Problems, 0, w) {
			t.Errorf("problems do not say QTI dropped %s: %+v", w, res.Problems)
		}
	}
}
