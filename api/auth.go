package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"examd/internal/cache"
)

// Token audiences: a candidate token must never open a staff route.
const (
	issuer        = "examd"
	audStaff      = "examd-staff"
	audCandidate  = "examd-candidate"
	accessTTL     = 15 * time.Minute
	roleCandidate = "candidate"
)

// Claims are examd's JWT claims.
type Claims struct {
	Role string `json:"role"`
	Org  string `json:"org"`
	jwt.RegisteredClaims
}

// Tokens signs and checks access tokens with HS256.
type Tokens struct {
	secret []byte
	now    func() time.Time
	// verified remembers the claims of tokens already checked, by audience
	// and token: the signature check and the decoding are most of the work
	// of a small request (an autosave), and a token's bytes cannot change.
	// Expiry is checked again on every use.
	verified *cache.Bounded[string, Claims]
}

// verifiedMax bounds the remembered tokens (under a kilobyte each); when
// full the map starts over.
const verifiedMax = 20000

// leeway is the clock skew allowed on exp and iat.
const leeway = 5 * time.Second

// NewTokens returns a signer with secret.
func NewTokens(secret []byte) *Tokens {
	return &Tokens{secret: secret, now: time.Now, verified: cache.New[string, Claims](verifiedMax, 0)}
}

// Sign issues a token for sub with role and org, valid for ttl, for aud.
func (t *Tokens) Sign(sub, role, org, aud string, ttl time.Duration) (string, error) {
	now := t.now()
	c := Claims{Role: role, Org: org, RegisteredClaims: jwt.RegisteredClaims{
		Subject: sub, Issuer: issuer, Audience: jwt.ClaimStrings{aud},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret)
}

// Parse checks a token for aud: method HS256 only, exp required, issuer
// and audience fixed, 5 s leeway. Any failure is a rejection.
func (t *Tokens) Parse(raw, aud string) (*Claims, error) {
	key := aud + " " + raw
	if known, ok := t.verified.Get(key); ok {
		if !t.now().Before(known.ExpiresAt.Add(leeway)) {
			return nil, errors.New("invalid token")
		}
		return &known, nil
	}
	c, err := t.parse(raw, aud)
	if err != nil {
		return nil, err
	}
	t.verified.Put(key, *c)
	return c, nil
}

func (t *Tokens) parse(raw, aud string) (*Claims, error) {
	var c Claims
	p := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired(),
		jwt.WithIssuer(issuer), jwt.WithAudience(aud), jwt.WithIssuedAt(), jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(t.now))
	tok, err := p.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil || !tok.Valid {
		return nil, errors.New("invalid token")
	}
	if c.Subject == "" || c.Role == "" || c.Org == "" {
		return nil, errors.New("token lacks claims")
	}
	return &c, nil
}

const claimsKey = "examd.claims"

func bearer(c echo.Context) string {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// requireAuth admits requests with a valid token of aud whose role is one
// of roles; a valid token of another role is 403.
func (s *Server) requireAuth(aud string, roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			raw := bearer(c)
			if raw == "" {
				return errUnauthorized("missing bearer token")
			}
			cl, err := s.tokens.Parse(raw, aud)
			if err != nil {
				return errUnauthorized("invalid or expired token")
			}
			ok := false
			for _, r := range roles {
				if cl.Role == r {
					ok = true
				}
			}
			if !ok {
				return newError(http.StatusForbidden, "forbidden", "your role may not do this")
			}
			c.Set(claimsKey, cl)
			return next(c)
		}
	}
}

func claims(c echo.Context) *Claims {
	cl, _ := c.Get(claimsKey).(*Claims)
	return cl
}
