// Package cursor is the one form of the opaque page cursors the API hands
// out (`?cursor=` / `next_cursor`): the sort position of the last row of a
// page, a time and a row id, so the next page starts strictly after it
// whatever was inserted meanwhile.
package cursor

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ErrBad is a cursor this server did not hand out.
var ErrBad = errors.New("cursor is not valid; pass next_cursor from the previous page")

// Encode is the cursor of the row (at, id).
func Encode(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

// Decode reads a cursor made by Encode; anything else is ErrBad.
func Decode(s string) (time.Time, string, error) {
	at, id, err := parse(s)
	if err != nil {
		return time.Time{}, "", err
	}
	if _, err := uuid.Parse(id); err != nil {
		return time.Time{}, "", ErrBad
	}
	return at, id, nil
}

// EncodeSerial is the cursor of a row whose id is a bigserial (the audit log).
func EncodeSerial(at time.Time, id int64) string {
	return Encode(at, strconv.FormatInt(id, 10))
}

// DecodeSerial reads a cursor EncodeSerial handed out.
func DecodeSerial(s string) (time.Time, int64, error) {
	at, id, err := parse(s)
	if err != nil {
		return time.Time{}, 0, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 1 {
		return time.Time{}, 0, ErrBad
	}
	return at, n, nil
}

func parse(s string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", ErrBad
	}
	at, id, ok := strings.Cut(string(b), "|")
	if !ok {
		return time.Time{}, "", ErrBad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", ErrBad
	}
	return t, id, nil
}

// Trim ends a page read with LIMIT limit+1: it keeps the first limit rows
// and, when the extra row was there, returns the cursor of the last row kept
// (next, made by the caller's Encode or EncodeSerial); otherwise rows as
// they are and "".
func Trim[T any](rows []T, limit int, next func(last *T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, next(&rows[limit-1])
}
