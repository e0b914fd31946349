package formats

import (
	"errors"
	"strings"
	"testing"
)

// Both XML readers refuse a DOCTYPE (it could declare entities: XXE, the
// billion laughs) and malformed XML, naming the line, and read nothing.
func TestXMLReadersRefuseDirectivesAndMalformedXML(t *testing.T) {
	doctype := "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<quiz><question type=\"truefalse\"><name><text>&x;</text></name></question></quiz>\n"
	qtiDoctype := "<?xml version=\"1.0\"?>\n<!DOCTYPE assessmentItem [<!ENTITY x \"boom\">]>\n<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\"><itemBody>&x;</itemBody></assessmentItem>\n"
	for _, c := range []struct {
		format, src, want string
		line              int
	}{
		{"moodle_xml", doctype, "DOCTYPE", 2},
		{"qti", qtiDoctype, "DOCTYPE", 2},
		{"moodle_xml", "<quiz>\n<question>\n</quiz>", "not well-formed", 3},
		{"qti", "<assessmentItem xmlns=\"http://www.imsglobal.org/xsd/imsqti_v2p1\">\n<itemBody>\n</assessmentItem>", "not well-formed", 3},
	} {
		res, err := Read(c.format, []byte(c.src), "")
		var u *Unreadable
		if !errors.As(err, &u) || len(u.Problems) == 0 {
			t.Errorf("%s %q: %v, %v; want Unreadable", c.format, c.want, res, err)
			continue
		}
		if p := u.Problems[0]; !strings.Contains(p.Message, c.want) || p.Line != c.line {
			t.Errorf("%s: problem %+v, want %q at line %d", c.format, p, c.want, c.line)
		}
	}
}
