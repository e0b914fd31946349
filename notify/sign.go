// Package notify delivers the outbox's events: signed webhooks (Standard
// Webhooks) with retries, an SSRF guard at delivery time, and the
// organization's webhook settings. It reads rows the outbox package wrote.
package notify

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// secretPrefix starts every signing secret, as Standard Webhooks names it.
const secretPrefix = "whsec_"

// NewSecret returns a fresh signing secret: whsec_ and base64 of 32 random
// bytes.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("notify: no randomness: " + err.Error())
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Sign returns the webhook-signature header value for one message:
// v1,base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), key being the
// decoded part of the secret after whsec_.
func Sign(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || !strings.HasPrefix(secret, secretPrefix) {
		return "", errors.New("notify: a signing secret is whsec_ followed by base64")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}
