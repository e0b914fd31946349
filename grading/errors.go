package grading

import (
	"errors"

	"examd/internal/cursor"
)

// Errors of grading: the review queue, reviews and their revision, results,
// reopening and key amendments. The api package maps each to its status,
// code and public message in one place (api/errors.go).
var (
	// ErrNotFound: no such review item, exam, attempt or version in the
	// caller's organization (another organization's is not found either).
	ErrNotFound = errors.New("grading: not found")
	// ErrLeaseLost: the caller holds no live lease on the item (it expired,
	// another reviewer holds it, or it was never claimed).
	ErrLeaseLost = errors.New("grading: you no longer hold this review item; claim again")
	// ErrAlreadyScored: the item has been scored already.
	ErrAlreadyScored = errors.New("grading: the review item has already been scored")
	// ErrNotScored: the item has no score yet, so there is nothing to revise
	// (score it with a claim first).
	ErrNotScored = errors.New("grading: the review item has not been scored yet")
	// ErrNotYourScore: another reviewer scored the item; only its scorer may
	// revise it.
	ErrNotYourScore = errors.New("grading: only the reviewer who scored this item may revise it")
	// ErrScoreFinal: the attempt is graded (every essay of it has its score),
	// so its scores are final.
	ErrScoreFinal = errors.New("grading: the attempt is graded; its scores are final")
	// ErrNotReopenable: only an attempt the server submitted at timeout can
	// be reopened; one in progress or submitted by the candidate cannot.
	ErrNotReopenable = errors.New("grading: only an attempt submitted at timeout can be reopened")
	// ErrBadCursor: a page cursor this server did not hand out (the one
	// error of internal/cursor, so errors.Is matches either name).
	ErrBadCursor = cursor.ErrBad
	// ErrUnknownTrack: statistics asked for a track the version does not have.
	ErrUnknownTrack = errors.New("grading: the version has no such track")
)
