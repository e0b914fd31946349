package account

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// breachedList is the 100,000 most common passwords of a public corpus of
// leaked credentials, one a line (see README.breached.md for its source).
//
//go:embed breached.txt
var breachedList string

// MaxPasswordChars bounds a password: longer ones only cost hashing time.
const MaxPasswordChars = 1024

var (
	breachedOnce sync.Once
	breachedSet  map[string]struct{}
)

// breached reports whether pw, compared case-insensitively, is on the list.
// Only the entries a password could match are kept in memory: anything
// shorter than MinPasswordLength is refused as short before the list is
// asked.
func breached(pw string) bool {
	breachedOnce.Do(func() {
		breachedSet = make(map[string]struct{})
		for _, line := range strings.Split(breachedList, "\n") {
			line = strings.TrimRight(line, "\r")
			if utf8.RuneCountInString(line) >= MinPasswordLength {
				breachedSet[strings.ToLower(line)] = struct{}{}
			}
		}
	})
	_, ok := breachedSet[strings.ToLower(pw)]
	return ok
}

// BreachedListSize is the number of entries shipped, for the docs and tests.
func BreachedListSize() int {
	n := 0
	for _, line := range strings.Split(breachedList, "\n") {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

// PasswordProblem says what is wrong with a new password, as the reason of a
// weak_password problem: "short" (fewer than MinPasswordLength
// characters), "blank" (only white space) or "breached" (a commonly leaked
// password); "" when it is acceptable. Length beyond MaxPasswordChars is the
// caller's too_long.
func PasswordProblem(pw string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return "short"
	case strings.TrimFunc(pw, unicode.IsSpace) == "":
		return "blank"
	case breached(pw):
		return "breached"
	}
	return ""
}
