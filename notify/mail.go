package notify

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
	"gorm.io/gorm"

	"examd/exam"
)

// MailerOptions configure the invitation mailer.
type MailerOptions struct {
	DB       *gorm.DB
	Log      *slog.Logger
	SMTPURL  *url.URL // smtp://user:pass@host:port (STARTTLS when offered) or smtps://
	From     string
	Schedule []time.Duration // nil: DefaultSchedule
}

// Mailer sends the invitation e-mails queued in email_outbox; like the
// webhook worker it claims rows under a lease with SKIP LOCKED, so several
// servers never send one invitation's mail at once.
type Mailer struct {
	o MailerOptions
}

// mailLease is longer than one SMTP conversation may take.
const (
	mailLease   = 120 * time.Second
	mailTimeout = 30 * time.Second
	mailBatch   = 20
)

// NewMailer builds a mailer.
func NewMailer(o MailerOptions) *Mailer {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if len(o.Schedule) == 0 {
		o.Schedule = DefaultSchedule
	}
	return &Mailer{o: o}
}

// Run sends until ctx ends.
func (m *Mailer) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := m.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			m.o.Log.Warn("invitation mail pass failed", "error", err)
		}
		if n == mailBatch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pollInterval*2 + time.Duration(rand.Int64N(int64(pollInterval)))):
		}
	}
}

// invitationMail is one claimed e-mail with what its text needs.
type invitationMail struct {
	InvitationID     string
	Attempts         int
	Link             string
	CandidateName    string
	CandidateEmail   string
	Language         string
	OpensAt          *time.Time
	ClosesAt         *time.Time
	ExtraTimeSeconds int
	Title            string
	TimeLimitSeconds int
}

// RunOnce claims due e-mails, sends them one SMTP conversation each, and
// records the results; it returns how many it claimed.
func (m *Mailer) RunOnce(ctx context.Context) (int, error) {
	var batch []invitationMail
	err := m.o.DB.WithContext(ctx).Raw(`WITH c AS (
			SELECT invitation_id FROM email_outbox
			WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
			ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
		UPDATE email_outbox o SET attempts = o.attempts + 1, lease_until = now() + make_interval(secs => ?)
		FROM c, invitations i, exam_versions v
		WHERE o.invitation_id = c.invitation_id AND i.id = o.invitation_id AND v.exam_id = i.exam_id AND v.version = i.exam_version
		RETURNING o.invitation_id, o.attempts, o.link, i.candidate_name, i.candidate_email, i.language, i.opens_at, i.closes_at,
			i.extra_time_seconds, `+exam.SQLVersionTitle+` AS title, `+exam.SQLVersionTimeLimit+` AS time_limit_seconds`,
		mailBatch, mailLease.Seconds()).Scan(&batch).Error
	if err != nil {
		return 0, fmt.Errorf("notify: claim e-mail: %w", err)
	}
	for i := range batch {
		sendErr := m.send(ctx, &batch[i])
		if err := m.record(context.WithoutCancel(ctx), &batch[i], sendErr); err != nil {
			m.o.Log.Warn("recording an invitation mail failed", "invitation", batch[i].InvitationID, "error", err)
		}
	}
	return len(batch), nil
}

func (m *Mailer) client() (*mail.Client, error) {
	u := m.o.SMTPURL
	opts := []mail.Option{mail.WithTimeout(mailTimeout)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("SMTP_URL port %q", p)
		}
		port = n
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pw, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(u.User.Username()), mail.WithPassword(pw))
	}
	return mail.NewClient(u.Hostname(), opts...)
}

func (m *Mailer) send(ctx context.Context, im *invitationMail) error {
	subject, text, html := Compose(im)
	msg := mail.NewMsg()
	if err := msg.From(m.o.From); err != nil {
		return fmt.Errorf("MAIL_FROM: %w", err)
	}
	if err := msg.AddToFormat(im.CandidateName, im.CandidateEmail); err != nil {
		return err
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, text)
	msg.AddAlternativeString(mail.TypeTextHTML, html)
	c, err := m.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, mailTimeout)
	defer cancel()
	return c.DialAndSendWithContext(ctx, msg)
}

