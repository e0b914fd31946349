package api

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"examd/audit"
	"examd/exam"
	"examd/internal/email"
)

// Audit log and erasure (admin).

// auditLog lists the organization's staff changes, newest first;
// ?action= (exact name) and ?actor= (a user id) filter, ?limit= (1 … 500,
// default 50) and ?cursor= page.
func (s *Server) auditLog(c echo.Context) error {
	f := audit.Filter{Action: strings.TrimSpace(c.QueryParam("action"))}
	if v := c.QueryParam("actor"); v != "" {
		if _, err := uuid.Parse(v); err != nil {
			return errBadRequest("actor must be a user id")
		}
		f.ActorID = v
	}
	return respondPage(c, func(limit int, cursor string) ([]audit.Item, string, error) {
		return audit.List(s.db.WithContext(reqCtx(c)), claims(c).Org, f, limit, cursor)
	})
}

type eraseRequest struct {
	Email string `json:"email"`
}

// eraseCandidate deletes a candidate's personal data for good.
func (s *Server) eraseCandidate(c echo.Context) error {
	var req eraseRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if !email.Valid(strings.TrimSpace(req.Email)) {
		return errValidation("erasure is not valid", exam.Problem("email", "invalid_email", nil, "must be the candidate's e-mail address, like name@example.com"))
	}
	out, err := s.grader.EraseCandidate(reqCtx(c), actor(c), req.Email)
	return respond(c, http.StatusOK, out, err)
}
