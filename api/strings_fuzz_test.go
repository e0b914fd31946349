package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzStringFields puts arbitrary strings (NUL, invalid UTF-8, 100,000
// characters, JSON-looking text, …) into every string of a real example
// body of every endpoint that takes one, member names included, and sends
// it through the real router to PostgreSQL. Whatever the string, the answer
// is never a 5xx, and a 4xx changes nothing in the database.
//
// One fixture (an organization, a published exam, a candidate with a running
// attempt, a reviewer holding an essay) serves every iteration; 2xx answers
// may change it, which only moves later iterations to other paths.
func FuzzStringFields(f *testing.F) {
	fx := newStringsFuzzFixture(f)
	// NUL, invalid UTF-8 and 100,000 characters at two positions of every
	// endpoint; the rest of the specials spread over them.
	specials := []string{"", " ", "null", `"`, `\`, "{{1}}", "<script>alert(1)</script>", "9007199254740993",
		"\u2028\u2029", "😀", "=cmd|' /C calc'!A0", "a@b", "manager"}
	for i := range fx.endpoints {
		for _, s := range []string{"a\x00b", "\xff\xfe\xfd", specials[i%len(specials)]} {
			f.Add(uint8(i), uint8(0), s, false)
			f.Add(uint8(i), uint8(i*7+3), s, false)
		}
		f.Add(uint8(i), uint8(i), "长", true)
		f.Add(uint8(i), uint8(i+1), "a\x00", true)
	}
	// long stretches s to 100,000 characters in the target rather than in
	// the corpus: the fuzzing engine slows to a crawl on inputs that large.
	f.Fuzz(func(t *testing.T, which, pos uint8, s string, long bool) {
		if long {
			if s == "" {
				s = "x"
			}
			rs, out := []rune(s), make([]rune, 100000)
			for i := range out {
				out[i] = rs[i%len(rs)]
			}
			s = string(out)
		}
		ep := fx.endpoints[int(which)%len(fx.endpoints)]
		body, at := substitute(ep.body, int(pos), s)
		before := fx.digest(t, ep.counts)
		a := *fx.a // the same router and database, reporting to t
		a.t = t
		r := a.do(ep.method, ep.path, body, ep.token)
		if r.Status >= 500 || r.Status < 200 {
			t.Fatalf("%s %s with %q at %s: status %d: %s", ep.method, ep.path, truncateString(s), at, r.Status, truncate(r.Body))
		}
		if r.Status >= 400 {
			if r.Code() == "" {
				t.Fatalf("%s %s: a %d without the error body: %s", ep.method, ep.path, r.Status, truncate(r.Body))
			}
			if after := fx.digest(t, ep.counts); after != before {
				t.Fatalf("%s %s with %q at %s: %d %s, yet the database changed:\n%s\n%s",
					ep.method, ep.path, truncateString(s), at, r.Status, truncate(r.Body), before, after)
			}
		}
	})
}

func truncateString(s string) string {
	if len(s) > 80 {
		return s[:80] + fmt.Sprintf("…(%d bytes)", len(s))
	}
	return s
}

type fuzzEndpoint struct {
	method, path, token string
	body                any // decoded example body (json.Number for numbers)
	// counts: the endpoint legitimately records a failed attempt (login,
	// invitation token) for the rate limiter, so those tables are left out of
	// its digest.
	counts bool
}

type stringsFuzzFixture struct {
	a         *app
	endpoints []fuzzEndpoint
	tables    []string
}

func newStringsFuzzFixture(tb testing.TB) *stringsFuzzFixture {
	a := newApp(tb)
	fx := &stringsFuzzFixture{a: a}
	// Staff tokens signed here for a day, so a long fuzz run outlives the
	// 15-minute access tokens.
	tokens := NewTokens([]byte(testSecret))
	long := func(s session) string {
		tok, err := tokens.Sign(s.User.ID, s.User.Role, s.User.Organization.ID, audStaff, 24*time.Hour)
		if err != nil {
			tb.Fatal(err)
		}
		return tok
	}
	adminS := a.signup("Fuzz", "admin@fuzz.test")
	admin := long(adminS)
	doc := smallExam(7*24*3600, 30)
	examID := a.publishedExam(admin, doc)
	var draft examResp
	a.must(201, "POST", "/api/v1/exams", doc, admin).Decode(tb, &draft)
	reviewerS := a.staff(admin, "reviewer", "rev@fuzz.test")
	reviewer := long(reviewerS)

	// One candidate submits an essay for the reviewer to hold.
	done := a.candidate(admin, examID, "manager")
	att := a.startAttempt(done)
	a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question("essay")["id"].(string),
		map[string]any{"response": map[string]string{"text": "答"}, "seq": 1}, done.token)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, done.token)
	item := a.must(200, "POST", "/api/v1/reviews/claim", nil, reviewer).JSON()

	// Another takes the exam for the whole run.
	c := a.candidate(admin, examID, "manager")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token).Decode(tb, &att)
	qid := func(typ string) string { return att.question(typ)["id"].(string) }
	pending := a.candidate(admin, examID, "supervisor")
	var login session
	a.must(200, "POST", "/api/v1/auth/login", map[string]string{"email": "admin@fuzz.test", "password": "correct horse battery"}, "").Decode(tb, &login)

	keyPath := func(typ string) string {
		return "/api/v1/exams/" + examID + "/versions/1/questions/" + qid(typ) + "/key"
	}
	inv := map[string]any{"candidate_name": "张三", "candidate_email": "zhang@fuzz.test", "track": "manager",
		"opens_at": "2026-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z"}
	eps := []fuzzEndpoint{
		{method: "POST", path: "/api/v1/signup", body: map[string]any{"organization": "Org", "name": "N", "email": "new@fuzz.test", "password": "correct horse battery"}},
		{method: "POST", path: "/api/v1/auth/login", body: map[string]any{"email": "admin@fuzz.test", "password": "correct horse battery"}, counts: true},
		{method: "POST", path: "/api/v1/auth/refresh", body: map[string]any{"refresh_token": login.RefreshToken}, counts: true},
		{method: "POST", path: "/api/v1/auth/logout", body: map[string]any{"refresh_token": "not-a-token"}},
		{method: "POST", path: "/api/v1/users", token: admin, body: map[string]any{"email": "u@fuzz.test", "name": "U", "password": "correct horse battery", "role": "recruiter"}},
		{method: "POST", path: "/api/v1/exams", token: admin, body: doc},
		{method: "PUT", path: "/api/v1/exams/" + draft.ID, token: admin, body: doc},
		{method: "POST", path: "/api/v1/exams/" + examID + "/invitations", token: admin, body: inv},
		{method: "POST", path: "/api/v1/exams/" + examID + "/invitations", token: admin, body: []any{inv, inv}},
		{method: "POST", path: "/api/v1/candidate/sessions", body: map[string]any{"token": pending.inviteToken}, counts: true},
		{method: "PUT", path: "/api/v1/candidate/attempt/answers/" + qid("essay"), token: c.token, body: map[string]any{"response": map[string]any{"text": "我的回答"}, "seq": 1}},
		{method: "PUT", path: "/api/v1/candidate/attempt/answers/" + qid("fill_in"), token: c.token, body: map[string]any{"response": map[string]any{"blanks": []any{"客人", "ABC"}}, "seq": 1}},
		{method: "PUT", path: "/api/v1/candidate/attempt/answers/" + qid("single_choice"), token: c.token, body: map[string]any{"response": map[string]any{"choice": "a"}, "seq": 1}},
		{method: "PUT", path: "/api/v1/candidate/attempt/answers/" + qid("multiple_choice"), token: c.token, body: map[string]any{"response": map[string]any{"choices": []any{"a", "b"}}, "seq": 1}},
		{method: "PUT", path: "/api/v1/candidate/attempt/answers/" + qid("true_false"), token: c.token, body: map[string]any{"response": map[string]any{"value": true}, "seq": 1}},
		{method: "POST", path: "/api/v1/candidate/attempt/events", token: c.token, body: map[string]any{"type": "blur", "at": "2026-12-01T10:00:00Z"}},
		{method: "POST", path: "/api/v1/reviews/claim", token: reviewer, body: map[string]any{"exam_id": examID}},
		{method: "POST", path: "/api/v1/reviews/" + item["id"].(string) + "/score", token: reviewer, body: map[string]any{"points": 1, "comment": "好"}},
		{method: "PUT", path: keyPath("single_choice") + "?dry_run=true", token: admin, body: map[string]any{"answer": "b"}},
		{method: "PUT", path: keyPath("multiple_choice"), token: admin, body: map[string]any{"answers": []any{"a", "b"}}},
		{method: "PUT", path: keyPath("fill_in") + "?dry_run=true", token: admin, body: map[string]any{"blanks": []any{
			map[string]any{"accepted": []any{"客人"}, "points": 1}, map[string]any{"accepted": []any{"ABC", "abc"}, "points": 1}}}},
	}
	for i := range eps {
		eps[i].body = normalizeBody(tb, eps[i].body)
	}
	fx.endpoints = eps
	a.db.Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'goose%' ORDER BY table_name`).Scan(&fx.tables)
	return fx
}

// normalizeBody turns a Go literal into what decoding its JSON gives, with
// numbers kept as written.
func normalizeBody(tb testing.TB, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// digest is a cheap fingerprint of the database: per table, the number of
// rows and the newest row version (any insert or update writes a newer xmin,
// any delete lowers the count).
func (fx *stringsFuzzFixture) digest(t testing.TB, counts bool) string {
	var parts []string
	for _, tb := range fx.tables {
		if counts && (strings.Contains(tb, "auth_") || strings.Contains(tb, "login") || strings.Contains(tb, "rate")) {
			continue
		}
		parts = append(parts, fmt.Sprintf(`(SELECT '%s:' || count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM %s)`, tb, tb))
	}
	var d string
	if err := fx.a.db.Raw(`SELECT concat_ws(' ', ` + strings.Join(parts, ", ") + `)`).Scan(&d).Error; err != nil {
		t.Fatalf("digest: %v", err)
	}
	return d
}

// substitute returns the JSON of body with the string position pos (counted
// modulo the number of string values and member names, in a fixed order)
// replaced by s, written byte for byte: invalid UTF-8 is sent as it is,
// not as U+FFFD. It also returns the position's path, for messages.
func substitute(body any, pos int, s string) (string, string) {
	var spots []string
	collectStrings(body, "", &spots)
	if len(spots) == 0 {
		b, _ := json.Marshal(body)
		return string(b), ""
	}
	target := spots[pos%len(spots)]
	var buf bytes.Buffer
	writeWith(&buf, body, "", target, s)
	return buf.String(), target
}

// A spot is "v:<path>" for a string value or "k:<path>" for a member name.
func collectStrings(v any, path string, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, "v:"+path)
	case map[string]any:
		for _, k := range sortedKeys(x) {
			p := joinPath(path, k)
			*out = append(*out, "k:"+p)
			collectStrings(x[k], p, out)
		}
	case []any:
		for i, e := range x {
			collectStrings(e, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeWith(buf *bytes.Buffer, v any, path, target, s string) {
	switch x := v.(type) {
	case string:
		if "v:"+path == target {
			writeRawString(buf, s)
		} else {
			writeRawString(buf, x)
		}
	case map[string]any:
		buf.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				buf.WriteByte(',')
			}
			p := joinPath(path, k)
			if "k:"+p == target {
				writeRawString(buf, s)
			} else {
				writeRawString(buf, k)
			}
			buf.WriteByte(':')
			writeWith(buf, x[k], p, target, s)
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeWith(buf, e, fmt.Sprintf("%s[%d]", path, i), target, s)
		}
		buf.WriteByte(']')
	default:
		b, _ := json.Marshal(x)
		buf.Write(b)
	}
}

// writeRawString quotes s as a JSON string, escaping only what JSON
// requires and NUL as \u0000, and passing every other byte through, valid
// UTF-8 or not.
func writeRawString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf.WriteByte('\\')
			buf.WriteByte(c)
			i++
		case c < 0x20:
			fmt.Fprintf(buf, `\u%04x`, c)
			i++
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			buf.WriteString(s[i : i+n])
			i += n
		}
	}
	buf.WriteByte('"')
}
