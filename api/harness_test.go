package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"examd/exam"
	"examd/grading"
	"examd/internal/config"
	"examd/internal/database"
	"examd/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const testSecret = "test-secret-test-secret-test-secret!"

// app is the real router on a fresh database.
type app struct {
	t   testing.TB
	e   *echo.Echo
	db  *gorm.DB
	cfg *config.Config
}

func newApp(t testing.TB) *app {
	t.Helper()
	return newAppOn(t, pgtest.URL(t))
}

// parallelApp runs the test in parallel with the others and gives it its
// own app on a fresh database (newApp), which is what makes that safe.
func parallelApp(t *testing.T) *app {
	t.Helper()
	t.Parallel()
	return newApp(t)
}

// twoServers is two examd servers on one database, as two replicas behind a
// load balancer: for tests of what one server's caches must not hide.
func twoServers(t testing.TB) (*app, *app) {
	t.Helper()
	url := pgtest.URL(t)
	return newAppOn(t, url), newAppOn(t, url)
}

func newAppOn(t testing.TB, url string) *app {
	t.Helper()
	// Tests that fire many requests at once are about correctness, not
	// shedding: no queued request times out on a slow machine.
	return newAppTuned(t, url, nil, func(cfg *config.Config) {
		cfg.QueueWait, cfg.QueueOverloadWait = time.Minute, time.Minute
	})
}

// newAppTuned is the real router on the database at url with the test
// configuration as tune changes it, logging JSON to logs (nil: nowhere).
func newAppTuned(t testing.TB, url string, logs io.Writer, tune func(*config.Config)) *app {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": url, "JWT_SECRET": testSecret, "PUBLIC_URL": "http://exams.test"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	tune(cfg)
	db := pgtest.Open(t, url, database.Options{MaxOpenConns: 8})
	if logs == nil {
		logs = io.Discard
	}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	return &app{t: t, e: New(Options{Config: cfg, DB: db, Logger: log}), db: db, cfg: cfg}
}

type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r *resp) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

func (r *resp) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Code is the error code of an error body.
func (r *resp) Code() string {
	m := r.JSON()
	if e, ok := m["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}

type reqOpt func(*http.Request)

func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }
func withAddr(a string) reqOpt      { return func(r *http.Request) { r.RemoteAddr = a } }

// do sends a request through the real router. body may be nil, a string
// (sent raw as JSON) or any value (marshalled).
func (a *app) do(method, path string, body any, token string, opts ...reqOpt) *resp {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.RemoteAddr = "192.0.2.10:5555"
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	return &resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// must checks the status and returns the response.
func (a *app) must(status int, method, path string, body any, token string, opts ...reqOpt) *resp {
	a.t.Helper()
	r := a.do(method, path, body, token, opts...)
	if r.Status != status {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	return r
}

// getAs is the body of a GET path that must answer 200, decoded as a T.
func getAs[T any](a *app, token, path string) T {
	a.t.Helper()
	var v T
	a.must(200, "GET", path, nil, token).Decode(a.t, &v)
	return v
}

type session struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	User         struct {
		ID           string `json:"id"`
		Email        string `json:"email"`
		Role         string `json:"role"`
		Organization struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"organization"`
	} `json:"user"`
}

// signup creates an organization and returns its admin's session.
func (a *app) signup(org, email string) session {
	a.t.Helper()
	var s session
	a.must(201, "POST", "/api/v1/signup", map[string]string{"organization": org, "name": "Admin of " + org,
		"email": email, "password": "correct horse battery"}, "").Decode(a.t, &s)
	return s
}

// staff creates a user of role in the admin's organization and logs in.
func (a *app) staff(adminToken, role, email string) session {
	a.t.Helper()
	a.must(201, "POST", "/api/v1/users", map[string]string{"email": email, "name": role + " " + email,
		"password": "correct horse battery", "role": role}, adminToken)
	return a.login(email)
}

// login logs email in with the tests' password (200).
func (a *app) login(email string) session {
	a.t.Helper()
	var s session
	a.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "correct horse battery"}, "").Decode(a.t, &s)
	return s
}

// refresh trades a refresh token for the next session of its family (200).
func (a *app) refresh(token string) session {
	a.t.Helper()
	var s session
	a.must(200, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": token}, "").Decode(a.t, &s)
	return s
}

// team signs up the organization org as admin@domain and adds its
// recruiter rec@domain and reviewer rev@domain: the three staff roles, each
// logged in.
func (a *app) team(org, domain string) (admin, rec, rev session) {
	a.t.Helper()
	admin = a.signup(org, "admin@"+domain)
	return admin, a.staff(admin.AccessToken, "recruiter", "rec@"+domain), a.staff(admin.AccessToken, "reviewer", "rev@"+domain)
}

// sweep runs the timeout sweeper once, as examd serve does every few seconds.
func (a *app) sweep() (int, error) {
	st := exam.NewStore(a.db, grading.NewScorer(a.db))
	return st.SweepDue(context.Background(), 100)
}
