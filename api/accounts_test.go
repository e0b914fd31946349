package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"examd/internal/pgtest"
)

func TestSignupLoginMe(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme 招聘", "ada@acme.test")
	if s.User.Role != "admin" || s.TokenType != "Bearer" || s.ExpiresIn != 900 || s.RefreshToken == "" || s.User.Organization.Name != "Acme 招聘" {
		t.Fatalf("signup response: %+v", s)
	}
	l := a.login("ADA@acme.test")
	me := a.must(200, "GET", "/api/v1/me", nil, l.AccessToken).JSON()
	org := me["organization"].(map[string]any)
	if me["email"] != "ada@acme.test" || me["role"] != "admin" || org["id"] != s.User.Organization.ID {
		t.Fatalf("me: %v", me)
	}
	if _, leaked := me["password_hash"]; leaked {
		t.Fatal("me shows the password hash")
	}
	// The same email cannot sign up twice, in any case.
	r := a.do("POST", "/api/v1/signup", map[string]string{"organization": "Other", "name": "X", "email": "Ada@Acme.test", "password": "distinct pass phrase"}, "")
	if r.Status != 409 || r.Code() != "conflict" {
		t.Fatalf("duplicate signup: %d %s", r.Status, r.Body)
	}
	// Unknown email and wrong password look the same.
	r1 := a.do("POST", "/api/v1/auth/login", map[string]string{"email": "nobody@acme.test", "password": "whatever12345"}, "")
	r2 := a.do("POST", "/api/v1/auth/login", map[string]string{"email": "ada@acme.test", "password": "wrong password"}, "")
	if r1.Status != 401 || r2.Status != 401 || r1.Code() != "invalid_credentials" || r1.JSON()["error"].(map[string]any)["message"] != r2.JSON()["error"].(map[string]any)["message"] {
		t.Fatalf("bad logins differ: %s / %s", r1.Body, r2.Body)
	}
}

func TestRefreshRotationAndReuse(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "rot@acme.test")
	s2 := a.refresh(s.RefreshToken)
	if s2.RefreshToken == s.RefreshToken || s2.AccessToken == "" {
		t.Fatal("refresh did not rotate")
	}
	a.must(200, "GET", "/api/v1/me", nil, s2.AccessToken)
	s3 := a.refresh(s2.RefreshToken)
	// Replaying the first token: 401, and the newest one dies with it.
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s3.RefreshToken}, "")
	// Another login is a separate family and still works.
	l := a.login("rot@acme.test")
	l2 := a.refresh(l.RefreshToken)
	// Logout kills the family.
	a.must(204, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": l2.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": l2.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": "not-a-token"}, "")
}

func TestBadTokensAre401(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "tok@acme.test")
	sign := func(method jwt.SigningMethod, key any, c jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := time.Now()
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"sub": s.User.ID, "role": "admin", "org": s.User.Organization.ID, "iss": "examd",
			"aud": "examd-staff", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	}
	// Sanity: a well-formed token made the same way is accepted.
	a.must(200, "GET", "/api/v1/me", nil, sign(jwt.SigningMethodHS256, []byte(testSecret), good()))

	noExp := good()
	delete(noExp, "exp")
	expired := good()
	expired["exp"] = now.Add(-time.Hour).Unix()
	wrongAud := good()
	wrongAud["aud"] = "someone-else"
	candAud := good()
	candAud["aud"] = "examd-candidate"
	candAud["role"] = "candidate"
	wrongIss := good()
	wrongIss["iss"] = "evil"
	none := sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good())
	cases := map[string]string{
		"alg none":           none,
		"wrong key":          sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret-123"), good()),
		"no exp":             sign(jwt.SigningMethodHS256, []byte(testSecret), noExp),
		"expired":            sign(jwt.SigningMethodHS256, []byte(testSecret), expired),
		"wrong aud":          sign(jwt.SigningMethodHS256, []byte(testSecret), wrongAud),
		"candidate audience": sign(jwt.SigningMethodHS256, []byte(testSecret), candAud),
		"wrong issuer":       sign(jwt.SigningMethodHS256, []byte(testSecret), wrongIss),
		"garbage":            "abc.def.ghi",
		"HS512":              sign(jwt.SigningMethodHS512, []byte(testSecret), good()),
	}
	for name, tok := range cases {
		r := a.do("GET", "/api/v1/me", nil, tok)
		if r.Status != 401 || r.Code() != "unauthorized" {
			t.Errorf("%s: got %d %s", name, r.Status, r.Body)
		}
	}
	if r := a.do("GET", "/api/v1/me", nil, ""); r.Status != 401 {
		t.Errorf("no token: %d", r.Status)
	}
}

