package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"examd/exam"
)

func (s *Server) candidateSession(c echo.Context) error {
	var req struct {
		Token string `json:"token"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	addr := c.RealIP()
	blocked, wait, err := s.limiter.Check(ctx(c), tokenPerAddr, addr)
	if err != nil {
		return err
	}
	if blocked {
		return s.rateLimited(wait.Seconds())
	}
	if req.Token == "" {
		return errValidation("session is not valid", exam.FieldError{Field: "token", Message: "must not be empty"})
	}
	info, err := s.exams.OpenSession(ctx(c), req.Token)
	if errors.Is(err, exam.ErrInvalidToken) {
		if rerr := s.limiter.Record(ctx(c), tokenPerAddr.Scope, addr); rerr != nil {
			return rerr
		}
	}
	if err != nil {
		return err
	}
	inv := info.Invitation
	ttl := time.Until(info.TokenExpires)
	tok, err := s.tokens.Sign(inv.ID, roleCandidate, inv.OrgID, audCandidate, ttl)
	if err != nil {
		return err
	}
	n, max := info.Exam.TrackSummary(inv.Track)
	return c.JSON(http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "Bearer", "expires_in": int(ttl.Seconds()),
		"invitation": map[string]any{"id": inv.ID, "candidate_name": inv.CandidateName, "status": inv.Status, "track": inv.Track},
		"exam": map[string]any{"title": info.Exam.Title, "description": info.Exam.Description,
			"time_limit_seconds": info.Exam.TimeLimitSeconds, "grace_seconds": info.Exam.Grace(),
			"question_count": n, "max_score": max},
	})
}

func (s *Server) startAttempt(c echo.Context) error {
	a, created, err := s.exams.Start(ctx(c), claims(c).Subject)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return attemptJSON(c, status, a)
}

// attemptJSON writes an attempt with its own encoder: most of it is JSON
// already, which c.JSON would check again byte by byte.
func attemptJSON(c echo.Context, status int, a *exam.Attempt) error {
	b, err := a.MarshalJSON()
	if err != nil {
		return err
	}
	// With its length known, the body goes out in one write, not chunked.
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.JSONBlob(status, b)
}

func (s *Server) getAttempt(c echo.Context) error {
	a, err := s.exams.CandidateAttempt(ctx(c), claims(c).Subject)
	if err != nil {
		return err
	}
	return attemptJSON(c, http.StatusOK, a)
}

func (s *Server) saveAnswer(c echo.Context) error {
	var req struct {
		Response json.RawMessage `json:"response"`
		Seq      *float64        `json:"seq"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	var problems []exam.FieldError
	if req.Seq == nil {
		problems = append(problems, exam.FieldError{Field: "seq", Message: "is required: a positive integer raised with every change"})
	} else if *req.Seq < 1 || *req.Seq != float64(int64(*req.Seq)) || *req.Seq > 1<<53 {
		problems = append(problems, exam.FieldError{Field: "seq", Message: "must be a positive integer"})
	}
	if len(req.Response) == 0 {
		problems = append(problems, exam.FieldError{Field: "response", Message: "is required"})
	}
	if len(problems) > 0 {
		return errValidation("answer is not valid", problems...)
	}
	res, err := s.exams.Save(ctx(c), claims(c).Subject, c.Param("question_id"), req.Response, int64(*req.Seq))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) submitAttempt(c echo.Context) error {
	res, err := s.exams.Submit(ctx(c), claims(c).Subject)
	if err != nil {
		return err
	}
	body := map[string]any{"status": res.Status, "submitted_at": res.SubmittedAt}
	if !res.ShowScore {
		return c.JSON(http.StatusOK, body)
	}
	if score, max, ok, err := s.grader.VisibleScore(ctx(c), res.AttemptID); err != nil {
		return err
	} else if ok {
		body["score"], body["max_score"] = score, max
	}
	return c.JSON(http.StatusOK, body)
}

func (s *Server) recordEvent(c echo.Context) error {
	var req struct {
		Type string     `json:"type"`
		At   *time.Time `json:"at"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	ok := false
	for _, t := range exam.EventTypes {
		if req.Type == t {
			ok = true
		}
	}
	if !ok {
		return errValidation("event is not valid", exam.FieldError{Field: "type", Message: "must be one of blur, focus, paste, copy, fullscreen_exit"})
	}
	if err := s.exams.RecordEvent(ctx(c), claims(c).Subject, req.Type, req.At, c.RealIP()); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
