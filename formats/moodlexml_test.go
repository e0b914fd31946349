package formats

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"examd/exam"
)

func TestMoodleXMLNestedCategoriesSample(t *testing.T) {
	res := detectedSample(t, "testdata/moodle-nested-categories.xml", "moodle_xml")
	d := res.Exam
	var titles []string
	for _, s := range d.Sections {
		titles = append(titles, s.Title)
	}
	if want := []string{"Lobby", "Lobby/Night", "Lobby/Night/Audit", "Lobby/Desk"}; !reflect.DeepEqual(titles, want) {
		t.Fatalf("sections %q, want %q", titles, want)
	}
	tf := d.Sections[0].Questions[0]
	if tf.Type != exam.TypeTrueFalse || tf.Prompt != "<p>The lobby lights stay on all night</p>" || string(tf.Answer) != "true" || tf.Points != 1 {
		t.Errorf("true/false %+v", tf)
	}
	night := d.Sections[1].Questions
	if len(night) != 2 || night[0].Type != exam.TypeEssay || night[0].Prompt != "Describe your first hour on the night shift" || night[0].Points != 1 {
		t.Errorf("night section %+v", night)
	}
	if st := Count(d); st.Questions != 5 || st.ByType[exam.TypeTrueFalse] != 4 {
		t.Errorf("stats %+v", st)
	}
	if !sayProblems(res.Problems, 0, "tracks", "rubrics") {
		t.Errorf("problems %+v", res.Problems)
	}
}

func TestMoodleXMLExportImport(t *testing.T) {
	d := everyTypeDocument()
	// Moodle's general feedback and tags hold an explanation and tags.
	d.Sections[0].Questions[0].Explanation = "<前台> & 解析"
	d.Sections[0].Questions[0].Tags = []string{"服务礼仪", "front & back"}
	body, ext, ctype, err := Write("moodle_xml", d)
	if err != nil || ext != "xml" || ctype != "application/xml; charset=utf-8" {
		t.Fatalf("Write: %v %q %q", err, ext, ctype)
	}
	res, err := Read("", body, "")
	if err != nil || res.Format != "moodle_xml" {
		t.Fatalf("Read: %v %v\n%s", err, res, body)
	}
	got := res.Exam
	checkRoundTrip(t, "Moodle XML", got, d, true, string(body))
	if fi := got.Sections[1].Questions[1]; !reflect.DeepEqual(fi.Blanks, d.Sections[1].Questions[1].Blanks) {
		t.Errorf("blanks %+v", fi.Blanks)
	}
	if q := got.Sections[0].Questions[0]; q.Explanation != "<前台> & 解析" || !reflect.DeepEqual(q.Tags, []string{"服务礼仪", "front & back"}) {
		t.Errorf("explanation %q and tags %q did not survive", q.Explanation, q.Tags)
	}
	if es := got.Sections[1].Questions[2]; es.ReferenceAnswer != "Calm." {
		t.Errorf("the reference answer did not survive: %+v", es)
	}
	for _, w := range []string{"tracks", "rubrics", "exam settings"} {
		if !sayProblems(res.Problems, 0, w) {
			t.Errorf("problems do not say Moodle XML dropped %s: %+v", w, res.Problems)
		}
	}
}

func TestMoodleXMLRefusesWhatItCannotRead(t *testing.T) {
	for _, src := range []string{
		"<quiz><question type=\"truefalse\">",
		`<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz><question type="essay"><questiontext><text>&x;</text></questiontext></question></quiz>`,
		`<quiz><question type="matching"><questiontext><text>x</text></questiontext></question></quiz>`,
		`<notquiz/>`,
	} {
		assertUnreadable(t, "moodle_xml", fmt.Sprintf("Read(%.50q)", src), []byte(src))
	}
	res, err := Read("moodle_xml", []byte(`<quiz>
<question type="multichoice"><questiontext><text>Pick</text></questiontext><defaultgrade>3</defaultgrade><single>false</single>
<answer fraction="50"><text>a</text><feedback><text>yes</text></feedback></answer><answer fraction="-100"><text>b</text></answer><answer fraction="50"><text>c</text></answer></question>
<question type="numerical"><questiontext><text>n</text></questiontext></question>
</quiz>`), "")
	if err != nil {
		t.Fatal(err)
	}
	q := res.Exam.Sections[0].Questions[0]
	if q.Type != exam.TypeMultipleChoice || strings.Join(q.Answers, ",") != "a,c" || q.Scoring == nil || q.Scoring.PerCorrect != 1.5 {
		t.Errorf("multiple answer %+v", q)
	}
	if !sayProblems(res.Problems, 4, "numerical") || !sayProblems(res.Problems, 2, "feedback") {
		t.Errorf("problems %+v", res.Problems)
	}
}