func TestRolesAndOrganizations(t *testing.T) {
	a := parallelApp(t)
	adminA := a.signup("A", "admin@a.test")
	rec := a.staff(adminA.AccessToken, "recruiter", "rec@a.test")
	r := a.do("POST", "/api/v1/users", map[string]string{"email": "x@a.test", "name": "X", "password": "distinct pass phrase", "role": "reviewer"}, rec.AccessToken)
	if r.Status != 403 || r.Code() != "forbidden" {
		t.Fatalf("recruiter creating a user: %d %s", r.Status, r.Body)
	}
	a.must(403, "GET", "/api/v1/users", nil, rec.AccessToken)
	adminB := a.signup("B", "admin@b.test")
	// B's admin cannot see A's user: 404, not 403.
	r = a.do("GET", "/api/v1/users/"+rec.User.ID, nil, adminB.AccessToken)
	if r.Status != 404 || r.Code() != "not_found" {
		t.Fatalf("cross-organization read: %d %s", r.Status, r.Body)
	}
	a.must(200, "GET", "/api/v1/users/"+rec.User.ID, nil, adminA.AccessToken)
	var list struct {
		Items []map[string]any `json:"items"`
	}
	a.must(200, "GET", "/api/v1/users", nil, adminB.AccessToken).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0]["email"] != "admin@b.test" {
		t.Fatalf("B lists %v", list.Items)
	}
	r = a.do("POST", "/api/v1/users", map[string]string{"email": "bad", "name": "", "password": "short", "role": "king"}, adminA.AccessToken)
	if r.Status != 422 || len(r.JSON()["error"].(map[string]any)["details"].([]any)) != 4 {
		t.Fatalf("invalid user: %d %s", r.Status, r.Body)
	}
}

