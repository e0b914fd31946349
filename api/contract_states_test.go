package api

import (
	"strings"
	"testing"
	"time"
)

// TestContractStatesAndRoles checks the statuses and codes API.md gives for
// invitation windows, revocation, token audiences and account conflicts.
func TestContractStatesAndRoles(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "p2@acme.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 30))
	inv := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager"}, s.AccessToken).JSON()
	a.must(204, "DELETE", "/api/v1/invitations/"+inv["id"].(string), nil, s.AccessToken)
	if r := a.do("DELETE", "/api/v1/invitations/"+inv["id"].(string), nil, s.AccessToken); r.Status != 204 {
		t.Errorf("delete revoked again: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, ""); r.Status != 401 || r.Code() != "invalid_invitation" {
		t.Errorf("revoked session: %d %s", r.Status, r.Body)
	}
	li := a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).JSON()
	if it := li["items"].([]any)[0].(map[string]any); it["status"] != "revoked" {
		t.Errorf("revoked status %v", it["status"])
	}
	fut := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager", "opens_at": time.Now().Add(time.Hour).UTC()}, s.AccessToken).JSON()
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": fut["token"].(string)}, ""); r.Status != 403 || r.Code() != "not_open" {
		t.Errorf("not open: %d %s", r.Status, r.Body)
	}
	past := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager", "closes_at": time.Now().Add(time.Second).UTC()}, s.AccessToken).JSON()
	time.Sleep(1100 * time.Millisecond)
	if r := a.do("POST", "/api/v1/candidate/sessions", map[string]string{"token": past["token"].(string)}, ""); r.Status != 403 || r.Code() != "window_closed" {
		t.Errorf("closed: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "manager", "opens_at": time.Now().Add(2 * time.Hour).UTC(), "closes_at": time.Now().Add(time.Hour).UTC()}, s.AccessToken); r.Status != 422 {
		t.Errorf("closes before opens: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "C", "candidate_email": "c@c.test", "track": "nope"}, s.AccessToken); r.Status != 422 {
		t.Errorf("unknown track: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/versions/2", nil, s.AccessToken); r.Status != 404 {
		t.Errorf("version 2: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/"+id+"/versions/0", nil, s.AccessToken); r.Status != 404 && r.Status != 400 {
		t.Errorf("version 0: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/exams/not-a-uuid", nil, s.AccessToken); r.Status != 404 {
		t.Errorf("exam not uuid: %d", r.Status)
	}
	doc := smallExam(600, 30)
	doc["bogus"] = 1
	if r := a.do("PUT", "/api/v1/exams/"+id, doc, s.AccessToken); r.Status != 400 {
		t.Errorf("unknown field: %d", r.Status)
	}
	doc = smallExam(0, -1)
	if r := a.do("POST", "/api/v1/exams", doc, s.AccessToken); r.Status != 422 {
		t.Errorf("bad limits: %d", r.Status)
	} else {
		ds := r.details(t)
		if hasDetail(ds, "time_limit_seconds", "") == nil && len(ds) < 2 {
			t.Errorf("details: %s", r.Body)
		}
	}
	big := strings.Repeat("x", 1<<20+10)
	if r := a.do("POST", "/api/v1/exams", `{"title":"`+big+`"}`, s.AccessToken); r.Status != 413 || r.Code() != "payload_too_large" {
		t.Errorf("413: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/users", map[string]string{"email": "x@acme.test", "name": "X", "password": "correct horse battery", "role": "owner"}, s.AccessToken); r.Status != 422 {
		t.Errorf("bad role: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/users", map[string]string{"email": "x@acme.test", "name": "X", "password": "correct horse battery", "role": "candidate"}, s.AccessToken); r.Status != 422 {
		t.Errorf("candidate role: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/users", map[string]string{"email": "p2@acme.test", "name": "X", "password": "correct horse battery", "role": "reviewer"}, s.AccessToken); r.Status != 409 || r.Code() != "conflict" {
		t.Errorf("email taken: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/signup", map[string]string{"organization": "B", "name": "n", "email": "P2@acme.test", "password": "correct horse battery"}, ""); r.Status != 409 {
		t.Errorf("email taken case: %d", r.Status)
	}
	// candidate token on staff endpoint and the other way
	c := a.candidate(s.AccessToken, id, "manager")
	if r := a.do("GET", "/api/v1/me", nil, c.token); r.Status != 401 {
		t.Errorf("candidate token on /me: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/candidate/attempt", nil, s.AccessToken); r.Status != 401 {
		t.Errorf("staff token on candidate: %d", r.Status)
	}
	if r := a.do("GET", "/api/v1/candidate/attempt", nil, c.token); r.Status != 404 && r.Status != 409 {
		t.Errorf("get before start: %d %s", r.Status, r.Body)
	}
	if r := a.do("GET", "/api/v1/reviews/stats?exam_id=bad", nil, s.AccessToken); r.Status != 400 && r.Status != 404 {
		t.Errorf("stats bad: %d", r.Status)
	}
	o := a.signup("Other", "p2@other.test")
	if r := a.do("POST", "/api/v1/reviews/claim", map[string]string{"exam_id": id}, o.AccessToken); r.Status != 404 && r.Status != 204 {
		t.Errorf("claim other org exam: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/auth/logout", map[string]string{"refresh_token": s.RefreshToken}, ""); r.Status != 204 {
		t.Errorf("logout: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, ""); r.Status != 401 {
		t.Errorf("refresh after logout: %d", r.Status)
	}
	if r := a.do("POST", "/api/v1/auth/login", map[string]string{"email": "nobody@x.test", "password": "whatever123"}, ""); r.Status != 401 || r.Code() != "invalid_credentials" {
		t.Errorf("bad login: %d %s", r.Status, r.Body)
	}
	if r := a.do("POST", "/api/v1/auth/login", map[string]any{"email": 5, "password": "whatever123"}, ""); r.Status != 400 {
		t.Errorf("bad login type: %d %s", r.Status, r.Body)
	}
}
