package api

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// API.md v1.1: lists that can grow past a few hundred rows take ?limit=
// (default 50, at most 500) and ?cursor= and answer {items, next_cursor}.
// An exam's invitations are such a list (a hiring round invites hundreds).
func TestInvitationsArePaginated(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	s := a.signup("Acme", "pages@acme.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 30))
	var batch []map[string]any
	for i := range 5 {
		batch = append(batch, map[string]any{"candidate_name": fmt.Sprintf("候选人%d", i), "candidate_email": fmt.Sprintf("c%d@cand.test", i), "track": "manager"})
	}
	a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", batch, s.AccessToken)
	a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "最后", "candidate_email": "last@cand.test", "track": "supervisor"}, s.AccessToken)

	var all struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).Decode(t, &all)
	if len(all.Items) != 6 {
		t.Fatalf("unpaged list has %d invitations, want 6", len(all.Items))
	}

	got, sizes := a.pages(s.AccessToken, "/api/v1/exams/"+id+"/invitations?limit=4")
	if fmt.Sprint(sizes) != "[4 2]" {
		t.Errorf("page sizes %v, want [4 2]", sizes)
	}
	if len(got) != len(all.Items) {
		t.Fatalf("pages hold %d invitations, want %d", len(got), len(all.Items))
	}
	for i := range got {
		if got[i] != all.Items[i].ID {
			t.Fatalf("page order differs from the list at %d: %v vs %v", i, got, all.Items)
		}
	}
	var def idPage
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations?cursor=", nil, s.AccessToken).Decode(t, &def)
	if len(def.Items) != 6 || def.NextCursor != nil {
		t.Errorf("default page: %d items, next %v; want all 6 and null", len(def.Items), def.NextCursor)
	}

	for _, q := range []string{"limit=0", "limit=501", "limit=abc", "cursor=bogus", "limit=2&cursor=MjAyNnx4"} {
		if r := a.do("GET", "/api/v1/exams/"+id+"/invitations?"+q, nil, s.AccessToken); r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("?%s: %d %s, want 400 bad_request", q, r.Status, r.Body)
		}
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations?limit=500", nil, s.AccessToken)
	other := a.signup("Other", "pages@other.test")
	if r := a.do("GET", "/api/v1/exams/"+id+"/invitations?limit=2", nil, other.AccessToken); r.Status != 404 {
		t.Errorf("another organization's invitations page: %d, want 404", r.Status)
	}
}

// The organization's exams are paged the same way, newest first.
func TestExamsArePaginated(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	s := a.signup("Acme", "exampages@acme.test")
	var made []string
	for i := range 5 {
		doc := smallExam(600, 30)
		doc["title"] = fmt.Sprintf("Exam %d", i)
		var e examResp
		a.must(201, "POST", "/api/v1/exams", doc, s.AccessToken).Decode(t, &e)
		made = append(made, e.ID)
	}
	other := a.signup("Other", "exampages@other.test")
	a.must(201, "POST", "/api/v1/exams", smallExam(600, 30), other.AccessToken)

	got, _ := a.pages(s.AccessToken, "/api/v1/exams?limit=2")
	if len(got) != 5 {
		t.Fatalf("pages hold %d exams, want this organization's 5: %v", len(got), got)
	}
	for i := range got {
		if got[i] != made[4-i] {
			t.Fatalf("pages are not newest first: %v, made %v", got, made)
		}
	}
	var all idPage
	a.must(200, "GET", "/api/v1/exams", nil, s.AccessToken).Decode(t, &all)
	if len(all.Items) != 5 {
		t.Errorf("the unpaged list has %d exams", len(all.Items))
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "cursor=zz"} {
		if r := a.do("GET", "/api/v1/exams?"+q, nil, s.AccessToken); r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("?%s: %d %s, want 400", q, r.Status, r.Body)
		}
	}
}

// idPage is a page of any paginated list, read for its rows' ids.
type idPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pages follows next_cursor from first to the last page and returns every
// row's id in order and each page's size. Every page must carry
// next_cursor, null on the last.
func (a *app) pages(token, first string) (ids []string, sizes []int) {
	a.t.Helper()
	base, _, _ := strings.Cut(first, "?")
	path := first
	for range 10 {
		r := a.must(200, "GET", path, nil, token)
		if _, ok := r.JSON()["next_cursor"]; !ok {
			a.t.Fatalf("GET %s: a page without next_cursor: %s", path, r.Body)
		}
		var p idPage
		r.Decode(a.t, &p)
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		sizes = append(sizes, len(p.Items))
		if p.NextCursor == nil {
			return ids, sizes
		}
		q, _ := url.ParseQuery(strings.SplitN(first, "?", 2)[1])
		q.Set("cursor", *p.NextCursor)
		path = base + "?" + q.Encode()
	}
	a.t.Fatalf("GET %s: more than 10 pages", first)
	return nil, nil
}
