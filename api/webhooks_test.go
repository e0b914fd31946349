package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"examd/notify"
)

// receiver is a webhook endpoint on 127.0.0.1 that checks every request's
// Standard Webhooks signature with its own implementation and fails the
// test on a bad one.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	got    []receivedEvent
	fail   int // answer 500 to this many requests first
	calls  int
}

type receivedEvent struct {
	ID   string
	Type string `json:"type"`
	At   string `json:"timestamp"`
	Data map[string]any
	Raw  string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	id, ts, sig := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
	if err != nil || !strings.HasPrefix(r.secret, "whsec_") || len(key) < 24 {
		r.t.Errorf("receiver: secret %q is not whsec_ + base64 of at least 24 bytes", r.secret)
	}
	mac := hmac.New(sha256.New, key)
	io.WriteString(mac, id+"."+ts+".")
	mac.Write(body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if sig != want || id == "" {
		r.t.Errorf("receiver: bad signature %q for id %q (want %q)", sig, id, want)
		w.WriteHeader(400)
		return
	}
	if n, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(n, 0)).Abs() > time.Minute {
		r.t.Errorf("receiver: webhook-timestamp %q is not now", ts)
	}
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(500)
		io.WriteString(w, "try later")
		return
	}
	var ev receivedEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		r.t.Errorf("receiver: body %s: %v", body, err)
	}
	ev.ID, ev.Raw = id, string(body)
	r.got = append(r.got, ev)
	w.WriteHeader(204)
}

func (r *receiver) events() []receivedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedEvent(nil), r.got...)
}

