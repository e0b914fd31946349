package api

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

func assertCommonHeaders(t *testing.T, what string, r *resp) {
	t.Helper()
	if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, got)
	}
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q, want no-referrer", what, got)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none'", what, csp)
	}
}

// assertPagePolicy checks an HTML page's policy: scripts only from the
// server itself, nothing inline, never framed.
func assertPagePolicy(t *testing.T, what string, r *resp) {
	t.Helper()
	assertCommonHeaders(t, what, r)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type %q, want an HTML page", what, ct)
	}
	csp := r.Header.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			directives[f[0]] = strings.Join(f[1:], " ")
		}
	}
	if directives["script-src"] != "'self'" {
		t.Errorf("%s: script-src %q, want only 'self' (no inline script, no eval): %s", what, directives["script-src"], csp)
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: the policy allows inline code: %s", what, csp)
	}
	if directives["object-src"] != "'none'" || directives["base-uri"] != "'none'" {
		t.Errorf("%s: object-src/base-uri not 'none': %s", what, csp)
	}
	if r.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("%s: X-Frame-Options %q", what, r.Header.Get("X-Frame-Options"))
	}
}

// Every response carries nosniff and no-referrer, and every HTML page the
// app's policy; checked on the embedded app as examd serves it.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "headers@acme.test")
	for _, p := range []string{"/", "/login", "/take/abcdef123456", "/review", "/exams/some-id/results", "/index.html"} {
		r := a.do("GET", p, nil, "")
		if r.Status != 200 {
			t.Fatalf("GET %s: %d", p, r.Status)
		}
		assertPagePolicy(t, "GET "+p, r)
	}
	others := []struct {
		method, path, body, token string
		status                    int
	}{
		{"GET", "/healthz", "", "", 200},
		{"GET", "/readyz", "", "", 200},
		{"GET", "/api/v1/me", "", s.AccessToken, 200},
		{"GET", "/api/v1/me", "", "", 401},
		{"GET", "/api/v1/no-such-thing", "", "", 404},
		{"POST", "/api/v1/auth/login", "{", "", 400},
		{"GET", "/api/v1/openapi.yaml", "", "", 200},
		{"GET", "/.gitkeep", "", "", 200}, // a static file of the embedded folder
		{"GET", "/assets/missing-0000.js", "", "", 404},
		{"DELETE", "/", "", "", 405},
	}
	for _, o := range others {
		var body any
		if o.body != "" {
			body = o.body
		}
		r := a.do(o.method, o.path, body, o.token)
		if r.Status != o.status {
			t.Fatalf("%s %s: %d, want %d: %s", o.method, o.path, r.Status, o.status, r.Body)
		}
		assertCommonHeaders(t, o.method+" "+o.path, r)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s %s answered HTML", o.method, o.path)
		}
	}
}

// webApp serves the built app dist as the router does, behind its error
// handler and security headers, and returns a GET of a path on it.
func webApp(t *testing.T, dist fstest.MapFS) func(path string, opts ...reqOpt) *resp {
	t.Helper()
	e := echo.New()
	e.HTTPErrorHandler = errorHandler(slog.Default())
	e.Pre(securityHeaders)
	serveWeb(e, dist)
	return func(p string, opts ...reqOpt) *resp {
		req := httptest.NewRequest("GET", p, nil)
		for _, o := range opts {
			o(req)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return &resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	}
}

// With a built app: files are served as themselves, deep links get the
// page, and a missing asset is 404 with the error body, not the page.
func TestWebAppAssetsAndDeepLinks(t *testing.T) {
	t.Parallel()
	index := `<!doctype html><title>built</title><script type="module" src="/assets/app-1.js"></script>`
	dist := fstest.MapFS{
		"index.html":       {Data: []byte(index)},
		"assets/app-1.js":  {Data: []byte("console.log(1)")},
		"assets/app-1.css": {Data: []byte("body{}")},
	}
	get := webApp(t, dist)

	js := get("/assets/app-1.js")
	if js.Status != 200 || string(js.Body) != "console.log(1)" || !strings.Contains(js.Header.Get("Content-Type"), "javascript") {
		t.Fatalf("the script: %d %q %q", js.Status, js.Header.Get("Content-Type"), js.Body)
	}
	if !strings.Contains(js.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("assets are fingerprinted and cached for good: Cache-Control %q", js.Header.Get("Cache-Control"))
	}
	assertCommonHeaders(t, "the script", js)

	for _, p := range []string{"/", "/take/tok123", "/login", "/review/queue"} {
		r := get(p)
		if r.Status != 200 || string(r.Body) != index {
			t.Fatalf("GET %s: %d %q, want the page", p, r.Status, r.Body)
		}
		assertPagePolicy(t, "GET "+p, r)
	}

	for _, p := range []string{"/assets/app-0.js", "/assets/old/app.css", "/assets/", "/assets"} {
		r := get(p)
		if r.Status != 404 || r.Code() != "not_found" || strings.Contains(string(r.Body), "<title>") {
			t.Fatalf("GET %s: %d %s, want 404 not_found and not the page", p, r.Status, r.Body)
		}
		assertCommonHeaders(t, "GET "+p, r)
	}
}
