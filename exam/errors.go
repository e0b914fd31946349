package exam

import "errors"

// Errors of the exam package; the api package maps each to its status and
// code in one place.
var (
	ErrNotFound          = errors.New("exam: not found")
	ErrNotPublished      = errors.New("exam: the exam has no published version yet")
	ErrInvitationStarted = errors.New("exam: the invitation has been started and cannot be revoked")
	ErrInvalidToken      = errors.New("exam: invitation token is invalid or revoked")
	ErrNotOpen           = errors.New("exam: the invitation window is not open yet")
	ErrWindowClosed      = errors.New("exam: the invitation window has closed")
	ErrDeadlinePassed    = errors.New("exam: the deadline has passed")
	ErrAttemptSubmitted  = errors.New("exam: the attempt has been submitted")
	ErrNoAttempt         = errors.New("exam: the attempt has not been started")
)

// Errors of accommodations and links.
var (
	ErrInvitationRevoked = errors.New("exam: the invitation has been revoked")
)
