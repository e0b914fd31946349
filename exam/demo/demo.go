// Package demo holds the demonstration data that `examd seed-demo` loads: the
// 客户服务经理 interview exam transcribed from a real Chinese page of job
// descriptions that carried it (kept outside this repository), the name of the
// organization that owns it, and notes on what the transcription had to add
// (the source gives no keys for its objective questions), and the two
// positions (岗位) of that page the exam serves: 客户服务经理 and 客户服务主管,
// whose responsibilities and requirements were condensed from it. Every
// question carries competency tags, so the seeded bank (a copy of the exam's
// questions) can be searched and drawn from by tag.
//
// The data is embedded, so the binary needs no file at run time, and it is
// checked by the same exam.Validate as any recruiter's document: a demo that
// the API would refuse fails Load, and the package's tests, instead.
package demo

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"examd/bank"
	"examd/exam"
)

// fileName is the embedded file, named in errors.
const fileName = "customer-service-manager.zh.json"

//go:embed customer-service-manager.zh.json
var raw []byte

// Data is the demo: an exam document exactly as the body of
// POST /api/v1/exams (without ids), the organization it is created in, and
// notes for whoever reads the data file.
type Data struct {
	Notes        []string      `json:"notes"`
	Organization string        `json:"organization"`
	Exam         exam.Document `json:"exam"`
	// Positions are created before the exam; the first is the exam's own.
	Positions []bank.PositionInput `json:"positions"`
}

// Load decodes the embedded demo, validates its exam and returns it
// normalized (defaults filled in, as a frozen version would store it). Each
// call returns a fresh copy that the caller may change. An error means the
// embedded file is broken; a *exam.ValidationError can be reached with
// errors.As.
func Load() (*Data, error) {
	return decode(raw)
}

// decode is strict, like the API's binding: invalid UTF-8 (which
// encoding/json would silently turn into U+FFFD), unknown fields, values of
// the wrong JSON type and anything after the object are errors.
func decode(b []byte) (*Data, error) {
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("demo: %s is not valid UTF-8", fileName)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Data
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("demo: decode %s: %w", fileName, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("demo: %s has data after its JSON object", fileName)
	}
	if err := exam.Validate(&d.Exam); err != nil {
		return nil, fmt.Errorf("demo: the exam in %s: %w", fileName, err)
	}
	if len(d.Positions) == 0 {
		return nil, fmt.Errorf("demo: %s has no positions", fileName)
	}
	for i := range d.Positions {
		if p := d.Positions[i].Validate(); len(p) > 0 {
			return nil, fmt.Errorf("demo: positions[%d] in %s: %w", i, fileName, &exam.ValidationError{Problems: p})
		}
	}
	d.Exam.Normalize()
	return &d, nil
}
