// Package account holds organizations, their staff users, password hashing
// and refresh tokens. It knows nothing of HTTP or JWTs: the api package
// signs access tokens for the users this package authenticates.
package account

import (
	"errors"
	"time"
)

// Roles of staff users.
const (
	RoleAdmin     = "admin"
	RoleRecruiter = "recruiter"
	RoleReviewer  = "reviewer"
)

// Errors the api package maps to status codes.
var (
	ErrEmailTaken         = errors.New("account: email already registered")
	ErrInvalidCredentials = errors.New("account: invalid email or password")
	ErrNotFound           = errors.New("account: not found")
	ErrRefreshInvalid     = errors.New("account: refresh token invalid, expired or revoked")
)

// RefreshTTL is how long a refresh token stays usable.
const RefreshTTL = 30 * 24 * time.Hour

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Organization is a tenant: staff see only their organization's data.
type Organization struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// User is a staff member, as the API shows it.
type User struct {
	ID           string       `json:"id"`
	Email        string       `json:"email"`
	Name         string       `json:"name"`
	Role         string       `json:"role"`
	Organization Organization `json:"organization"`
	CreatedAt    time.Time    `json:"created_at"`
}

// ValidRole reports whether r is a staff role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleRecruiter || r == RoleReviewer
}
