package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"examd/account"
	"examd/exam"
	"examd/internal/email"
)

// Lengths in characters (the max tags are checked at binding, before
// anything is hashed or stored): an address per RFC 5321, names as the exam
// document's titles, passwords long enough for any passphrase.
type signupRequest struct {
	Organization string `json:"organization" max:"200"`
	Name         string `json:"name" max:"200"`
	Email        string `json:"email" max:"254"`
	Password     string `json:"password" max:"1024"`
}

type newUserRequest struct {
	Email    string `json:"email" max:"254"`
	Name     string `json:"name" max:"200"`
	Password string `json:"password" max:"1024"`
	Role     string `json:"role" max:"32"`
}

// checkUserFields applies API.md's rules for a new account's address, name
// and password.
func checkUserFields(addr, name, password string) []exam.FieldError {
	var p []exam.FieldError
	if !email.Valid(addr) {
		p = append(p, exam.Problem("email", "invalid_email", nil, "must be an email address like name@example.com, without spaces or angle brackets"))
	}
	if strings.TrimSpace(name) == "" {
		p = append(p, exam.Problem("name", "required", nil, "must not be empty"))
	}
	switch reason := account.PasswordProblem(password); reason {
	case "":
	case "short":
		p = append(p, exam.Problem("password", "weak_password", exam.P{"reason": reason, "min": account.MinPasswordLength},
			"must be at least "+strconv.Itoa(account.MinPasswordLength)+" characters"))
	case "blank":
		p = append(p, exam.Problem("password", "weak_password", exam.P{"reason": reason}, "must not be only white space"))
	default:
		p = append(p, exam.Problem("password", "weak_password", exam.P{"reason": reason}, "is one of the most commonly breached passwords; choose another"))
	}
	return p
}

type tokenResponse struct {
	AccessToken  string        `json:"access_token"`
	TokenType    string        `json:"token_type"`
	ExpiresIn    int           `json:"expires_in"`
	RefreshToken string        `json:"refresh_token"`
	User         *account.User `json:"user"`
}

func (s *Server) issue(c echo.Context, u *account.User, refresh string) (*tokenResponse, error) {
	at, err := s.tokens.Sign(u.ID, u.Role, u.Organization.ID, audStaff, accessTTL)
	if err != nil {
		return nil, err
	}
	if refresh == "" {
		if refresh, err = s.accounts.IssueRefresh(reqCtx(c), u.ID); err != nil {
			return nil, err
		}
	}
	return &tokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresIn: int(accessTTL.Seconds()), RefreshToken: refresh, User: u}, nil
}

func (s *Server) signup(c echo.Context) error {
	if !s.cfg.AllowSignup {
		return errForbidden("sign-up is disabled on this server")
	}
	var req signupRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	problems := checkUserFields(req.Email, req.Name, req.Password)
	if strings.TrimSpace(req.Organization) == "" {
		problems = append([]exam.FieldError{exam.Problem("organization", "required", nil, "must not be empty")}, problems...)
	}
	if len(problems) > 0 {
		return errValidation("sign-up is not valid", problems...)
	}
	u, err := s.accounts.Signup(reqCtx(c), strings.TrimSpace(req.Organization), account.NewUser{Email: req.Email, Name: req.Name, Password: req.Password})
	if err != nil {
		return err
	}
	// Signing up is the first successful login, from this address.
	if err := s.accounts.RememberLogin(reqCtx(c), u.ID, c.RealIP()); err != nil {
		return err
	}
	tr, err := s.issue(c, u, "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{
		"organization": u.Organization, "user": u, "access_token": tr.AccessToken, "token_type": tr.TokenType,
		"expires_in": tr.ExpiresIn, "refresh_token": tr.RefreshToken,
	})
}

func (s *Server) rateLimited(wait float64) *Error {
	e := newError(http.StatusTooManyRequests, "rate_limited", "too many failed attempts; try again later")
	e.Header = map[string]string{"Retry-After": strconv.Itoa(int(wait + 0.999))}
	return e
}

func (s *Server) login(c echo.Context) error {
	var req struct {
		Email    string `json:"email" max:"254"`
		Password string `json:"password" max:"1024"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(req.Email))
	addr := c.RealIP()
	if wait, err := s.loginBlocked(c, email, addr); err != nil {
		return err
	} else if wait > 0 {
		return s.rateLimited(wait.Seconds())
	}
	u, err := s.accounts.Authenticate(reqCtx(c), email, req.Password)
	if errors.Is(err, account.ErrInvalidCredentials) {
		if rerr := s.loginFailed(c, email, addr); rerr != nil {
			return rerr
		}
		return err
	}
	if err != nil {
		return err
	}
	if err := s.accounts.RememberLogin(reqCtx(c), u.ID, addr); err != nil {
		return err
	}
	tr, err := s.issue(c, u, "")
	return respond(c, http.StatusOK, tr, err)
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token" max:"200"`
}

// bindRefresh reads the body of refresh and logout (what names the call in
// the 422's message) and returns its required refresh token.
func bindRefresh(c echo.Context, what string) (string, error) {
	var req refreshRequest
	if err := bind(c, &req); err != nil {
		return "", err
	}
	if req.RefreshToken == "" {
		return "", errValidation(what+" is not valid", exam.Problem("refresh_token", "required", nil, "must not be empty"))
	}
	return req.RefreshToken, nil
}

func (s *Server) refresh(c echo.Context) error {
	token, err := bindRefresh(c, "refresh")
	if err != nil {
		return err
	}
	u, next, err := s.accounts.Rotate(reqCtx(c), token)
	if err != nil {
		return err
	}
	tr, err := s.issue(c, u, next)
	return respond(c, http.StatusOK, tr, err)
}

func (s *Server) logout(c echo.Context) error {
	token, err := bindRefresh(c, "logout")
	if err != nil {
		return err
	}
	if err := s.accounts.Revoke(reqCtx(c), token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error { return s.writeUser(c, claims(c).Subject) }

func (s *Server) getUser(c echo.Context) error { return s.writeUser(c, c.Param("id")) }

// writeUser answers with the caller's organization's user id.
func (s *Server) writeUser(c echo.Context, id string) error {
	u, err := s.accounts.Get(reqCtx(c), claims(c).Org, id)
	return respond(c, http.StatusOK, u, err)
}

func (s *Server) createUser(c echo.Context) error {
	var req newUserRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	problems := checkUserFields(req.Email, req.Name, req.Password)
	if !account.ValidRole(req.Role) {
		problems = append(problems, exam.Problem("role", "invalid_value", exam.P{"allowed": []string{"admin", "recruiter", "reviewer"}}, `must be one of "admin", "recruiter", "reviewer"`))
	}
	if len(problems) > 0 {
		return errValidation("user is not valid", problems...)
	}
	u, err := s.accounts.CreateUserBy(reqCtx(c), actor(c), account.NewUser(req))
	return respond(c, http.StatusCreated, u, err)
}

func (s *Server) listUsers(c echo.Context) error {
	us, err := s.accounts.List(reqCtx(c), claims(c).Org)
	return respond(c, http.StatusOK, map[string]any{"items": us}, err)
}
