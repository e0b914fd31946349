package api

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"examd/audit"
	"examd/exam"
)

// Links and accommodations (invitations: admin, recruiter; reopen: admin).

// actor is the caller as the audit log records them.
func actor(c echo.Context) audit.Actor {
	cl := claims(c)
	return audit.Actor{OrgID: cl.Org, UserID: cl.Subject, Role: cl.Role}
}

// noBody accepts an empty body or an empty JSON object ({} or null is
// what a client sending "nothing" as JSON writes); anything else is 400.
func noBody(c echo.Context) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var v struct{}
	return decodeStrict(b, &v)
}

// newLink: POST /invitations/{id}/link → a fresh token; the old one dies.
func (s *Server) newLink(c echo.Context) error {
	if err := noBody(c); err != nil {
		return err
	}
	l, err := s.exams.IssueLink(reqCtx(c), actor(c), c.Param("id"), s.cfg.PublicURL)
	return respond(c, http.StatusOK, l, err)
}

// patchInvitation: PATCH /invitations/{id} {extra_time_seconds?, closes_at?}.
// closes_at null removes the closing time; absent leaves it.
func (s *Server) patchInvitation(c echo.Context) error {
	var req struct {
		ExtraTimeSeconds *float64        `json:"extra_time_seconds"`
		ClosesAt         json.RawMessage `json:"closes_at"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	var p exam.InvitationPatch
	var problems []exam.FieldError
	if req.ExtraTimeSeconds != nil {
		v := *req.ExtraTimeSeconds
		if v != math.Trunc(v) || v < 0 || v > exam.MaxExtraTimeSeconds {
			problems = append(problems, exam.Problem("extra_time_seconds", "out_of_range", exam.P{"min": 0, "max": exam.MaxExtraTimeSeconds},
				"must be a whole number of seconds from 0 to 604800 (a week)"))
		} else {
			n := int(v)
			p.ExtraTimeSeconds = &n
		}
	}
	if req.ClosesAt != nil {
		p.ClosesAtSet = true
		if string(bytes.TrimSpace(req.ClosesAt)) != "null" {
			var str string
			if err := json.Unmarshal(req.ClosesAt, &str); err != nil {
				return errBadRequest("closes_at must be a string (an RFC 3339 time) or null")
			}
			t, err := time.Parse(time.RFC3339, str)
			if err != nil {
				problems = append(problems, exam.Problem("closes_at", "invalid_time", nil, "must be an RFC 3339 time such as 2026-12-01T18:00:00Z"))
			} else {
				p.ClosesAt = &t
			}
		}
	}
	if req.ExtraTimeSeconds == nil && req.ClosesAt == nil {
		problems = append(problems, exam.Problem("", "required", nil, "send extra_time_seconds, closes_at or both"))
	}
	if len(problems) > 0 {
		return errValidation("invitation change is not valid", problems...)
	}
	inv, err := s.exams.UpdateInvitation(reqCtx(c), actor(c), c.Param("id"), p)
	return respond(c, http.StatusOK, inv, err)
}

// reopenAttempt: POST /attempts/{id}/reopen {extra_seconds, reason} (admin).
func (s *Server) reopenAttempt(c echo.Context) error {
	var req struct {
		ExtraSeconds *float64 `json:"extra_seconds"`
		Reason       string   `json:"reason"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	extra := 0
	if req.ExtraSeconds == nil {
		return errValidation("reopen is not valid", exam.Problem("extra_seconds", "required", nil, "is required: the seconds the candidate gets from now"))
	} else if v := *req.ExtraSeconds; v != math.Trunc(v) || v < 1 || v > exam.MaxExtraTimeSeconds {
		return errValidation("reopen is not valid", exam.Problem("extra_seconds", "out_of_range", exam.P{"min": 1, "max": exam.MaxExtraTimeSeconds}, "must be a whole number of seconds from 1 to 604800 (a week)"))
	} else {
		extra = int(v)
	}
	d, err := s.grader.Reopen(reqCtx(c), actor(c), c.Param("id"), extra, req.Reason)
	return respond(c, http.StatusOK, d, err)
}
