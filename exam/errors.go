package exam

import (
	"errors"
	"fmt"
)

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

// wrapUnexpected returns err as it is when callers tell it apart (a
// *ValidationError or one of expected), else wrapped as "exam: what: …".
func wrapUnexpected(err error, what string, expected ...error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return err
	}
	for _, e := range expected {
		if errors.Is(err, e) {
			return err
		}
	}
	return fmt.Errorf("exam: %s: %w", what, err)
}
