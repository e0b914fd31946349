package api

import (
	"sync"
	"testing"
)

// Item 7 of issue 11: two tabs (here ten, on two servers sharing one
// database) refreshing with one token at once all succeed, and every token
// they got works.
func TestRefreshConcurrentTabs(t *testing.T) {
	a := parallelApp(t)
	b := newAppOn(t, a.cfg.DatabaseURL)
	s := a.signup("Acme", "tabs@acme.test")
	const n = 10
	out := make([]*resp, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			srv := a
			if i%2 == 1 {
				srv = b
			}
			out[i] = srv.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, "")
		}(i)
	}
	wg.Wait()
	seen := map[string]bool{}
	sessions := make([]session, n)
	for i, r := range out {
		if r.Status != 200 {
			t.Fatalf("refresh %d of %d: %d %s", i+1, n, r.Status, r.Body)
		}
		r.Decode(t, &sessions[i])
		if seen[sessions[i].RefreshToken] || sessions[i].RefreshToken == s.RefreshToken {
			t.Fatalf("refresh %d returned a refresh token already handed out", i+1)
		}
		seen[sessions[i].RefreshToken] = true
	}
	// Every answer's tokens work: its access token now, its refresh token once.
	for i, ss := range sessions {
		a.must(200, "GET", "/api/v1/me", nil, ss.AccessToken)
		next := a.refresh(ss.RefreshToken)
		a.must(200, "GET", "/api/v1/me", nil, next.AccessToken)
		if i == n-1 {
			a.refresh(next.RefreshToken)
		}
	}
	// A successor of the first token has been used: presenting it now is reuse.
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, "")
	var live int64
	a.db.Raw(`SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`).Scan(&live)
	if live != 0 {
		t.Fatalf("%d tokens of the family still live after reuse", live)
	}
}

// The grace is 10 seconds from the token's first use: within it the token
// works again; after it, presenting it is reuse and kills the family.
func TestRefreshGraceEnds(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "grace@acme.test")
	first := a.refresh(s.RefreshToken)
	// 9 seconds after the first use: still a second tab.
	a.db.Exec(`UPDATE refresh_tokens SET used_at = now() - interval '9 seconds' WHERE used_at IS NOT NULL`)
	second := a.refresh(s.RefreshToken)
	// The grace counts from the first use, not the latest: 11 seconds on, reuse.
	a.db.Exec(`UPDATE refresh_tokens SET used_at = now() - interval '11 seconds' WHERE used_at IS NOT NULL`)
	r := a.do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, "")
	if r.Status != 401 || r.Code() != "unauthorized" {
		t.Fatalf("reuse after 11 s: %d %s", r.Status, r.Body)
	}
	// The whole family is revoked: neither unused successor works.
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": first.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": second.RefreshToken}, "")
}

// Presenting a token again after one of its successors was used is reuse,
// even within 10 seconds: the family is revoked.
func TestRefreshReuseAfterSuccessorUsed(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "succ@acme.test")
	s1 := a.refresh(s.RefreshToken)
	s2 := a.refresh(s1.RefreshToken)
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s2.RefreshToken}, "")
	// Another login is another family and is not touched.
	l := a.login("succ@acme.test")
	a.refresh(l.RefreshToken)
	// After logout nothing of the family works, grace or not.
	m := a.login("succ@acme.test")
	m1 := a.refresh(m.RefreshToken)
	a.must(204, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": m1.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": m.RefreshToken}, "")
	a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": m1.RefreshToken}, "")
}

// Logouts, reuse and refreshes of one family racing on two servers: every
// answer is a 204, 200 or 401, never a 5xx, and afterwards nothing of the
// family works.
func TestRefreshLogoutRace(t *testing.T) {
	a := parallelApp(t)
	b := newAppOn(t, a.cfg.DatabaseURL)
	s := a.signup("Acme", "race@acme.test")
	// A chain of used tokens, the last one live.
	chain := []string{s.RefreshToken}
	for i := 0; i < 4; i++ {
		var next session
		a.must(200, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": chain[len(chain)-1]}, "").Decode(t, &next)
		chain = append(chain, next.RefreshToken)
	}
	var wg sync.WaitGroup
	out := make([]*resp, 3*len(chain))
	for i := range out {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			srv, tok := a, chain[i%len(chain)]
			if i%2 == 1 {
				srv = b
			}
			path := "/api/v1/auth/refresh"
			if i%3 == 0 {
				path = "/api/v1/auth/logout"
			}
			out[i] = srv.do("POST", path, map[string]string{"refresh_token": tok}, "")
		}(i)
	}
	wg.Wait()
	var handed []string
	for i, r := range out {
		switch r.Status {
		case 200:
			var ss session
			r.Decode(t, &ss)
			handed = append(handed, ss.RefreshToken)
		case 204, 401:
		default:
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
	}
	for _, tok := range append(chain, handed...) {
		a.must(401, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": tok}, "")
	}
}
