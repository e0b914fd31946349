package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"examd/exam"
)

// decodeDocument reads an exam document strictly (400 for malformed JSON,
// unknown fields or wrong types), then validates it (422 listing every
// problem) and fills defaults.
func decodeDocument(c echo.Context) (*exam.Document, error) {
	var d exam.Document
	if err := bind(c, &d); err != nil {
		return nil, err
	}
	if err := exam.Validate(&d); err != nil {
		return nil, err
	}
	d.Normalize()
	return &d, nil
}

func (s *Server) createExam(c echo.Context) error {
	d, err := decodeDocument(c)
	if err != nil {
		return err
	}
	cl := claims(c)
	e, err := s.exams.Create(reqCtx(c), cl.Org, cl.Subject, d)
	return respond(c, http.StatusCreated, e, err)
}

// listExams: every exam of the organization, newest first, or with
// ?limit= or ?cursor= one page of them, {items, next_cursor}.
func (s *Server) listExams(c echo.Context) error {
	if asksForPage(c) {
		return respondPage(c, func(limit int, cursor string) ([]exam.Summary, string, error) {
			return s.exams.ListPage(reqCtx(c), claims(c).Org, limit, cursor)
		})
	}
	items, err := s.exams.List(reqCtx(c), claims(c).Org)
	return respond(c, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) publishExam(c echo.Context) error {
	if err := bindOptional(c, &struct{}{}); err != nil {
		return err
	}
	cl := claims(c)
	p, err := s.exams.Publish(reqCtx(c), cl.Org, c.Param("id"), cl.Subject)
	return respond(c, http.StatusCreated, p, err)
}

func versionParam(c echo.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return 0, errNotFound("version")
	}
	return n, nil
}

func (s *Server) getVersion(c echo.Context) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	v, err := s.exams.GetVersion(reqCtx(c), claims(c).Org, c.Param("id"), n)
	return respond(c, http.StatusOK, v, err)
}

// createInvitations takes one invitation object (→ the invitation) or a
// JSON array of them (→ {items}), all or none.
func (s *Server) createInvitations(c echo.Context) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	var list []exam.NewInvitation
	isList := strings.HasPrefix(strings.TrimSpace(string(b)), "[")
	if isList {
		err = decodeStrict(b, &list)
	} else {
		var one exam.NewInvitation
		err = decodeStrict(b, &one)
		list = []exam.NewInvitation{one}
	}
	if err != nil {
		return err
	}
	if len(list) > 1000 {
		return errValidation("too many invitations", exam.Problem("", "too_many", exam.P{"max": 1000}, "at most 1000 invitations at once"))
	}
	if s.cfg.SMTPURL == nil || s.cfg.MailFrom == "" {
		var p []exam.FieldError
		for i, n := range list {
			if n.SendEmail {
				f := "send_email"
				if isList {
					f = fmt.Sprintf("[%d].send_email", i)
				}
				p = append(p, exam.FieldError{Field: f, Code: "email_not_configured", Message: "this server sends no e-mail (SMTP_URL and MAIL_FROM are not set)"})
			}
		}
		if len(p) > 0 {
			return errValidation("invitation is not valid", p...)
		}
	}
	cl := claims(c)
	out, err := s.exams.Invite(reqCtx(c), cl.Org, cl.Subject, c.Param("id"), list, isList, s.cfg.PublicURL)
	if err != nil {
		return err
	}
	if isList {
		return c.JSON(http.StatusCreated, map[string]any{"items": out})
	}
	return c.JSON(http.StatusCreated, out[0])
}

// listInvitations: the v1 list of every invitation, or with ?limit= or
// ?cursor= one page of them, {items, next_cursor}.
func (s *Server) listInvitations(c echo.Context) error {
	if asksForPage(c) {
		return respondPage(c, func(limit int, cursor string) ([]exam.Invitation, string, error) {
			return s.exams.InvitationsPage(reqCtx(c), claims(c).Org, c.Param("id"), limit, cursor)
		})
	}
	items, err := s.exams.Invitations(reqCtx(c), claims(c).Org, c.Param("id"))
	return respond(c, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) revokeInvitation(c echo.Context) error {
	if err := s.exams.Revoke(reqCtx(c), actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