// deliver runs a worker until done reports true (or fails after 15 s).
func deliver(t *testing.T, w *notify.Worker, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatal("deliveries did not complete within 15 s")
		}
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// deliveryPage is one page of a webhook's deliveries.
type deliveryPage struct {
	Items      []notify.Delivery `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

func (a *app) createHook(token, url string, events ...string) notify.Webhook {
	a.t.Helper()
	var w notify.Webhook
	a.must(201, "POST", "/api/v1/webhooks", map[string]any{"url": url, "events": events, "description": "ATS"}, token).Decode(a.t, &w)
	return w
}

var allEvents = []string{"invitation.created", "attempt.started", "attempt.submitted", "attempt.graded", "key.amended"}

func TestWebhookLifecycleEventsSignedAndLogged(t *testing.T) {
	a := newApp(t)
	rcv := newReceiver(t)
	s := a.signup("Acme", "admin@acme.test")
	hook := a.createHook(s.AccessToken, rcv.srv.URL+"/hook", allEvents...)
	rcv.secret = hook.Secret
	if !strings.HasPrefix(hook.Secret, "whsec_") || hook.URL != rcv.srv.URL+"/hook" || len(hook.Events) != 5 || hook.Description != "ATS" {
		t.Fatalf("created webhook: %+v", hook)
	}
	list := a.must(200, "GET", "/api/v1/webhooks", nil, s.AccessToken)
	if strings.Contains(string(list.Body), hook.Secret) || strings.Contains(string(list.Body), "secret") {
		t.Fatalf("the secret is shown again in the list: %s", list.Body)
	}
	// An exam without essays: submitting grades it at once.
	doc := smallExam(600, 30)
	doc["tracks"] = []string{}
	secs := doc["sections"].([]any)
	doc["sections"] = secs[:2]
	examID := a.publishedExam(s.AccessToken, doc)
	c := a.candidate(s.AccessToken, examID, "")
	att := a.startAttempt(c)
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)

	w := notify.NewWorker(notify.WorkerOptions{DB: a.db, AllowPrivate: true})
	deliver(t, w, func() bool { return len(rcv.events()) >= 4 })
	// Sent in parallel: order them as the changes happened.
	got := rcv.events()
	rank := map[string]int{"invitation.created": 0, "attempt.started": 1, "attempt.submitted": 2, "attempt.graded": 3}
	slices.SortFunc(got, func(x, y receivedEvent) int { return rank[x.Type] - rank[y.Type] })
	types := []string{}
	for _, e := range got {
		types = append(types, e.Type)
		if e.Data["exam_id"] != examID || e.Data["invitation_id"] != c.invitationID {
			t.Errorf("%s: data %v lacks the exam and invitation", e.Type, e.Data)
		}
		if e.Type != "invitation.created" && e.Data["attempt_id"] != att.ID {
			t.Errorf("%s: attempt_id %v, want %s", e.Type, e.Data["attempt_id"], att.ID)
		}
		if strings.Contains(e.Raw, "客人") || strings.Contains(e.Raw, `"answer`) {
			t.Errorf("%s carries answers or keys: %s", e.Type, e.Raw)
		}
	}
	if strings.Join(types, ",") != "invitation.created,attempt.started,attempt.submitted,attempt.graded" {
		t.Fatalf("events %v", types)
	}
	if sub := got[2].Data; sub["status"] != "graded" || sub["submitted_by"] != "candidate" || sub["candidate_email"] != "c-@cand.test" || sub["max_score"] == nil {
		t.Errorf("attempt.submitted data: %v", sub)
	}
	if _, ok := got[3].Data["passed"]; !ok {
		t.Errorf("attempt.graded lacks passed: %v", got[3].Data)
	}
	var page deliveryPage
	a.must(200, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, s.AccessToken).Decode(t, &page)
	if len(page.Items) != 4 || page.NextCursor != nil {
		t.Fatalf("deliveries: %+v", page)
	}
	for i, d := range page.Items {
		if d.Status != "delivered" || d.Attempts != 1 || d.LastStatus == nil || *d.LastStatus != 204 || d.DeliveredAt == nil || d.NextAttemptAt != nil {
			t.Errorf("delivery %d: %+v", i, d)
		}
		if want := got[3-i]; d.Type != want.Type || d.EventID != want.ID {
			t.Errorf("delivery %d is %s/%s, want newest first %s/%s", i, d.Type, d.EventID, want.Type, want.ID)
		}
	}
	// Pages of one, newest first, through next_cursor.
	seen := []string{}
	cursor := ""
	for range 5 {
		var p deliveryPage
		a.must(200, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries?limit=1"+cursor, nil, s.AccessToken).Decode(t, &p)
		for _, d := range p.Items {
			seen = append(seen, d.Type)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + *p.NextCursor
	}
	if strings.Join(seen, ",") != "attempt.graded,attempt.submitted,attempt.started,invitation.created" {
		t.Errorf("paged deliveries: %v", seen)
	}
	a.must(400, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries?cursor=bogus", nil, s.AccessToken)
	a.must(400, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries?limit=501", nil, s.AccessToken)

	// Audit: created in the same transaction.
	if acts := a.auditActions(s.User.Organization.ID, "webhook:"+hook.ID); len(acts) != 1 || acts[0].Action != "webhook.created" {
		t.Errorf("audit: %+v", acts)
	}
	// Deleted: no more deliveries for it, audited.
	a.must(204, "DELETE", "/api/v1/webhooks/"+hook.ID, nil, s.AccessToken)
	a.must(404, "DELETE", "/api/v1/webhooks/"+hook.ID, nil, s.AccessToken)
	a.must(404, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, s.AccessToken)
	a.candidate(s.AccessToken, examID, "")
	if n, _ := w.RunOnce(context.Background()); n != 0 {
		t.Errorf("a deleted webhook still got %d deliveries", n)
	}
	if acts := a.auditActions(s.User.Organization.ID, "webhook:"+hook.ID); len(acts) != 2 || acts[1].Action != "webhook.deleted" {
		t.Errorf("audit after delete: %+v", acts)
	}
}

func TestWebhookAccessIsolationAndValidation(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "admin@acme.test")
	other := a.signup("Other", "admin@other.test")
	rec := a.staff(s.AccessToken, "recruiter", "rec@acme.test")
	hook := a.createHook(s.AccessToken, "https://ats.example.com/hooks", "attempt.submitted")
	a.must(403, "POST", "/api/v1/webhooks", map[string]any{"url": "https://x.example.com", "events": []string{"attempt.started"}}, rec.AccessToken)
	a.must(403, "GET", "/api/v1/webhooks", nil, rec.AccessToken)
	a.must(401, "GET", "/api/v1/webhooks", nil, "")
	// Another organization sees nothing of it.
	if items := a.must(200, "GET", "/api/v1/webhooks", nil, other.AccessToken).JSON()["items"].([]any); len(items) != 0 {
		t.Fatalf("other org sees %v", items)
	}
	a.must(404, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, other.AccessToken)
	a.must(404, "DELETE", "/api/v1/webhooks/"+hook.ID, nil, other.AccessToken)
	a.must(404, "POST", "/api/v1/webhooks/"+hook.ID+"/deliveries/00000000-0000-0000-0000-000000000000/retry", nil, s.AccessToken)
	a.must(404, "DELETE", "/api/v1/webhooks/not-a-uuid", nil, s.AccessToken)

	cases := []struct {
		body        map[string]any
		field, code string
	}{
		{map[string]any{"url": "ftp://ats.example.com/x", "events": []string{"attempt.started"}}, "url", "invalid_url"},
		{map[string]any{"url": "", "events": []string{"attempt.started"}}, "url", "required"},
		{map[string]any{"url": "https://", "events": []string{"attempt.started"}}, "url", "invalid_url"},
		{map[string]any{"url": "https://ats.example.com", "events": []string{}}, "events", "too_few"},
		{map[string]any{"url": "https://ats.example.com", "events": []string{"attempt.started", "exam.deleted"}}, "events[1]", "unknown_event"},
		{map[string]any{"url": "https://ats.example.com", "events": []string{"attempt.started", "attempt.started"}}, "events[1]", "duplicate"},
		{map[string]any{"url": "https://ats.example.com/" + strings.Repeat("a", 2000), "events": []string{"attempt.started"}}, "url", "too_long"},
	}
	for _, tc := range cases {
		r := a.must(422, "POST", "/api/v1/webhooks", tc.body, s.AccessToken)
		if hasDetail(r.details(t), tc.field, tc.code) == nil {
			t.Errorf("%v: details %s lack %s/%s", tc.body, r.Body, tc.field, tc.code)
		}
	}
	a.must(400, "POST", "/api/v1/webhooks", map[string]any{"url": "https://ats.example.com", "events": []string{"attempt.started"}, "secret": "mine"}, s.AccessToken)
	if items := a.must(200, "GET", "/api/v1/webhooks", nil, s.AccessToken).JSON()["items"].([]any); len(items) != 1 {
		t.Fatalf("refused webhooks were stored: %v", items)
	}
}

func TestWebhookRetriesBackoffFailAndManualRetry(t *testing.T) {
	a := newApp(t)
	rcv := newReceiver(t)
	rcv.fail = 2
	s := a.signup("Acme", "admin@acme.test")
	hook := a.createHook(s.AccessToken, rcv.srv.URL, "invitation.created")
	rcv.secret = hook.Secret
	examID := a.publishedExam(s.AccessToken, smallExam(600, 30))
	a.candidate(s.AccessToken, examID, "manager")

	w := notify.NewWorker(notify.WorkerOptions{DB: a.db, AllowPrivate: true, Schedule: []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}})
	deliver(t, w, func() bool { return len(rcv.events()) == 1 })
	var page deliveryPage
	a.must(200, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, s.AccessToken).Decode(t, &page)
	if d := page.Items[0]; d.Status != "delivered" || d.Attempts != 3 || rcv.calls != 3 {
		t.Fatalf("after two 500s: %+v, %d calls", d, rcv.calls)
	}

	// Always failing: 1 + len(schedule) requests, then failed.
	rcv.mu.Lock()
	rcv.fail, rcv.calls = 1000, 0
	rcv.mu.Unlock()
	a.candidate(s.AccessToken, examID, "supervisor")
	isFailed := func() bool {
		var p deliveryPage
		a.must(200, "GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, s.AccessToken).Decode(t, &p)
		page = p
		return p.Items[0].Status == "failed"
	}
	deliver(t, w, isFailed)
	d := page.Items[0]
	if d.Attempts != 4 || rcv.calls != 4 || d.LastStatus == nil || *d.LastStatus != 500 || d.NextAttemptAt != nil {
		t.Fatalf("failed delivery: %+v after %d calls", d, rcv.calls)
	}
	// A manual retry sends it again, with the same webhook-id.
	rcv.mu.Lock()
	rcv.fail = 0
	rcv.mu.Unlock()
	a.must(202, "POST", "/api/v1/webhooks/"+hook.ID+"/deliveries/"+d.ID+"/retry", nil, s.AccessToken)
	deliver(t, w, func() bool { return len(rcv.events()) == 2 })
	if ev := rcv.events()[1]; ev.ID != d.EventID {
		t.Fatalf("retry sent webhook-id %s, want the event id %s", ev.ID, d.EventID)
	}
	other := a.signup("Other", "admin@other.test")
	a.must(404, "POST", "/api/v1/webhooks/"+hook.ID+"/deliveries/"+d.ID+"/retry", nil, other.AccessToken)
}

// fixedResolver answers every lookup with one address.
type fixedResolver struct{ addr netip.Addr }

func (r fixedResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{r.addr}, nil
}

func TestWebhookSSRFGuardAtDeliveryTime(t *testing.T) {
	a := newApp(t)
	rcv := newReceiver(t)
	s := a.signup("Acme", "admin@acme.test")
	_, port, _ := net.SplitHostPort(rcv.srv.Listener.Addr().String())
	hook := a.createHook(s.AccessToken, "http://ats.example.com:"+port+"/hook", "invitation.created")
	rcv.secret = hook.Secret
	examID := a.publishedExam(s.AccessToken, smallExam(600, 30))
	a.candidate(s.AccessToken, examID, "manager")
	for _, bad := range []string{"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "ff00::1", "::ffff:127.0.0.1", "::", "0.0.0.0", "::1", "fe80::1", "fc00::1", "224.0.0.1", "100.64.0.1"} {
		if !notify.Forbidden(netip.MustParseAddr(bad)) {
			t.Errorf("%s is not forbidden", bad)
		}
	}
	for _, good := range []string{"93.184.216.34", "2606:2800:220:1::1", "::ffff:93.184.216.34"} {
		if notify.Forbidden(netip.MustParseAddr(good)) {
			t.Errorf("%s is forbidden", good)
		}
	}
	for _, bad := range []string{"127.0.0.1", "10.0.0.1", "169.254.1.1", "ff00::1", "::ffff:127.0.0.1", "::", "0.0.0.0"} {
		w := notify.NewWorker(notify.WorkerOptions{DB: a.db, Resolver: fixedResolver{netip.MustParseAddr(bad)},
			Schedule: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond}})
		a.db.Exec(`UPDATE webhook_deliveries SET next_attempt_at = now()`)
		if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
			t.Fatalf("%s: claimed %d, %v", bad, n, err)
		}
		var lastErr string
		a.db.Raw(`SELECT last_error FROM webhook_deliveries`).Scan(&lastErr)
		if !strings.Contains(lastErr, "forbidden address") {
			t.Errorf("%s: last_error %q", bad, lastErr)
		}
	}
	if rcv.calls != 0 {
		t.Fatalf("the receiver was reached %d times through forbidden addresses", rcv.calls)
	}
	// WEBHOOK_ALLOW_PRIVATE: the same resolver's loopback answer is used.
	w := notify.NewWorker(notify.WorkerOptions{DB: a.db, AllowPrivate: true, Resolver: fixedResolver{netip.MustParseAddr("127.0.0.1")}})
	a.db.Exec(`UPDATE webhook_deliveries SET next_attempt_at = now()`)
	deliver(t, w, func() bool { return len(rcv.events()) == 1 })
}
