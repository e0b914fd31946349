// Package config reads examd's settings from the environment into typed,
// validated options once at start-up, so that nothing else reads os.Getenv.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MinSecretBytes is the shortest JWT_SECRET accepted: HS256 keys shorter
// than the hash output weaken the signature.
const MinSecretBytes = 32

// Config is examd's configuration.
type Config struct {
	DatabaseURL string
	Addr        string
	JWTSecret   []byte
	PublicURL   string
	AllowSignup bool
	Migrate     bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed for
	// the client address (rate limits). Empty: the connection's address.
	TrustedProxies []*net.IPNet
	// BodyLimit is the largest request body accepted, in bytes.
	BodyLimit int64
	// DBMaxConns is the size of the database connection pool.
	DBMaxConns int
	// MaxInFlight is how many API requests are worked on at once; 0 turns
	// load shedding off. It defaults to DBMaxConns: a request past the pool
	// would only wait inside database/sql, where the wait has no bound.
	MaxInFlight int
	// QueueLength is how many API requests may wait for one of the
	// MaxInFlight places, and QueueWait how long each may wait while the
	// server drains its queue (a brief database stall); past either examd
	// answers 503 with Retry-After. QueueOverloadWait is the shorter bound
	// on the expected wait once requests arrive faster than they are
	// served, so that sustained overload is refused at once instead of
	// filling the queue.
	QueueLength       int
	QueueWait         time.Duration
	QueueOverloadWait time.Duration
	// MaxConns is the number of open connections past which keep-alive is
	// turned off (each costs memory even when idle); 0: no cap.
	MaxConns int
	// WebhookRetrySchedule replaces the webhook retry schedule (the wait
	// after each failed request) when set; nil: the default one.
	WebhookRetrySchedule []time.Duration
	// WebhookAllowPrivate lets webhooks reach loopback and private
	// addresses (tests, closed networks).
	WebhookAllowPrivate bool
	// SMTPURL (smtp://user:pass@host:port, STARTTLS when offered;
	// smtps:// for implicit TLS) and MailFrom turn invitation e-mail on.
	SMTPURL  *url.URL
	MailFrom string
}

// Defaults of the pool and of load shedding.
const (
	DefaultDBMaxConns = 24
	DefaultQueueWait  = time.Second
	// DefaultQueueOverloadWait bounds the queueing of an accepted request
	// under sustained overload.
	DefaultQueueOverloadWait = 50 * time.Millisecond
	// DefaultQueueFactor sizes the queue from MaxInFlight: room for a
	// stall of about half a second at a quarter of the measured capacity.
	DefaultQueueFactor = 32
	// DefaultMaxConns open connections take about 70 MB.
	DefaultMaxConns = 4096
)

// Load parses the environment through getenv (os.Getenv in the product).
// Every problem is reported at once.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{
		DatabaseURL: getenv("DATABASE_URL"),
		Addr:        getenv("ADDR"),
		JWTSecret:   []byte(getenv("JWT_SECRET")),
		PublicURL:   strings.TrimRight(getenv("PUBLIC_URL"), "/"),
		AllowSignup: true,
		Migrate:     true,
		BodyLimit:   1 << 20,
	}
	var errs []error
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is required (a PostgreSQL URL)"))
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if len(c.JWTSecret) == 0 {
		errs = append(errs, errors.New("JWT_SECRET is required (at least 32 bytes)"))
	} else if len(c.JWTSecret) < MinSecretBytes {
		errs = append(errs, fmt.Errorf("JWT_SECRET is %d bytes; it must be at least %d bytes", len(c.JWTSecret), MinSecretBytes))
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	var err error
	if c.AllowSignup, err = parseBool(getenv, "ALLOW_SIGNUP", true); err != nil {
		errs = append(errs, err)
	}
	if c.Migrate, err = parseBool(getenv, "MIGRATE", true); err != nil {
		errs = append(errs, err)
	}
	if v := getenv("BODY_LIMIT_BYTES"); v != "" {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n < 1024 {
			errs = append(errs, fmt.Errorf("BODY_LIMIT_BYTES %q must be an integer of at least 1024", v))
		} else {
			c.BodyLimit = n
		}
	}
	c.DBMaxConns, err = parseInt(getenv, "DB_MAX_CONNS", DefaultDBMaxConns, 1, 10000)
	if err != nil {
		errs = append(errs, err)
	}
	c.MaxInFlight, err = parseInt(getenv, "MAX_IN_FLIGHT", c.DBMaxConns, 0, 100000)
	if err != nil {
		errs = append(errs, err)
	}
	c.QueueLength, err = parseInt(getenv, "QUEUE_LENGTH", DefaultQueueFactor*c.MaxInFlight, 0, 100000)
	if err != nil {
		errs = append(errs, err)
	}
	c.MaxConns, err = parseInt(getenv, "MAX_CONNS", DefaultMaxConns, 0, 1000000)
	if err != nil {
		errs = append(errs, err)
	}
	c.QueueWait = DefaultQueueWait
	if v := strings.TrimSpace(getenv("QUEUE_WAIT")); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil || d < 0 || d > time.Minute {
			errs = append(errs, fmt.Errorf("QUEUE_WAIT %q must be a duration from 0s to 1m (e.g. 100ms)", v))
		} else {
			c.QueueWait = d
		}
	}
	c.QueueOverloadWait = min(DefaultQueueOverloadWait, c.QueueWait)
	if v := strings.TrimSpace(getenv("QUEUE_OVERLOAD_WAIT")); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil || d < 0 || d > c.QueueWait {
			errs = append(errs, fmt.Errorf("QUEUE_OVERLOAD_WAIT %q must be a duration from 0s to QUEUE_WAIT (%s)", v, c.QueueWait))
		} else {
			c.QueueOverloadWait = d
		}
	}
	for _, p := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if strings.Contains(p, ":") {
				p += "/128"
			} else {
				p += "/32"
			}
		}
		_, n, perr := net.ParseCIDR(p)
		if perr != nil {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %q is not an address or CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	if c.WebhookAllowPrivate, err = parseBool(getenv, "WEBHOOK_ALLOW_PRIVATE", false); err != nil {
		errs = append(errs, err)
	}
	c.MailFrom = strings.TrimSpace(getenv("MAIL_FROM"))
	if v := strings.TrimSpace(getenv("SMTP_URL")); v != "" {
		u, perr := url.Parse(v)
		if perr != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, errors.New("SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…"))
		} else {
			c.SMTPURL = u
		}
		if c.MailFrom == "" {
			errs = append(errs, errors.New("MAIL_FROM is required with SMTP_URL (the sender's address)"))
		}
	}
	if v := strings.TrimSpace(getenv("WEBHOOK_RETRY_SCHEDULE")); v != "" {
		for _, p := range strings.Split(v, ",") {
			d, perr := time.ParseDuration(strings.TrimSpace(p))
			if perr != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("WEBHOOK_RETRY_SCHEDULE: %q is not a positive duration (e.g. 1s,2s,4s)", p))
				break
			}
			c.WebhookRetrySchedule = append(c.WebhookRetrySchedule, d)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// parseInt reads an integer from lo to hi, or def when name is unset.
func parseInt(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return def, fmt.Errorf("%s=%q must be an integer from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

func parseBool(getenv func(string) string, name string, def bool) (bool, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, fmt.Errorf("%s=%q is not a boolean (true or false)", name, v)
	}
	return b, nil
}
