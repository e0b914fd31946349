// Package formats turns exam papers that recruiters already have (a pasted
// text paper, Word, a spreadsheet, Moodle GIFT and XML, QTI 2.1) into exam
// documents, and exam documents back into those formats. It is pure: bytes
// in, an exam.Document and a list of problems out, no database and no
// network (XML is read without fetching anything external). It depends on
// exam only.
//
// A reader never invents what the source does not say: a paper without a
// key yields a question without an answer, and Problems says so with the
// source line. The api package validates the result with exam.Validate and
// adds those rule breaks to Problems with the same field paths a 422 from
// POST /exams would give.
package formats

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"examd/exam"
)

// Problem is one thing the importer could not read, had to guess, or found
// missing, at Field (a JSON path into the document, "" for none) and the
// 1-based source Line (0 when no line applies). Code and Params, when set,
// name the problem in the vocabulary of exam.FieldError (the validator's
// codes, and import_* ones of the readers), so that the web app can say it
// in the recruiter's language; Message is the English sentence.
type Problem struct {
	Field   string `json:"field"`
	Line    int    `json:"line"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	Params  exam.P `json:"params,omitempty"`
}

// Result is what a reader made of a source.
type Result struct {
	Format   string
	Exam     *exam.Document
	Problems []Problem
}

// Unreadable is returned when a source cannot be read at all (not a zip,
// not XML, no question found): the api answers 422 with Problems as details.
type Unreadable struct {
	Format   string
	Problems []Problem
}

func (e *Unreadable) Error() string {
	if len(e.Problems) == 0 {
		return "formats: " + e.Format + ": unreadable"
	}
	p := e.Problems[0]
	return fmt.Sprintf("formats: %s: line %d: %s", e.Format, p.Line, p.Message)
}

// ErrUnknownFormat names a format this package has no reader or writer for.
var ErrUnknownFormat = errors.New("formats: unknown format")

// Reader reads src (name is the file name, "" for pasted text).
type Reader func(src []byte, name string) (*Result, error)

// Writer writes d, returning the bytes, the file extension (without the dot)
// and the content type.
type Writer func(d *exam.Document) (body []byte, ext, contentType string, err error)

// readers and writers: one line per format, kept here so the set is seen in
// one place.
var (
	readers = map[string]Reader{}
	writers = map[string]Writer{}
)

// Formats lists the formats that can be read, sorted.
func Formats() []string { return sortedKeys(readers) }

// ExportFormats lists the formats that can be written, sorted.
func ExportFormats() []string { return sortedKeys(writers) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Read reads src in format, or detects the format when format is "".
func Read(format string, src []byte, name string) (*Result, error) {
	if format == "" {
		format = Detect(src, name)
	}
	r, ok := readers[format]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownFormat, format)
	}
	res, err := r(src, name)
	if err != nil {
		return nil, err
	}
	res.Format = format
	return res, nil
}

// Write writes d in format.
func Write(format string, d *exam.Document) ([]byte, string, string, error) {
	w, ok := writers[format]
	if !ok {
		return nil, "", "", fmt.Errorf("%w %q", ErrUnknownFormat, format)
	}
	return w(d)
}

// Detect guesses a source's format from its file name, then from its first
// bytes; plain text is the fallback.
func Detect(src []byte, name string) string {
	lower := strings.ToLower(name)
	for _, c := range []struct{ ext, format string }{
		{".gift", "gift"}, {".xlsx", "xlsx"}, {".docx", "docx"}, {".zip", "qti"},
	} {
		if strings.HasSuffix(lower, c.ext) {
			return c.format
		}
	}
	head := src
	if len(head) > 4096 {
		head = head[:4096]
	}
	s := string(head)
	switch {
	case strings.HasPrefix(s, "PK\x03\x04"):
		// A zip: Office files name their parts; anything else is a QTI package.
		switch {
		case strings.Contains(string(src), "xl/workbook.xml"):
			return "xlsx"
		case strings.Contains(string(src), "word/document.xml"):
			return "docx"
		}
		return "qti"
	case strings.Contains(s, "<quiz"):
		return "moodle_xml"
	case strings.Contains(s, "assessmentItem") || strings.Contains(s, "assessmentTest") || strings.Contains(s, "imsqti"):
		return "qti"
	case looksLikeGIFT(s):
		return "gift"
	}
	return "text"
}

// looksLikeGIFT: GIFT questions end their stem with an answer block in
// braces, "::title::" names them, and "$CATEGORY:" groups them.
func looksLikeGIFT(s string) bool {
	if strings.Contains(s, "$CATEGORY:") || strings.HasPrefix(strings.TrimSpace(s), "::") {
		return true
	}
	return strings.Contains(s, "{=") || strings.Contains(s, "{~") || strings.Contains(s, "{T}") || strings.Contains(s, "{F}") ||
		strings.Contains(s, "{TRUE}") || strings.Contains(s, "{FALSE}")
}

// Stats counts a document's questions by type.
type Stats struct {
	Questions int            `json:"questions"`
	ByType    map[string]int `json:"by_type"`
}

// Count returns d's statistics, every type present with 0 where none.
func Count(d *exam.Document) Stats {
	st := Stats{ByType: map[string]int{exam.TypeFillIn: 0, exam.TypeTrueFalse: 0, exam.TypeSingleChoice: 0, exam.TypeMultipleChoice: 0, exam.TypeEssay: 0}}
	for _, s := range d.Sections {
		for _, q := range s.Questions {
			st.Questions++
			st.ByType[q.Type]++
		}
	}
	return st
}
