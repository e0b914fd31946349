package api

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"examd/notify"
)

// mailbox is a real SMTP server in the test process that keeps what it
// receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []receivedMail
	addr string
}

type receivedMail struct {
	From, To string
	Data     []byte
}

type mailSession struct {
	box      *mailbox
	from, to string
}

func (s *mailSession) Reset()        {}
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, receivedMail{From: s.from, To: s.to, Data: b})
	s.box.mu.Unlock()
	return nil
}

func newMailbox(t *testing.T) *mailbox {
	box := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: box}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	box.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return box
}

func (b *mailbox) all() []receivedMail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]receivedMail(nil), b.msgs...)
}

// mailParts reads a received message's subject and its decoded text/plain
// and text/html parts.
func mailParts(t *testing.T, raw []byte) (subject, text, html string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("content type %q: %v", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		var body []byte
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body, _ = io.ReadAll(quotedprintable.NewReader(p))
		} else {
			body, _ = io.ReadAll(p)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			text = string(body)
		case "text/html":
			html = string(body)
		}
	}
	return subject, text, html
}

func TestInvitationEmailSentInItsLanguage(t *testing.T) {
	a := newApp(t)
	box := newMailbox(t)
	s := a.signup("Acme", "admin@acme.test")
	examID := a.publishedExam(s.AccessToken, smallExam(1800, 30))
	inv := map[string]any{"candidate_name": "王小明", "candidate_email": "wang@cand.test", "track": "manager", "send_email": true}
	// Without SMTP_URL / MAIL_FROM the server cannot promise an e-mail.
	r := a.must(422, "POST", "/api/v1/exams/"+examID+"/invitations", inv, s.AccessToken)
	if hasDetail(r.details(t), "send_email", "email_not_configured") == nil {
		t.Fatalf("422 details: %s", r.Body)
	}
	a.cfg.SMTPURL, _ = url.Parse("smtp://" + box.addr)
	a.cfg.MailFrom = "examd@acme.test"
	a.must(422, "POST", "/api/v1/exams/"+examID+"/invitations", map[string]any{"candidate_name": "x", "candidate_email": "x@cand.test",
		"track": "manager", "language": "fr"}, s.AccessToken)

	closes := time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)
	zh := a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations", inv, s.AccessToken).JSON()
	var list struct {
		Items []map[string]any `json:"items"`
	}
	a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations", []map[string]any{
		{"candidate_name": "Ann Lee", "candidate_email": "ann@cand.test", "track": "supervisor", "send_email": true, "language": "en", "closes_at": closes},
		{"candidate_name": "No Mail", "candidate_email": "nomail@cand.test", "track": "supervisor"},
	}, s.AccessToken).Decode(t, &list)
	if zh["email_status"] != "pending" || zh["language"] != "zh-CN" || list.Items[0]["email_status"] != "pending" || list.Items[1]["email_status"] != "none" {
		t.Fatalf("email_status on create: %v / %v", zh, list.Items)
	}

	mailer := notify.NewMailer(notify.MailerOptions{DB: a.db, SMTPURL: a.cfg.SMTPURL, From: a.cfg.MailFrom})
	deadline := time.Now().Add(15 * time.Second)
	for len(box.all()) < 2 && time.Now().Before(deadline) {
		if _, err := mailer.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n, _ := mailer.RunOnce(context.Background()); n != 0 {
		t.Fatalf("a sent mail was claimed again (%d)", n)
	}
	got := box.all()
	if len(got) != 2 {
		t.Fatalf("%d mails received, want 2", len(got))
	}
	byTo := map[string]receivedMail{}
	for _, m := range got {
		byTo[m.To] = m
	}
	subj, text, html := mailParts(t, byTo["wang@cand.test"].Data)
	title := "小测验 Small exam"
	for _, want := range []string{zh["link"].(string), title, "30 分钟", "王小明", "随时"} {
		if !strings.Contains(text, want) {
			t.Errorf("zh-CN text lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(subj, title) || !strings.Contains(subj, "考试邀请") || !strings.Contains(html, `href="`+zh["link"].(string)+`"`) {
		t.Errorf("zh-CN subject %q / html %s", subj, html)
	}
	if byTo["wang@cand.test"].From != "examd@acme.test" {
		t.Errorf("envelope from %q", byTo["wang@cand.test"].From)
	}
	subj, text, html = mailParts(t, byTo["ann@cand.test"].Data)
	for _, want := range []string{list.Items[0]["link"].(string), title, "30 minutes", "Ann Lee", "2030-01-02 10:00 UTC"} {
		if !strings.Contains(text, want) {
			t.Errorf("English text lacks %q:\n%s", want, text)
		}
	}
	if !strings.HasPrefix(subj, "Invitation: ") || !strings.Contains(html, "Open the exam") || strings.Contains(text, "分钟") {
		t.Errorf("English subject %q / html %s", subj, html)
	}
	if _, ok := byTo["nomail@cand.test"]; ok {
		t.Error("an invitation without send_email was mailed")
	}
	var rows struct {
		Items []map[string]any `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+examID+"/invitations", nil, s.AccessToken).Decode(t, &rows)
	status := map[string]any{}
	for _, it := range rows.Items {
		status[it["candidate_email"].(string)] = it["email_status"]
	}
	if status["wang@cand.test"] != "sent" || status["ann@cand.test"] != "sent" || status["nomail@cand.test"] != "none" {
		t.Errorf("email_status after sending: %v", status)
	}
	var links int64
	a.db.Raw(`SELECT count(*) FROM email_outbox WHERE link <> ''`).Scan(&links)
	if links != 0 {
		t.Errorf("%d sent e-mails still keep their link (token)", links)
	}
}

func TestInvitationEmailFailsAfterRetries(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "admin@acme.test")
	examID := a.publishedExam(s.AccessToken, smallExam(1800, 30))
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close() // nothing listens there
	a.cfg.SMTPURL, _ = url.Parse("smtp://" + dead)
	a.cfg.MailFrom = "examd@acme.test"
	a.must(201, "POST", "/api/v1/exams/"+examID+"/invitations", map[string]any{"candidate_name": "Ann", "candidate_email": "ann@cand.test",
		"track": "manager", "send_email": true, "language": "en"}, s.AccessToken)
	mailer := notify.NewMailer(notify.MailerOptions{DB: a.db, SMTPURL: a.cfg.SMTPURL, From: a.cfg.MailFrom,
		Schedule: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}})
	deadline := time.Now().Add(20 * time.Second)
	status := ""
	for status != "failed" && time.Now().Before(deadline) {
		mailer.RunOnce(context.Background())
		time.Sleep(20 * time.Millisecond)
		a.db.Raw(`SELECT email_status FROM invitations`).Scan(&status)
	}
	var attempts int
	a.db.Raw(`SELECT attempts FROM email_outbox`).Scan(&attempts)
	if status != "failed" || attempts != 3 {
		t.Fatalf("email_status %q after %d attempts, want failed after 3", status, attempts)
	}
}
