package api

import (
	"testing"
	"time"
)

// A remembered token is still checked for expiry and audience on every use.
func TestTokensRememberedStillExpire(t *testing.T) {
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	tk := NewTokens([]byte("0123456789abcdef0123456789abcdef"))
	tk.now = func() time.Time { return now }
	raw, err := tk.Sign("inv", roleCandidate, "org", audCandidate, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the second parse comes from memory
		if c, err := tk.Parse(raw, audCandidate); err != nil || c.Subject != "inv" {
			t.Fatalf("parse %d: %v %v", i, c, err)
		}
		if _, err := tk.Parse(raw, audStaff); err == nil {
			t.Fatalf("parse %d: a candidate token opened a staff route", i)
		}
	}
	c, _ := tk.Parse(raw, audCandidate)
	c.Subject = "changed" // callers get a copy
	if c, _ := tk.Parse(raw, audCandidate); c.Subject != "inv" {
		t.Fatal("a caller changed the remembered claims")
	}
	if _, err := tk.Parse(raw[:len(raw)-2]+"xx", audCandidate); err == nil {
		t.Fatal("a forged signature was accepted")
	}
	now = now.Add(time.Minute + 4*time.Second) // within the leeway
	if _, err := tk.Parse(raw, audCandidate); err != nil {
		t.Fatalf("within leeway: %v", err)
	}
	now = now.Add(time.Second)
	if _, err := tk.Parse(raw, audCandidate); err == nil {
		t.Fatal("an expired remembered token was accepted")
	}
}
