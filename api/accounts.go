package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"examd/account"
	"examd/exam"
)

type signupRequest struct {
	Organization string `json:"organization"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Password     string `json:"password"`
}

type newUserRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func checkUserFields(email, name, password string) []exam.FieldError {
	var p []exam.FieldError
	email = strings.TrimSpace(email)
	if at := strings.IndexByte(email, '@'); at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t\n") || len(email) > 254 {
		p = append(p, exam.FieldError{Field: "email", Message: "must be an email address"})
	}
	if strings.TrimSpace(name) == "" {
		p = append(p, exam.FieldError{Field: "name", Message: "must not be empty"})
	} else if len(name) > 200 {
		p = append(p, exam.FieldError{Field: "name", Message: "must be at most 200 bytes"})
	}
	if n := len([]rune(password)); n < account.MinPasswordLength {
		p = append(p, exam.FieldError{Field: "password", Message: "must be at least " + strconv.Itoa(account.MinPasswordLength) + " characters"})
	} else if len(password) > 1024 {
		p = append(p, exam.FieldError{Field: "password", Message: "must be at most 1024 bytes"})
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
		if refresh, err = s.accounts.IssueRefresh(ctx(c), u.ID); err != nil {
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
		problems = append([]exam.FieldError{{Field: "organization", Message: "must not be empty"}}, problems...)
	}
	if len(problems) > 0 {
		return errValidation("sign-up is not valid", problems...)
	}
	u, err := s.accounts.Signup(ctx(c), strings.TrimSpace(req.Organization), account.NewUser{Email: req.Email, Name: req.Name, Password: req.Password})
	if err != nil {
		return err
	}
	// Signing up is the first successful login, from this address.
	if err := s.accounts.RememberLogin(ctx(c), u.ID, c.RealIP()); err != nil {
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
		Email    string `json:"email"`
		Password string `json:"password"`
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
	u, err := s.accounts.Authenticate(ctx(c), email, req.Password)
	if errors.Is(err, account.ErrInvalidCredentials) {
		if rerr := s.loginFailed(c, email, addr); rerr != nil {
			return rerr
		}
		return newError(http.StatusUnauthorized, "invalid_credentials", "email or password is wrong")
	}
	if err != nil {
		return err
	}
	if err := s.accounts.RememberLogin(ctx(c), u.ID, addr); err != nil {
		return err
	}
	tr, err := s.issue(c, u, "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tr)
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(c echo.Context) error {
	var req refreshRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return errValidation("refresh is not valid", exam.FieldError{Field: "refresh_token", Message: "must not be empty"})
	}
	u, next, err := s.accounts.Rotate(ctx(c), req.RefreshToken)
	if err != nil {
		return err
	}
	tr, err := s.issue(c, u, next)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tr)
}

func (s *Server) logout(c echo.Context) error {
	var req refreshRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return errValidation("logout is not valid", exam.FieldError{Field: "refresh_token", Message: "must not be empty"})
	}
	if err := s.accounts.Revoke(ctx(c), req.RefreshToken); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	cl := claims(c)
	u, err := s.accounts.Get(ctx(c), cl.Org, cl.Subject)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) createUser(c echo.Context) error {
	var req newUserRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	problems := checkUserFields(req.Email, req.Name, req.Password)
	if !account.ValidRole(req.Role) {
		problems = append(problems, exam.FieldError{Field: "role", Message: `must be one of "admin", "recruiter", "reviewer"`})
	}
	if len(problems) > 0 {
		return errValidation("user is not valid", problems...)
	}
	u, err := s.accounts.CreateUser(ctx(c), claims(c).Org, account.NewUser(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) listUsers(c echo.Context) error {
	us, err := s.accounts.List(ctx(c), claims(c).Org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": us})
}

func (s *Server) getUser(c echo.Context) error {
	u, err := s.accounts.Get(ctx(c), claims(c).Org, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}
