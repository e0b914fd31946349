package api

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func loginAt(a *app, email, password, addr string) *resp {
	a.t.Helper()
	return a.do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, "", withAddr(addr+":4000"))
}

func retryAfter(t *testing.T, r *resp) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n < 1 || n > 15*60 {
		t.Fatalf("Retry-After %q on %d %s", r.Header.Get("Retry-After"), r.Status, r.Body)
	}
	return n
}

// Item 2 of issue 11, the limiter's half: a 20,000-character email made
// the failure's insert overflow the limiter's index, a 500, and was never
// counted. A login that reaches the password check is counted, however long
// its email; a server that refuses such an email before checking (422) never
// checks it at all.
func TestLoginLongEmailIsCounted(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	rnd := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		b.WriteByte(byte('a' + rnd.IntN(26)))
	}
	email := b.String() + "@acme.test"
	checked := 0
	for i := 0; i < 12; i++ {
		r := loginAt(a, email, "wrong password", "198.51.100.20")
		switch {
		case r.Status == 401 && checked < 10:
			checked++
		case r.Status == 429 && checked == 10:
			retryAfter(t, r)
		case r.Status == 422 && checked == 0:
		default:
			t.Fatalf("try %d after %d checked: %d %.300s", i+1, checked, r.Status, r.Body)
		}
	}
}
