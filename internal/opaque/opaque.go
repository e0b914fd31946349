// Package opaque makes the random bearer tokens examd stores only as a
// hash: invitation links and refresh tokens. A token is shown once; the
// database keeps its SHA-256, so a leaked table grants nothing.
package opaque

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// New returns a random token of n bytes (unpadded base64url) and its hash.
func New(n int) (token string, hash []byte) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, Hash(token)
}

// Hash is the stored form of a token.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
