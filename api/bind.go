package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// bodyLimit rejects bodies over limit bytes with 413 and non-JSON bodies
// with 415, before any handler reads them.
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
				if mt != echo.MIMEApplicationJSON {
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

func decodeStrict(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errBadRequest("request body is empty; a JSON object is expected")
	}
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