func (m *Mailer) record(ctx context.Context, im *invitationMail, sendErr error) error {
	return m.o.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		status, next := "", time.Duration(0)
		switch {
		case sendErr == nil:
			status = "sent"
		case im.Attempts > len(m.o.Schedule):
			status = "failed"
		default:
			next = time.Duration(float64(m.o.Schedule[im.Attempts-1]) * (0.8 + 0.4*rand.Float64()))
		}
		msg := ""
		if sendErr != nil {
			msg = sendErr.Error()
			if len(msg) > 300 {
				msg = msg[:300]
			}
		}
		if status == "" {
			return tx.Exec(`UPDATE email_outbox SET last_error = ?, lease_until = NULL, next_attempt_at = now() + make_interval(secs => ?)
				WHERE invitation_id = ? AND attempts = ?`, msg, next.Seconds(), im.InvitationID, im.Attempts).Error
		}
		res := tx.Exec(`UPDATE email_outbox SET status = ?, last_error = ?, lease_until = NULL, link = '',
				sent_at = CASE WHEN ? = 'sent' THEN now() END
			WHERE invitation_id = ? AND attempts = ?`, status, msg, status, im.InvitationID, im.Attempts)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return tx.Exec(`UPDATE invitations SET email_status = ? WHERE id = ?`, status, im.InvitationID).Error
	})
}

// Compose writes an invitation's subject, plain text and HTML in its
// language (zh-CN, or en).
func Compose(im *invitationMail) (subject, text, htmlBody string) {
	limit := (im.TimeLimitSeconds + im.ExtraTimeSeconds + 59) / 60
	var t mailTexts
	if im.Language == "en" {
		t = mailTexts{
			Subject:  "Invitation: " + im.Title,
			Greeting: "Dear " + im.CandidateName + ",",
			Intro:    "you are invited to take the exam “" + im.Title + "”.",
			Limit:    fmt.Sprintf("Time limit: %d minutes (the clock starts when you begin).", limit),
			Window:   "You may start " + window(im, time.UTC, "UTC", "from now", "at any time", "until"),
			Action:   "Open your personal link to begin:",
			Button:   "Open the exam",
			Closing:  "The link is for you alone; please do not share it.",
		}
	} else {
		cst := time.FixedZone("CST", 8*3600)
		t = mailTexts{
			Subject:  "考试邀请：" + im.Title,
			Greeting: im.CandidateName + "，您好：",
			Intro:    "诚邀您参加「" + im.Title + "」。",
			Limit:    fmt.Sprintf("考试时长：%d 分钟（点击开始后计时）。", limit),
			Window:   "可开始作答的时间：" + window(im, cst, "北京时间", "即日起", "随时", "至"),
			Action:   "请打开您的专属链接开始考试：",
			Button:   "进入考试",
			Closing:  "此链接仅供您本人使用，请勿转发。",
		}
	}
	t.Link = im.Link
	text = strings.Join([]string{t.Greeting, "", t.Intro, t.Limit, t.Window, "", t.Action, t.Link, "", t.Closing, ""}, "\n")
	var b strings.Builder
	_ = mailHTML.Execute(&b, t)
	return t.Subject, text, b.String()
}

type mailTexts struct {
	Subject, Greeting, Intro, Limit, Window, Action, Button, Closing, Link string
}

// window describes the invitation's window in zone.
func window(im *invitationMail, zone *time.Location, zoneName, fromNow, anyTime, until string) string {
	f := func(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04") + " " + zoneName }
	switch {
	case im.OpensAt == nil && im.ClosesAt == nil:
		return anyTime + "."
	case im.OpensAt == nil:
		return fromNow + " " + until + " " + f(*im.ClosesAt) + "."
	case im.ClosesAt == nil:
		return f(*im.OpensAt) + " –"
	}
	return f(*im.OpensAt) + " " + until + " " + f(*im.ClosesAt) + "."
}

var mailHTML = template.Must(template.New("mail").Parse(`<!doctype html>
<html><body style="font-family:sans-serif;line-height:1.5">
<p>{{.Greeting}}</p>
<p>{{.Intro}}</p>
<ul><li>{{.Limit}}</li><li>{{.Window}}</li></ul>
<p>{{.Action}}</p>
<p><a href="{{.Link}}" style="display:inline-block;padding:8px 16px;background:#1677ff;color:#fff;text-decoration:none;border-radius:4px">{{.Button}}</a></p>
<p style="font-size:small">{{.Link}}</p>
<p style="font-size:small;color:#666">{{.Closing}}</p>
</body></html>
`))
