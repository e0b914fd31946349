package formats

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// xmlRefusal is XML a reader will not read, at a 1-based line.
type xmlRefusal struct {
	line int
	msg  string
}

func (e *xmlRefusal) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// nextXML is the token loop's one step for the XML readers (Moodle XML,
// QTI): the next token and the line it starts on, io.EOF at the end, and an
// *xmlRefusal for malformed XML or for a directive — a DOCTYPE could
// declare entities, so none is read.
func nextXML(dec *xml.Decoder) (xml.Token, int, error) {
	line, _ := dec.InputPos()
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, line, io.EOF
	}
	if err != nil {
		at, _ := dec.InputPos()
		return nil, at, &xmlRefusal{line: at, msg: "not well-formed XML: " + err.Error()}
	}
	if _, ok := tok.(xml.Directive); ok {
		return nil, line, &xmlRefusal{line: line, msg: "a DOCTYPE or other directive is not allowed"}
	}
	return tok, line, nil
}

// xmlEscape is the one escaper of the XML writers (Moodle XML, QTI): text
// for an element or a quoted attribute (encoding/xml escapes the quote
// too, as &#34;).
func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
