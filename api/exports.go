package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"examd/exam"
	"examd/formats"
)

// exportExam sends the draft of an exam as a file in ?format=.
func (s *Server) exportExam(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	e, err := s.exams.Get(ctx(c), claims(c).Org, c.Param("id"))
	if err != nil {
		return err
	}
	return sendExport(c, format, &e.Document, "")
}

// exportVersion sends frozen version n of an exam (keys as amended).
func (s *Server) exportVersion(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	v, err := s.exams.GetVersion(ctx(c), claims(c).Org, c.Param("id"), n)
	if err != nil {
		return err
	}
	return sendExport(c, format, &v.Exam, "-v"+c.Param("n"))
}

// exportFormat is ?format=, one of the formats this build can write.
func exportFormat(c echo.Context) (string, error) {
	f := c.QueryParam("format")
	known := formats.ExportFormats()
	if f == "" {
		return "", errBadRequest("format is required: one of " + strings.Join(known, ", "))
	}
	for _, k := range known {
		if k == f {
			return f, nil
		}
	}
	return "", errBadRequest("unknown export format " + quoteShort(f) + ": use one of " + strings.Join(known, ", "))
}

func quoteShort(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func sendExport(c echo.Context, format string, d *exam.Document, suffix string) error {
	body, ext, ctype, err := formats.Write(format, d)
	if errors.Is(err, formats.ErrUnknownFormat) {
		return errBadRequest("unknown export format " + quoteShort(format))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, exportDisposition(d.Title, suffix, ext))
	return c.Blob(http.StatusOK, ctype, body)
}

// exportDisposition names the file after the exam's title (RFC 6266): an
// ASCII fallback in filename and the title itself in filename*.
func exportDisposition(title, suffix, ext string) string {
	var full, ascii strings.Builder
	for _, r := range strings.TrimSpace(title) {
		if full.Len() > 150 {
			break
		}
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r):
			full.WriteRune('_')
			ascii.WriteRune('_')
		case r < 0x80:
			full.WriteRune(r)
			ascii.WriteRune(r)
		default:
			full.WriteRune(r)
		}
	}
	name := strings.TrimSpace(full.String())
	if name == "" {
		name = "exam"
	}
	fallback := strings.Join(strings.Fields(ascii.String()), " ")
	if strings.Trim(fallback, " _-") == "" {
		fallback = "exam"
	}
	return `attachment; filename="` + fallback + suffix + "." + ext + `"; filename*=UTF-8''` + rfc5987(name+suffix+"."+ext)
}
