package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const secret = "0123456789abcdef0123456789abcdef"

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x", "JWT_SECRET": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.PublicURL != "http://127.0.0.1:8080" || !c.AllowSignup || !c.Migrate || c.BodyLimit != 1<<20 {
		t.Fatalf("defaults wrong: %+v", c)
	}
}

func TestLoadRejects(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"short secret", map[string]string{"DATABASE_URL": "x", "JWT_SECRET": "short"}, "at least 32 bytes"},
		{"no secret", map[string]string{"DATABASE_URL": "x"}, "JWT_SECRET is required"},
		{"no database", map[string]string{"JWT_SECRET": secret}, "DATABASE_URL is required"},
		{"bad bool", map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret, "ALLOW_SIGNUP": "maybe"}, "ALLOW_SIGNUP"},
		{"bad proxy", map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret, "TRUSTED_PROXIES": "nonsense"}, "TRUSTED_PROXIES"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestLoadOverrides(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret, "ADDR": "0.0.0.0:9000",
		"PUBLIC_URL": "https://exams.example.com/", "ALLOW_SIGNUP": "false", "MIGRATE": "false", "TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "https://exams.example.com" || c.AllowSignup || c.Migrate || len(c.TrustedProxies) != 2 {
		t.Fatalf("overrides wrong: %+v", c)
	}
}

func TestLoadShedding(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBMaxConns != 24 || c.MaxInFlight != 24 || c.QueueLength != 768 || c.QueueWait != time.Second || c.QueueOverloadWait != 50*time.Millisecond || c.MaxConns != 4096 {
		t.Fatalf("shedding defaults wrong: pool %d, in flight %d, queue %d, wait %s, overload wait %s", c.DBMaxConns, c.MaxInFlight, c.QueueLength, c.QueueWait, c.QueueOverloadWait)
	}
	// The limit follows the pool unless set.
	c, err = Load(env(map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret, "DB_MAX_CONNS": "10"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBMaxConns != 10 || c.MaxInFlight != 10 || c.QueueLength != 320 {
		t.Fatalf("limits do not follow DB_MAX_CONNS=10: in flight %d, queue %d", c.MaxInFlight, c.QueueLength)
	}
	c, err = Load(env(map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret, "MAX_IN_FLIGHT": "0", "QUEUE_LENGTH": "5", "QUEUE_WAIT": "2s", "QUEUE_OVERLOAD_WAIT": "20ms"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxInFlight != 0 || c.QueueLength != 5 || c.QueueWait != 2*time.Second || c.QueueOverloadWait != 20*time.Millisecond {
		t.Fatalf("overrides wrong: in flight %d, queue %d, wait %s, overload wait %s", c.MaxInFlight, c.QueueLength, c.QueueWait, c.QueueOverloadWait)
	}
	for k, v := range map[string]string{"DB_MAX_CONNS": "0", "MAX_IN_FLIGHT": "-1", "QUEUE_LENGTH": "many", "QUEUE_WAIT": "100", "QUEUE_OVERLOAD_WAIT": "2m", "MAX_CONNS": "-5"} {
		_, err := Load(env(map[string]string{"DATABASE_URL": "x", "JWT_SECRET": secret, k: v}))
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: want an error naming it, got %v", k, v, err)
		}
	}
}

func TestLoadNotificationSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x", "JWT_SECRET": secret,
		"WEBHOOK_RETRY_SCHEDULE": "1s, 2s,4s", "WEBHOOK_ALLOW_PRIVATE": "true",
		"SMTP_URL": "smtps://u:p@mail.example.com:465", "MAIL_FROM": "exams@example.com"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.WebhookRetrySchedule) != 3 || c.WebhookRetrySchedule[2] != 4*time.Second || !c.WebhookAllowPrivate ||
		c.SMTPURL == nil || c.SMTPURL.Hostname() != "mail.example.com" || c.MailFrom != "exams@example.com" {
		t.Fatalf("notification settings: %+v", c)
	}
	d, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x", "JWT_SECRET": secret}))
	if err != nil || d.WebhookRetrySchedule != nil || d.WebhookAllowPrivate || d.SMTPURL != nil {
		t.Fatalf("defaults: %+v, %v", d, err)
	}
	for _, bad := range []map[string]string{
		{"WEBHOOK_RETRY_SCHEDULE": "1s,soon"},
		{"WEBHOOK_RETRY_SCHEDULE": "-1s"},
		{"WEBHOOK_ALLOW_PRIVATE": "maybe"},
		{"SMTP_URL": "http://mail.example.com", "MAIL_FROM": "a@b.c"},
		{"SMTP_URL": "smtp://mail.example.com:25"},
	} {
		bad["DATABASE_URL"], bad["JWT_SECRET"] = "postgres://x", secret
		if _, err := Load(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
