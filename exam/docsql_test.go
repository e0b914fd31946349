package exam

import (
	"reflect"
	"strings"
	"testing"
)

// The JSON paths grading and notify read in SQL (docsql.go) must be the names
// encoding/json gives the fields they mean: renaming a tag without the path
// would make those queries read null (a pass mark of 0, no rubric) silently.
func TestDocumentSQLPathsMatchTheJSONTags(t *testing.T) {
	for _, c := range []struct {
		typ   reflect.Type
		field string
		path  string
	}{
		{reflect.TypeOf(Document{}), "Title", jsonTitle},
		{reflect.TypeOf(Document{}), "TimeLimitSeconds", jsonTimeLimitSeconds},
		{reflect.TypeOf(Document{}), "PositionID", jsonPositionID},
		{reflect.TypeOf(Document{}), "PassScore", jsonPassScore},
		{reflect.TypeOf(Document{}), "ShowScoreToCandidate", jsonShowScoreToCandidate},
		{reflect.TypeOf(Document{}), "Sections", jsonSections},
		{reflect.TypeOf(Section{}), "Questions", jsonQuestions},
		{reflect.TypeOf(Section{}), "Pool", jsonPool},
		{reflect.TypeOf(Question{}), "ID", jsonID},
		{reflect.TypeOf(Question{}), "Rubric", jsonRubric},
	} {
		f, ok := c.typ.FieldByName(c.field)
		if !ok {
			t.Errorf("%s has no field %s, which the SQL path %q reads", c.typ.Name(), c.field, c.path)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != c.path {
			t.Errorf("%s.%s is encoded as %q, but the SQL of grading and notify reads %q (exam/docsql.go)", c.typ.Name(), c.field, name, c.path)
		}
	}
}