func TestMalformedBodies(t *testing.T) {
	a := parallelApp(t)
	cases := []struct {
		name   string
		body   any
		opts   []reqOpt
		status int
		code   string
	}{
		{"malformed JSON", `{"email": "a@b.c",`, nil, 400, "bad_request"},
		{"unknown field", `{"organization":"o","name":"n","email":"a@b.c","password":"0123456789","admin":true}`, nil, 400, "bad_request"},
		{"wrong type", `{"organization":1,"name":"n","email":"a@b.c","password":"0123456789"}`, nil, 400, "bad_request"},
		{"trailing data", `{"organization":"o","name":"n","email":"a@b.c","password":"0123456789"} {}`, nil, 400, "bad_request"},
		{"text/plain", `{"organization":"o","name":"n","email":"a@b.c","password":"0123456789"}`, []reqOpt{withHeader("Content-Type", "text/plain")}, 415, "unsupported_media_type"},
		{"2 MiB", `{"organization":"` + strings.Repeat("x", 2<<20) + `"}`, nil, 413, "payload_too_large"},
	}
	for _, tc := range cases {
		r := a.do("POST", "/api/v1/signup", tc.body, "", tc.opts...)
		if r.Status != tc.status || r.Code() != tc.code {
			t.Errorf("%s: got %d %s, want %d %s", tc.name, r.Status, truncate(r.Body), tc.status, tc.code)
		}
	}
	r := a.do("POST", "/api/v1/signup", map[string]string{"organization": "o", "name": "n", "email": "a@b.c", "password": "short"}, "")
	if r.Status != 422 || r.Code() != "validation_failed" {
		t.Fatalf("short password: %d %s", r.Status, r.Body)
	}
	d := r.JSON()["error"].(map[string]any)["details"].([]any)
	if len(d) != 1 || d[0].(map[string]any)["field"] != "password" {
		t.Fatalf("details: %v", d)
	}
	// Nothing was created by any of the rejected requests.
	var n int64
	a.db.Raw("SELECT count(*) FROM users").Scan(&n)
	if n != 0 {
		t.Fatalf("%d users created by bad requests", n)
	}
	if r := a.do("GET", "/api/v1/no-such-thing", nil, ""); r.Status != 404 || r.Code() != "not_found" {
		t.Fatalf("unknown endpoint: %d %s", r.Status, r.Body)
	}
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func TestLoginRateLimit(t *testing.T) {
	a := parallelApp(t)
	a.signup("Acme", "victim@acme.test")
	// 20 wrong logins with a forged, changing X-Forwarded-For: the limit for
	// the email is reached after 10 and is not reset by the header.
	statuses := make([]int, 0, 20)
	for i := 0; i < 20; i++ {
		r := a.do("POST", "/api/v1/auth/login", map[string]string{"email": "victim@acme.test", "password": "wrong password"}, "",
			withHeader("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i)))
		statuses = append(statuses, r.Status)
		if i >= 10 && (r.Status != 429 || r.Code() != "rate_limited" || r.Header.Get("Retry-After") == "") {
			t.Fatalf("attempt %d: %d %s (retry-after %q)", i+1, r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
	for i := 0; i < 10; i++ {
		if statuses[i] != 401 {
			t.Fatalf("attempt %d: %d", i+1, statuses[i])
		}
	}
	// Even the right password is refused while limited.
	a.must(429, "POST", "/api/v1/auth/login", map[string]string{"email": "victim@acme.test", "password": "correct horse battery"}, "")

	// Per address: 30 failures over different emails from one address.
	for i := 0; i < 30; i++ {
		a.must(401, "POST", "/api/v1/auth/login", map[string]string{"email": fmt.Sprintf("u%d@x.test", i), "password": "nope nope nope"}, "",
			withAddr("198.51.100.7:1234"), withHeader("X-Forwarded-For", fmt.Sprintf("10.0.0.%d", i)))
	}
	a.must(429, "POST", "/api/v1/auth/login", map[string]string{"email": "fresh@x.test", "password": "nope nope nope"}, "", withAddr("198.51.100.7:999"))
	// Another address is unaffected.
	a.must(401, "POST", "/api/v1/auth/login", map[string]string{"email": "fresh@x.test", "password": "nope nope nope"}, "", withAddr("198.51.100.8:999"))
}

// /readyz follows the database: 503 while it is down, 200 after it is back,
// without restarting examd.
func TestReadyzFollowsDatabase(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts its own PostgreSQL: not run with -short")
	}
	c, err := pgtest.StartCluster()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Destroy()
	a := newAppOn(t, c.URL("postgres"))
	a.must(200, "GET", "/readyz", nil, "")
	a.must(200, "GET", "/healthz", nil, "")
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	a.must(503, "GET", "/readyz", nil, "")
	a.must(200, "GET", "/healthz", nil, "")
	r := a.do("POST", "/api/v1/auth/login", map[string]string{"email": "a@b.test", "password": "0123456789"}, "")
	if r.Status != 503 || r.Code() != "unavailable" {
		t.Fatalf("login with the database down: %d %s", r.Status, r.Body)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := a.do("GET", "/readyz", nil, "")
		if r.Status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz still %d after restart", r.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
