// Package email holds the one rule for what examd takes as an e-mail
// address, shared by staff accounts and invitations.
package email

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxChars is the longest address accepted (RFC 5321's path limit less the
// angle brackets).
const MaxChars = 254

// Valid reports whether s is an address of the form local@domain.tld: one
// @, a non-empty local part, a domain of dot-separated non-empty labels with
// at least two of them, no white space, control characters, angle brackets
// or quotes anywhere, and at most MaxChars characters. It is deliberately
// plainer than RFC 5322: addresses people type into a form, not every
// address a mail server could route.
func Valid(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > MaxChars || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>"(),;:[]\`, r) {
			return false
		}
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	return true
}
