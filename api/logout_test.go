package api

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// What logout revokes, as docs/api.md says: the refresh-token family of the
// login it is given (that token, the ones it replaced and any issued from
// it), not other logins of the same user, and not access tokens, which are
// stateless and live out their 15 minutes.
func TestLogoutRevokesTheRefreshFamilyOnly(t *testing.T) {
	a := parallelApp(t)
	a.signup("Acme", "bye@acme.test")
	tab, phone := a.login("bye@acme.test"), a.login("bye@acme.test")
	tab2 := a.refresh(tab.RefreshToken)

	a.must(204, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": tab2.RefreshToken}, "")
	for name, tok := range map[string]string{"the token logged out with": tab2.RefreshToken, "the one it replaced": tab.RefreshToken} {
		if r := a.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": tok}, ""); r.Status != 401 {
			t.Errorf("refresh with %s after logout: %d, want 401", name, r.Status)
		}
	}
	// Another login of the same user is untouched.
	a.refresh(phone.RefreshToken)
	// The access token of the logged-out family still works until it
	// expires, at most 15 minutes after it was issued.
	a.must(200, "GET", "/api/v1/me", nil, tab2.AccessToken)
	if life := tokenLifetime(t, tab2.AccessToken); life <= 0 || life > 15*60 || tab2.ExpiresIn != life {
		t.Fatalf("access token lives %d s (expires_in %d), want at most 900", life, tab2.ExpiresIn)
	}
	// Logging out again, or with an unknown token, is a quiet 204.
	a.must(204, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": tab2.RefreshToken}, "")
	a.must(204, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": "no-such-token"}, "")
}

// tokenLifetime is exp − iat of a JWT, read without checking it.
func tokenLifetime(t *testing.T, tok string) int {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Exp, Iat int }
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Exp - c.Iat
}
