package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"examd/internal/ratelimit"
)

// Login limits (API.md "Login limit without lock-outs"). A stranger can slow
// guessing of an email from their addresses, but the cross-address ceiling
// spares the addresses its user logged in from in the last 30 days.
var (
	loginPerEmailAddr = ratelimit.Rule{Scope: "login_email_addr", Max: 10, Window: 15 * time.Minute}
	loginPerAddr      = ratelimit.Rule{Scope: "login_addr", Max: 30, Window: 15 * time.Minute}
	loginPerEmail     = ratelimit.Rule{Scope: "login_email", Max: 100, Window: 15 * time.Minute}
)

// emailAddrKey is the per-email-and-address key; an address holds no space,
// so no two (address, email) pairs share a key.
func emailAddrKey(addr, email string) string { return addr + " " + email }

// loginBlocked checks every login limit for email (normalised) from addr
// and returns the longest wait among those that block, or 0. Nothing is
// hashed or counted here, so a blocked login costs a few index lookups.
func (s *Server) loginBlocked(c echo.Context, email, addr string) (time.Duration, error) {
	var wait time.Duration
	for _, chk := range []struct {
		rule ratelimit.Rule
		key  string
	}{{loginPerEmailAddr, emailAddrKey(addr, email)}, {loginPerAddr, addr}} {
		blocked, w, err := s.limiter.Check(reqCtx(c), chk.rule, chk.key)
		if err != nil {
			return 0, err
		}
		if blocked {
			wait = max(wait, w)
		}
	}
	blocked, w, err := s.limiter.Check(reqCtx(c), loginPerEmail, email)
	if err != nil {
		return 0, err
	}
	if blocked && w > wait {
		known, err := s.accounts.KnownAddress(reqCtx(c), email, addr)
		if err != nil {
			return 0, err
		}
		if !known {
			wait = w
		}
	}
	return wait, nil
}

// loginFailed counts a failed login against every limit it falls under.
func (s *Server) loginFailed(c echo.Context, email, addr string) error {
	return s.limiter.RecordHits(reqCtx(c),
		ratelimit.Hit{Scope: loginPerEmailAddr.Scope, Key: emailAddrKey(addr, email)},
		ratelimit.Hit{Scope: loginPerAddr.Scope, Key: addr},
		ratelimit.Hit{Scope: loginPerEmail.Scope, Key: email})
}
