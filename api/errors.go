package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"examd/account"
	"examd/exam"
	"examd/grading"
	"examd/internal/cursor"
	"examd/internal/database"
	"examd/notify"
)

// Error is an API error: the status, the contract's code, a message for
// people and, for 422, every problem with its JSON path.
type Error struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Details []exam.FieldError `json:"details,omitempty"`
	Header  map[string]string `json:"-"`
	cause   error             `json:"-"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }
func (e *Error) Unwrap() error { return e.cause }

func newError(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

func errBadRequest(msg string) *Error { return newError(http.StatusBadRequest, "bad_request", msg) }
func errNotFound(what string) *Error {
	return newError(http.StatusNotFound, "not_found", what+" not found")
}
func errForbidden(msg string) *Error { return newError(http.StatusForbidden, "forbidden", msg) }
func errUnauthorized(msg string) *Error {
	return newError(http.StatusUnauthorized, "unauthorized", msg)
}
func errConflict(code, msg string) *Error { return newError(http.StatusConflict, code, msg) }

// errValidation is a 422 listing problems.
func errValidation(msg string, problems ...exam.FieldError) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: msg, Details: problems}
}

// domainErrors maps the domain packages' sentinel errors to the contract:
// status, code and the message people read (the sentinel's own text is for
// logs and names its package).
var domainErrors = []struct {
	err     error
	status  int
	code    string
	message string
}{
	{account.ErrEmailTaken, http.StatusConflict, "conflict", "email already registered"},
	{account.ErrInvalidCredentials, http.StatusUnauthorized, "invalid_credentials", "email or password is wrong"},
	{account.ErrNotFound, http.StatusNotFound, "not_found", "not found"},
	{account.ErrRefreshInvalid, http.StatusUnauthorized, "unauthorized", "refresh token invalid, expired or revoked"},
	{exam.ErrNotFound, http.StatusNotFound, "not_found", "not found"},
	{exam.ErrNotPublished, http.StatusConflict, "exam_not_published", "the exam has no published version yet"},
	{exam.ErrInvitationStarted, http.StatusConflict, "conflict", "the invitation has been started and cannot be revoked"},
	{exam.ErrInvalidToken, http.StatusUnauthorized, "invalid_invitation", "invitation token is invalid or revoked"},
	{exam.ErrNotOpen, http.StatusForbidden, "not_open", "the invitation window is not open yet"},
	{exam.ErrWindowClosed, http.StatusForbidden, "window_closed", "the invitation window has closed"},
	{exam.ErrDeadlinePassed, http.StatusConflict, "deadline_passed", "the deadline has passed"},
	{exam.ErrAttemptSubmitted, http.StatusConflict, "attempt_submitted", "the attempt has been submitted"},
	{exam.ErrNoAttempt, http.StatusNotFound, "not_found", "the attempt has not been started"},
	{exam.ErrInvitationRevoked, http.StatusConflict, "conflict", "the invitation has been revoked"},
	{grading.ErrNotReopenable, http.StatusConflict, "conflict", "only an attempt submitted at timeout can be reopened"},
	{grading.ErrNotFound, http.StatusNotFound, "not_found", "not found"},
	{grading.ErrLeaseLost, http.StatusConflict, "lease_lost", "you no longer hold this review item; claim again"},
	{grading.ErrAlreadyScored, http.StatusConflict, "conflict", "the review item has already been scored"},
	{grading.ErrNotScored, http.StatusConflict, "conflict", "the review item has not been scored yet"},
	{grading.ErrScoreFinal, http.StatusConflict, "conflict", "the attempt is graded; its scores are final"},
	{grading.ErrNotYourScore, http.StatusForbidden, "forbidden", "only the reviewer who scored this item may revise it"},
	{notify.ErrNotFound, http.StatusNotFound, "not_found", "not found"},
	{cursor.ErrBad, http.StatusBadRequest, "bad_request", "cursor is not valid; pass next_cursor from the previous page"},
}

// echoErrors maps the statuses of Echo's own errors (routing, body limit,
// middleware) to the contract's code and message; another 4xx from Echo is
// bad_request with the status text.
var echoErrors = map[int]struct{ code, message string }{
	http.StatusNotFound:              {"not_found", "no such endpoint"},
	http.StatusMethodNotAllowed:      {"method_not_allowed", "method not allowed on this endpoint"},
	http.StatusRequestEntityTooLarge: {"payload_too_large", "request body is too large"},
	http.StatusUnauthorized:          {"unauthorized", "missing or invalid token"},
	http.StatusForbidden:             {"forbidden", "not allowed"},
	http.StatusBadRequest:            {"bad_request", "bad request"},
	http.StatusUnsupportedMediaType:  {"unsupported_media_type", "request body must be application/json"},
	http.StatusServiceUnavailable:    {"unavailable", "service unavailable"},
}

// toAPIError turns any error into the contract's form. Unknown errors are
// 500 with a generic message; their cause is logged, never shown.
func toAPIError(err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	var ve *exam.ValidationError
	if errors.As(err, &ve) {
		msg := ve.Message
		if msg == "" {
			msg = "request is not valid"
		}
		return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: msg, Details: ve.Problems, cause: err}
	}
	for _, d := range domainErrors {
		if errors.Is(err, d.err) {
			return &Error{Status: d.status, Code: d.code, Message: d.message, cause: err}
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if e, ok := echoErrors[he.Code]; ok {
			return &Error{Status: he.Code, Code: e.code, Message: e.message, cause: err}
		}
		if he.Code >= 400 && he.Code < 500 {
			return &Error{Status: he.Code, Code: "bad_request", Message: http.StatusText(he.Code), cause: err}
		}
	}
	if database.IsUnavailable(err) {
		return &Error{Status: 503, Code: "unavailable", Message: "the database is unavailable; try again shortly", cause: err}
	}
	return &Error{Status: 500, Code: "internal", Message: "internal error", cause: err}
}

// errorHandler is Echo's HTTPErrorHandler: the one place errors become
// responses.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		ae := toAPIError(err)
		if ae.Status >= 500 && !errors.Is(err, errShed) {
			log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Path(), "status", ae.Status, "error", err)
		}
		for k, v := range ae.Header {
			c.Response().Header().Set(k, v)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(ae.Status)
			return
		}
		_ = c.JSON(ae.Status, map[string]*Error{"error": ae})
	}
}
