package api

import (
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"examd/exam"
)

func (s *Server) candidateSession(c echo.Context) error {
	var req struct {
		Token string `json:"token" max:"200"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	addr := c.RealIP()
	blocked, wait, err := s.limiter.Check(reqCtx(c), tokenPerAddr, addr)
	if err != nil {
		return err
	}
	if blocked {
		return s.rateLimited(wait.Seconds())
	}
	if req.Token == "" {
		return errValidation("session is not valid", exam.Problem("token", "required", nil, "must not be empty"))
	}
	info, err := s.exams.OpenSession(reqCtx(c), req.Token)
	if errors.Is(err, exam.ErrInvalidToken) {
		if rerr := s.limiter.Record(reqCtx(c), tokenPerAddr.Scope, addr); rerr != nil {
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
	if err := bindOptional(c, &struct{}{}); err != nil {
		return err
	}
	a, created, err := s.exams.StartAttempt(reqCtx(c), claims(c).Subject)
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
	return jsonBlob(c, status, b)
}

// jsonBlob writes b, JSON already, with its length known, so the body goes
// out in one write, not chunked.
func jsonBlob(c echo.Context, status int, b []byte) error {
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.JSONBlob(status, b)
}

func (s *Server) getAttempt(c echo.Context) error {
	// A resume may be conditional: the ETag covers everything the body
	// says but the server's clock, so a client whose copy still stands
	// gets a 304 without the (mostly frozen) view, and the store then
	// reads only a summary of the answers. Any save, submission,
	// deadline move or grading changes it; the clock goes in a header so
	// a 304 can still set the countdown.
	var known func(string) bool
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" {
		known = func(tag string) bool { return etagMatches(inm, quoteTag(tag)) }
	}
	a, unchanged, err := s.exams.CandidateAttemptUnless(reqCtx(c), claims(c).Subject, known)
	if err != nil {
		return err
	}
	tag := quoteTag(a.Tag)
	h := c.Response().Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Server-Time", a.ServerTime.UTC().Format(time.RFC3339Nano))
	if unchanged || known != nil && known(a.Tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return attemptJSON(c, http.StatusOK, a)
}

// quoteTag makes an attempt's tag an entity tag.
func quoteTag(t string) string { return `"` + t + `"` }

// etagMatches reports whether an If-None-Match header names tag (or is *).
// Weak comparison, as RFC 9110 asks for If-None-Match.
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

func (s *Server) saveAnswer(c echo.Context) error {
	var req struct {
		Response json.RawMessage `json:"response"`
		// Raw, so that a seq past float64's exact integers is judged as
		// written rather than rounded by the decoder.
		Seq json.RawMessage `json:"seq"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	var problems []exam.FieldError
	if t := strings.TrimSpace(string(req.Seq)); t != "" && t != "null" && t[0] != '-' && (t[0] < '0' || t[0] > '9') {
		return errBadRequest(`field "seq" must be a JSON number, not ` + jsonKindOf(t[0]))
	}
	seq, fe := parseSeq(req.Seq)
	if fe != nil {
		problems = append(problems, *fe)
	}
	if len(req.Response) == 0 {
		problems = append(problems, exam.Problem("response", "required", nil, "is required"))
	}
	if len(problems) > 0 {
		return errValidation("answer is not valid", problems...)
	}
	res, err := s.exams.SaveAnswer(reqCtx(c), claims(c).Subject, c.Param("question_id"), req.Response, seq)
	if err != nil {
		return err
	}
	return jsonBlob(c, http.StatusOK, res.AppendJSON(make([]byte, 0, 224)))
}

// jsonKindOf names the JSON type a value starting with b has.
func jsonKindOf(b byte) string {
	switch b {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	}
	return "a value of another type"
}

// maxSeq is the largest integer JavaScript's numbers hold exactly.
const maxSeq = 1<<53 - 1

// parseSeq reads a save's seq exactly: an integer from 1 to 2^53 − 1,
// written as a JSON number (7, 7.0 and 7e0 are all seven).
func parseSeq(raw json.RawMessage) (int64, *exam.FieldError) {
	t := strings.TrimSpace(string(raw))
	if t == "" || t == "null" {
		fe := exam.Problem("seq", "required", nil, "is required: a positive integer raised with every change")
		return 0, &fe
	}
	outOfRange := func() (int64, *exam.FieldError) {
		fe := exam.Problem("seq", "out_of_range", exam.P{"min": 1, "max": int64(maxSeq)},
			"must be from 1 to 9007199254740991 (2^53 − 1)")
		return 0, &fe
	}
	notWhole := func() (int64, *exam.FieldError) {
		fe := exam.Problem("seq", "wrong_type", exam.P{"expected": "integer"}, "must be a whole number")
		return 0, &fe
	}
	// The float tells the magnitude cheaply (1e999999999 must not become a
	// big number); only a value near the range is read exactly, and such a
	// literal is short unless it is padded absurdly.
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return notWhole()
	}
	if f < 1 || f > 1<<53 {
		return outOfRange()
	}
	if len(t) > 64 {
		return notWhole()
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok || !r.IsInt() {
		return notWhole()
	}
	if n := r.Num(); n.Cmp(big.NewInt(maxSeq)) <= 0 {
		return n.Int64(), nil
	}
	return outOfRange()
}

func (s *Server) submitAttempt(c echo.Context) error {
	if err := bindOptional(c, &struct{}{}); err != nil {
		return err
	}
	res, err := s.exams.Submit(reqCtx(c), claims(c).Subject)
	if err != nil {
		return err
	}
	body := map[string]any{"status": res.Status, "submitted_at": res.SubmittedAt}
	if !res.ShowScore {
		return c.JSON(http.StatusOK, body)
	}
	if score, max, ok, err := s.grader.VisibleScore(reqCtx(c), res.AttemptID); err != nil {
		return err
	} else if ok {
		body["score"], body["max_score"] = score, max
	}
	return c.JSON(http.StatusOK, body)
}

func (s *Server) recordEvent(c echo.Context) error {
	var req struct {
		Type string     `json:"type" max:"32"`
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
		return errValidation("event is not valid", exam.Problem("type", "invalid_value", exam.P{"allowed": exam.EventTypes}, "must be one of "+strings.Join(exam.EventTypes, ", ")))
	}
	if err := s.exams.RecordEvent(reqCtx(c), claims(c).Subject, req.Type, req.At, c.RealIP()); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}
