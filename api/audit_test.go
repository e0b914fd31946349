package api

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"examd/internal/pgtest"
)

type auditPage struct {
	Items []struct {
		ID    int64     `json:"id"`
		At    time.Time `json:"at"`
		Actor struct {
			ID   *string `json:"id"`
			Name string  `json:"name"`
			Role string  `json:"role"`
		} `json:"actor"`
		Action  string          `json:"action"`
		Target  string          `json:"target"`
		Details json.RawMessage `json:"details"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func (a *app) audit(token, query string) auditPage {
	a.t.Helper()
	return getAs[auditPage](a, token, "/api/v1/audit"+query)
}

func TestAuditLogListsStaffChangesNewestFirst(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "audit@acme.test")
	rec := a.staff(s.AccessToken, "recruiter", "rec@acme.test")
	other := a.signup("Other", "audit@other.test")
	id := a.publishedExam(rec.AccessToken, smallExam(600, 0))
	c1 := a.candidate(rec.AccessToken, id, "manager")
	c2 := a.candidate(rec.AccessToken, id, "supervisor")
	a.must(204, "DELETE", "/api/v1/invitations/"+c2.invitationID, nil, rec.AccessToken)
	a.must(204, "DELETE", "/api/v1/invitations/"+c2.invitationID, nil, rec.AccessToken) // idempotent: no second row
	a.must(200, "PATCH", "/api/v1/invitations/"+c1.invitationID, map[string]any{"extra_time_seconds": 60}, s.AccessToken)

	p := a.audit(s.AccessToken, "")
	var got []string
	for _, it := range p.Items {
		got = append(got, it.Action+" "+it.Target)
	}
	want := []string{
		"invitation.changed invitation:" + c1.invitationID,
		"invitation.revoked invitation:" + c2.invitationID,
		"invitation.created invitation:" + c2.invitationID,
		"invitation.created invitation:" + c1.invitationID,
		"exam.published exam:" + id,
		"user.created user:" + rec.User.ID,
	}
	if len(got) != len(want) || p.NextCursor != nil {
		t.Fatalf("audit log:\n%q\nwant\n%q (next %v)", got, want, p.NextCursor)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit log:\n%q\nwant\n%q", got, want)
		}
	}
	pub := p.Items[4]
	if pub.Actor.ID == nil || *pub.Actor.ID != rec.User.ID || pub.Actor.Name != "recruiter rec@acme.test" || pub.Actor.Role != "recruiter" ||
		!jsonSame(pub.Details, `{"version": 1}`) || pub.At.IsZero() {
		t.Fatalf("publish record: %+v %s", pub, pub.Details)
	}
	if u := p.Items[5]; u.Actor.ID == nil || *u.Actor.ID != s.User.ID || u.Actor.Role != "admin" || !bytes.Contains(u.Details, []byte(`"recruiter"`)) {
		t.Fatalf("user record: %+v %s", u, u.Details)
	}

	// Filters.
	if f := a.audit(s.AccessToken, "?action=invitation.created"); len(f.Items) != 2 || f.Items[0].Action != "invitation.created" {
		t.Fatalf("action filter: %+v", f.Items)
	}
	if f := a.audit(s.AccessToken, "?actor="+s.User.ID); len(f.Items) != 2 || f.Items[0].Action != "invitation.changed" || f.Items[1].Action != "user.created" {
		t.Fatalf("actor filter: %+v", f.Items)
	}
	if f := a.audit(s.AccessToken, "?actor="+rec.User.ID+"&action=exam.published"); len(f.Items) != 1 {
		t.Fatalf("both filters: %+v", f.Items)
	}

	// Pages of two walk the same list without gaps or repeats.
	var walked []string
	q := "?limit=2"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		pg := a.audit(s.AccessToken, q)
		for _, it := range pg.Items {
			walked = append(walked, it.Action+" "+it.Target)
		}
		if pg.NextCursor == nil {
			break
		}
		q = "?limit=2&cursor=" + url.QueryEscape(*pg.NextCursor)
	}
	if len(walked) != len(want) {
		t.Fatalf("paged: %q", walked)
	}
	for i := range want {
		if walked[i] != want[i] {
			t.Fatalf("paged:\n%q\nwant\n%q", walked, want)
		}
	}

	// Admins only, one organization only, bad queries named.
	a.must(403, "GET", "/api/v1/audit", nil, rec.AccessToken)
	a.must(401, "GET", "/api/v1/audit", nil, "")
	if o := a.audit(other.AccessToken, ""); len(o.Items) != 0 {
		t.Fatalf("another organization sees %+v", o.Items)
	}
	for _, bad := range []string{"?limit=0", "?limit=501", "?limit=x", "?actor=nobody", "?cursor=zzz", "?cursor=" + url.QueryEscape("bm90LWEtY3Vyc29y")} {
		if r := a.do("GET", "/api/v1/audit"+bad, nil, s.AccessToken); r.Status != 400 || r.Code() != "bad_request" {
			t.Fatalf("%s: %d %s", bad, r.Status, r.Body)
		}
	}
}

func jsonSame(got json.RawMessage, want string) bool {
	var a, b any
	return json.Unmarshal(got, &a) == nil && json.Unmarshal([]byte(want), &b) == nil && reflect.DeepEqual(a, b)
}

// pgDump returns a plain-text dump of the database at dbURL.
func pgDump(t *testing.T, dbURL string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
		if len(m) == 0 {
			t.Fatal("pg_dump not found on PATH nor in /usr/lib/postgresql/*/bin")
		}
		bin = m[len(m)-1]
	}
	out, err := exec.Command(bin, "--no-owner", "--data-only", "-d", dbURL).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return out
}

func TestEraseCandidateLeavesNoTraceButTheScores(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	a := newAppOn(t, dbURL)
	s := a.signup("Acme", "erase@acme.test")
	rec := a.staff(s.AccessToken, "recruiter", "rec@acme.test")
	other := a.signup("Other", "erase@other.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 0))
	const name, mail, essay, addr = "欧阳娜娜 Zyxwv", "Zyxwv.Erase@Cand.test", "我的独特答案 QWERTYESSAY", "198.51.100.77"

	take := func(name, mail, essay, addr string, tf bool) string {
		inv := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations",
			map[string]any{"candidate_name": name, "candidate_email": mail, "track": "manager"}, s.AccessToken).JSON()
		ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
		tok := ses["access_token"].(string)
		var att attemptResp
		a.must(201, "POST", "/api/v1/candidate/attempt", nil, tok).Decode(t, &att)
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question("true_false")["id"].(string),
			map[string]any{"response": map[string]bool{"value": tf}, "seq": 1}, tok)
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question("essay")["id"].(string),
			map[string]any{"response": map[string]string{"text": essay}, "seq": 1}, tok)
		a.must(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "paste"}, tok, withAddr(addr+":4000"))
		a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, tok)
		return inv["id"].(string)
	}
	take(name, mail, essay, addr, false)
	// The same person invited a second time (another invitation, same address).
	take(name+" 2", "zyxwv.erase@cand.test", essay+" again", addr, true)
	take("王五 Keeper", "keeper@cand.test", "保留的答案 KEEPESSAY", "203.0.113.9", false)

	results := func() []byte {
		return a.must(200, "GET", "/api/v1/exams/"+id+"/results", nil, s.AccessToken).Body
	}
	type res struct {
		Items []struct {
			CandidateEmail string   `json:"candidate_email"`
			Score          *float64 `json:"score"`
			AutoScore      *float64 `json:"auto_score"`
		} `json:"items"`
	}
	scores := func(b []byte) []float64 {
		var r res
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		var out []float64
		for _, it := range r.Items {
			v := -1.0
			if it.AutoScore != nil {
				v = *it.AutoScore
			}
			out = append(out, v)
		}
		return out
	}
	before := scores(results())
	statsBefore := a.must(200, "GET", "/api/v1/reviews/stats?exam_id="+id, nil, s.AccessToken).Body
	if dump := pgDump(t, dbURL); !bytes.Contains(dump, []byte("QWERTYESSAY")) || !bytes.Contains(dump, []byte(addr)) {
		t.Fatal("the dump before erasure does not hold the candidate's data: the check below would prove nothing")
	}

	// Bad input changes nothing; other roles and organizations cannot erase.
	if r := a.do("POST", "/api/v1/candidates/erase", map[string]string{"email": "not an address"}, s.AccessToken); r.Status != 422 || hasDetail(r.details(t), "email", "invalid_email") == nil {
		t.Fatalf("bad email: %d %s", r.Status, r.Body)
	}
	a.must(422, "POST", "/api/v1/candidates/erase", map[string]string{}, s.AccessToken)
	a.must(403, "POST", "/api/v1/candidates/erase", map[string]string{"email": mail}, rec.AccessToken)
	if r := a.must(200, "POST", "/api/v1/candidates/erase", map[string]string{"email": mail}, other.AccessToken).JSON(); r["invitations"] != 0.0 || r["attempts"] != 0.0 {
		t.Fatalf("another organization erased: %v", r)
	}

	r := a.must(200, "POST", "/api/v1/candidates/erase", map[string]string{"email": "  zyxwv.ERASE@cand.TEST "}, s.AccessToken).JSON()
	if r["invitations"] != 2.0 || r["attempts"] != 2.0 {
		t.Fatalf("erase: %v", r)
	}
	dump := pgDump(t, dbURL)
	for _, needle := range []string{"Zyxwv", "zyxwv", "欧阳娜娜", "QWERTYESSAY", "我的独特答案", addr} {
		if bytes.Contains(dump, []byte(needle)) {
			i := bytes.Index(dump, []byte(needle))
			t.Fatalf("after erasure the dump still holds %q: …%s…", needle, dump[max(0, i-200):min(len(dump), i+100)])
		}
	}
	for _, needle := range []string{"Keeper", "KEEPESSAY"} {
		if !bytes.Contains(dump, []byte(needle)) {
			t.Fatalf("erasure removed another candidate's %q", needle)
		}
	}
	after := results()
	if got := scores(after); len(got) != len(before) || func() bool {
		for i := range got {
			if got[i] != before[i] {
				return true
			}
		}
		return false
	}() {
		t.Fatalf("scores moved: %v -> %v", before, got)
	}
	if st := a.must(200, "GET", "/api/v1/reviews/stats?exam_id="+id, nil, s.AccessToken).Body; !bytes.Equal(st, statsBefore) {
		t.Fatalf("statistics moved:\n%s\n%s", statsBefore, st)
	}
	// The erased invitations are revoked: their links no longer open.
	var list struct {
		Items []struct {
			CandidateName string `json:"candidate_name"`
			Status        string `json:"status"`
		} `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).Decode(t, &list)
	invs := list.Items
	if len(invs) != 3 || invs[0].CandidateName != "" || invs[0].Status != "revoked" || invs[2].CandidateName != "王五 Keeper" {
		t.Fatalf("invitations after erasure: %+v", invs)
	}

	// The erasure is in the audit log, without the address.
	p := a.audit(s.AccessToken, "?action=candidate.erased")
	if len(p.Items) != 1 || !jsonSame(p.Items[0].Details, `{"attempts": 2, "invitations": 2}`) || p.Items[0].Actor.Role != "admin" {
		t.Fatalf("audit: %+v", p.Items)
	}
	// Erasing again finds nothing and records nothing.
	if r := a.must(200, "POST", "/api/v1/candidates/erase", map[string]string{"email": mail}, s.AccessToken).JSON(); r["invitations"] != 0.0 {
		t.Fatalf("second erasure: %v", r)
	}
	if p := a.audit(s.AccessToken, "?action=candidate.erased"); len(p.Items) != 1 {
		t.Fatalf("second erasure recorded: %+v", p.Items)
	}
}
