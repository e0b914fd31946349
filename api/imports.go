package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"examd/exam"
	"examd/formats"
)

// importsPath is the one route whose body may be multipart/form-data.
const importsPath = "/api/v1/imports"

type importRequest struct {
	Format        string  `json:"format" max:"32"`
	Content       *string `json:"content"`
	ContentBase64 *string `json:"content_base64"`
}

type importResponse struct {
	Format   string            `json:"format"`
	Exam     *exam.Document    `json:"exam"`
	Problems []formats.Problem `json:"problems"`
	Stats    formats.Stats     `json:"stats"`
}

// importExam reads a paper the recruiter already has into an exam document
// for the editor. Nothing is stored.
func (s *Server) importExam(c echo.Context) error {
	format, src, name, part, err := importSource(c)
	if err != nil {
		return err
	}
	if format != "" && !knownFormat(format) {
		return errValidation("unknown import format", exam.FieldError{Field: "format", Code: "invalid_value",
			Params: exam.P{"allowed": formats.Formats()}, Message: fmt.Sprintf("unknown format %q; use one of %s", short(format), strings.Join(formats.Formats(), ", "))})
	}
	res, err := formats.Read(format, src, name)
	if err != nil {
		var u *formats.Unreadable
		if errors.As(err, &u) {
			details := make([]exam.FieldError, 0, len(u.Problems))
			for _, p := range u.Problems {
				msg := p.Message
				if p.Line > 0 {
					msg = fmt.Sprintf("line %d: %s", p.Line, p.Message)
				}
				details = append(details, exam.FieldError{Field: part, Code: "unreadable", Params: exam.P{"format": u.Format, "line": p.Line}, Message: msg})
			}
			return errValidation(fmt.Sprintf("the %s source cannot be read", u.Format), details...)
		}
		if errors.Is(err, formats.ErrUnknownFormat) {
			return errValidation("unknown import format", exam.FieldError{Field: "format", Code: "invalid_value",
				Params: exam.P{"allowed": formats.Formats()}, Message: err.Error()})
		}
		return err
	}
	problems := append([]formats.Problem{}, res.Problems...)
	var ve *exam.ValidationError
	if err := exam.Validate(res.Exam); errors.As(err, &ve) {
		for _, p := range ve.Problems {
			problems = append(problems, formats.Problem{Field: p.Field, Line: 0, Code: p.Code, Message: p.Message, Params: p.Params})
		}
	}
	return c.JSON(http.StatusOK, importResponse{Format: res.Format, Exam: res.Exam, Problems: problems, Stats: formats.Count(res.Exam)})
}

// importSource returns the format asked for, the bytes, the file name and
// the name of the part that carried them (for error details).
func importSource(c echo.Context) (format string, src []byte, name, part string, err error) {
	r := c.Request()
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if mt == echo.MIMEMultipartForm {
		if err := r.ParseMultipartForm(4 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return "", nil, "", "", newError(http.StatusRequestEntityTooLarge, "payload_too_large",
					fmt.Sprintf("request body is over the limit of %d bytes", mbe.Limit))
			}
			return "", nil, "", "", errBadRequest("malformed multipart/form-data body: " + err.Error())
		}
		fh, err := c.FormFile("file")
		if err != nil {
			return "", nil, "", "", errValidation("no file to import", exam.FieldError{Field: "file", Code: "required", Message: "a multipart body needs a file part named \"file\""})
		}
		f, err := fh.Open()
		if err != nil {
			return "", nil, "", "", errBadRequest("the file part cannot be read")
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return "", nil, "", "", errBadRequest("the file part cannot be read")
		}
		return strings.TrimSpace(r.FormValue("format")), b, fh.Filename, "file", nil
	}
	var req importRequest
	if err := bind(c, &req); err != nil {
		return "", nil, "", "", err
	}
	switch {
	case req.Content != nil && req.ContentBase64 != nil:
		return "", nil, "", "", errValidation("give the source once", exam.FieldError{Field: "content_base64", Code: "invalid_value",
			Params: exam.P{"allowed": []string{"content", "content_base64"}}, Message: "give content (text) or content_base64 (binary), not both"})
	case req.Content != nil:
		if strings.TrimSpace(*req.Content) == "" {
			return "", nil, "", "", errValidation("nothing to import", exam.FieldError{Field: "content", Code: "required", Message: "is empty"})
		}
		return req.Format, []byte(*req.Content), "", "content", nil
	case req.ContentBase64 != nil:
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(*req.ContentBase64))
		if err != nil {
			return "", nil, "", "", errValidation("content_base64 is not base64", exam.FieldError{Field: "content_base64", Code: "wrong_type",
				Params: exam.P{"expected": "base64"}, Message: "is not standard base64: " + err.Error()})
		}
		if len(b) == 0 {
			return "", nil, "", "", errValidation("nothing to import", exam.FieldError{Field: "content_base64", Code: "required", Message: "is empty"})
		}
		return req.Format, b, "", "content_base64", nil
	}
	return "", nil, "", "", errValidation("nothing to import", exam.FieldError{Field: "content", Code: "required", Message: "give content (text) or content_base64 (binary)"})
}

func knownFormat(f string) bool {
	for _, k := range formats.Formats() {
		if k == f {
			return true
		}
	}
	return false
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
