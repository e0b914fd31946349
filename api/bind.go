package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"examd/exam"
)

// bodyLimit rejects bodies over limit bytes with 413 and non-JSON bodies
// with 415 (POST /imports may also send multipart/form-data), before any
// handler reads them.
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > limit {
				return newError(http.StatusRequestEntityTooLarge, "payload_too_large",
					fmt.Sprintf("request body is %d bytes; the limit is %d", r.ContentLength, limit))
			}
			hasBody := r.ContentLength > 0 || (r.ContentLength < 0 && len(r.TransferEncoding) > 0)
			if hasBody && r.Method != http.MethodGet {
				mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
				multipartImport := mt == echo.MIMEMultipartForm && r.Method == http.MethodPost && r.URL.Path == importsPath
				if mt != echo.MIMEApplicationJSON && !multipartImport {
					return newError(http.StatusUnsupportedMediaType, "unsupported_media_type",
						"request body must be application/json")
				}
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			}
			return next(c)
		}
	}
}

// readBody reads the whole body, mapping an over-limit body to 413.
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, newError(http.StatusRequestEntityTooLarge, "payload_too_large",
			fmt.Sprintf("request body is over the limit of %d bytes", mbe.Limit))
	}
	if err != nil {
		return nil, errBadRequest("could not read the request body")
	}
	return b, nil
}

// bind decodes a JSON body of fixed shape into v: unknown fields, wrong
// JSON types, trailing data and malformed JSON are 400 with the exact
// problem.
func bind(c echo.Context, v any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(b, v)
}

// decodeStrict is the one decoder every request body goes through. After
// the shape checks (400; a body that is not UTF-8 is malformed too) it
// refuses, with 422 and the field's JSON path, any string holding NUL
// (PostgreSQL stores no U+0000, in text or jsonb) and any string of v longer
// than its `max` tag, so that nothing too long is ever hashed or stored.
func decodeStrict(b []byte, v any) error {
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return errBadRequest("request body is empty; a JSON object is expected")
	}
	if bytes.Equal(t, []byte("null")) {
		return errBadRequest("expected a JSON object, got null")
	}
	// JSON text is UTF-8 (RFC 8259). encoding/json would quietly turn bad
	// bytes in a string into U+FFFD, but raw members (an answer key, a
	// response) keep them, and PostgreSQL refuses them in jsonb.
	if !utf8.Valid(b) {
		return errBadRequest(fmt.Sprintf("request body is not valid UTF-8 (at byte %d)", invalidUTF8At(b)))
	}
	if err := decodeShape(b, v); err != nil {
		return err
	}
	if problems := nulStrings(b); len(problems) > 0 {
		return errValidation("text must not contain NUL (U+0000)", problems...)
	}
	if problems := overLong(v); len(problems) > 0 {
		return errValidation("text is too long", problems...)
	}
	return nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// bindOptional is bind for the POSTs whose body is optional (publish,
// start, submit, claim): no body at all is fine, a body that is there must
// be well-formed JSON of v's shape.
func bindOptional(c echo.Context, v any) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	return decodeStrict(b, v)
}

func decodeShape(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errBadRequest(describeJSONError(err))
	}
	if dec.More() {
		return errBadRequest("unexpected data after the JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errBadRequest("unexpected data after the JSON value")
	}
	return nil
}

func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, se.Error())
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return fmt.Sprintf("expected a JSON %s, got %s", jsonKind(te.Type.Kind().String()), te.Value)
		}
		return fmt.Sprintf("field %q must be a JSON %s, not %s", field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "malformed JSON: unexpected end of input"
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return "unknown field " + strings.TrimPrefix(msg, "json: unknown field ")
	}
	return "malformed JSON: " + strings.TrimPrefix(msg, "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	}
	return goKind
}

// nulStrings names, by JSON path, every string (member names included) of
// a well-formed body that holds U+0000. A NUL can only arrive escaped, so a
// body without the escape is passed at the cost of one scan.
func nulStrings(b []byte) []exam.FieldError {
	if !hasNULEscape(b) {
		return nil
	}
	var out []exam.FieldError
	report := func(path string) {
		if len(out) < 100 {
			out = append(out, exam.Problem(path, "contains_nul", nil, "must not contain the NUL character (U+0000)"))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tv := tok.(type) {
		case string:
			if strings.IndexByte(tv, 0) >= 0 {
				report(path)
			}
		case json.Delim:
			switch tv {
			case '{':
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return err
					}
					k, _ := kt.(string)
					if strings.IndexByte(k, 0) >= 0 {
						report(joinPath(path, strings.ReplaceAll(k, "\x00", "")))
					}
					if err := walk(joinPath(path, k)); err != nil {
						return err
					}
				}
				_, err = dec.Token()
				return err
			case '[':
				for i := 0; dec.More(); i++ {
					if err := walk(path + "[" + strconv.Itoa(i) + "]"); err != nil {
						return err
					}
				}
				_, err = dec.Token()
				return err
			}
		}
		return nil
	}
	if err := walk(""); err != nil {
		return nil // decodeShape has judged the body well-formed already
	}
	return out
}

// hasNULEscape reports whether b holds the escape \u0000 (any case), not
// preceded by a backslash that escapes the backslash itself.
func hasNULEscape(b []byte) bool {
	for i := 0; i+6 <= len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] == 'u' && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character, which may be a backslash
	}
	return false
}

func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// overLong checks the string fields of a decoded request that carry a
// `max:"n"` tag (a length in characters), recursing into structs, pointers
// and slices, and names each one over its maximum.
func overLong(v any) []exam.FieldError {
	var out []exam.FieldError
	checkLengths(reflect.ValueOf(v), "", 0, &out)
	return out
}

func checkLengths(v reflect.Value, path string, max int, out *[]exam.FieldError) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkLengths(v.Elem(), path, max, out)
		}
	case reflect.String:
		if max > 0 {
			if n := utf8.RuneCountInString(v.String()); n > max {
				*out = append(*out, exam.Problem(path, "too_long", exam.P{"max": max},
					fmt.Sprintf("is %d characters long; at most %d are allowed", n, max)))
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw JSON: judged where it is parsed
		}
		for i := 0; i < v.Len() && len(*out) < 100; i++ {
			checkLengths(v.Index(i), path+"["+strconv.Itoa(i)+"]", max, out)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				checkLengths(v.Field(i), path, 0, out)
				continue
			}
			if name == "" {
				name = f.Name
			}
			m, _ := strconv.Atoi(f.Tag.Get("max"))
			checkLengths(v.Field(i), joinPath(path, name), m, out)
		}
	}
}

// Every paginated list reads its page the same way.

// pageLimit reads ?limit= of a paginated list: 1 … 500, default 50.
func pageLimit(v string) (int, error) {
	if v == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 500 {
		return 0, errBadRequest("limit must be a whole number from 1 to 500")
	}
	return n, nil
}

// respondPage answers one page, {items, next_cursor}: read is given the ?limit=
// (pageLimit's) and the ?cursor= of the request.
func respondPage[T any](c echo.Context, read func(limit int, cursor string) ([]T, string, error)) error {
	limit, err := pageLimit(c.QueryParam("limit"))
	if err != nil {
		return err
	}
	items, next, err := read(limit, c.QueryParam("cursor"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "next_cursor": nullIfEmpty(next)})
}

// asksForPage tells a list that answers every item at once from a request for
// one page of them (?limit= or ?cursor=).
func asksForPage(c echo.Context) bool {
	qp := c.QueryParams()
	return qp.Has("limit") || qp.Has("cursor")
}

// nullIfEmpty is next_cursor as the contract writes it: null on the last page.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
