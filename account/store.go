package account

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/database"
	"examd/internal/opaque"
)

// Store keeps organizations, users and refresh tokens in PostgreSQL.
type Store struct{ db *gorm.DB }

// NewStore returns a Store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

type userRow struct {
	ID           string
	OrgID        string
	Email        string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	OrgName      string
}

func (r *userRow) user() *User {
	return &User{ID: r.ID, Email: r.Email, Name: r.Name, Role: r.Role, CreatedAt: r.CreatedAt,
		Organization: Organization{ID: r.OrgID, Name: r.OrgName}}
}

const userSelect = `SELECT u.id, u.org_id, u.email, u.name, u.role, u.password_hash, u.created_at, o.name AS org_name
	FROM users u JOIN organizations o ON o.id = u.org_id `

// NewUser is what creating a user needs.
type NewUser struct {
	Email, Name, Password, Role string
}

// Signup creates an organization with its first user, an admin.
func (s *Store) Signup(ctx context.Context, orgName string, nu NewUser) (*User, error) {
	return s.createInTx(ctx, nu.Password, func(tx *gorm.DB, hash string) (*User, error) {
		var orgID string
		if err := tx.Raw(`INSERT INTO organizations (name) VALUES (?) RETURNING id`, orgName).Scan(&orgID).Error; err != nil {
			return nil, err
		}
		return insertUser(tx, orgID, nu, RoleAdmin, hash)
	})
}

// CreateUser adds a user to organization orgID.
func (s *Store) CreateUser(ctx context.Context, orgID string, nu NewUser) (*User, error) {
	hash, err := HashPassword(ctx, nu.Password)
	if err != nil {
		return nil, err
	}
	return insertUser(s.db.WithContext(ctx), orgID, nu, nu.Role, hash)
}

// CreateUserBy adds a user to the actor's organization and records it in
// the audit log in the same transaction.
func (s *Store) CreateUserBy(ctx context.Context, actor audit.Actor, nu NewUser) (*User, error) {
	return s.createInTx(ctx, nu.Password, func(tx *gorm.DB, hash string) (*User, error) {
		u, err := insertUser(tx, actor.OrgID, nu, nu.Role, hash)
		if err != nil {
			return nil, err
		}
		return u, audit.Record(tx, actor, audit.UserCreated, "user:"+u.ID, map[string]any{"role": u.Role})
	})
}

// createInTx hashes password (before the transaction: hashing is slow and
// holds no connection), then runs create in one transaction and returns the
// user it made, or nil and its error (the transaction rolled back).
func (s *Store) createInTx(ctx context.Context, password string, create func(tx *gorm.DB, hash string) (*User, error)) (*User, error) {
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		u, err = create(tx, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func insertUser(tx *gorm.DB, orgID string, nu NewUser, role, hash string) (*User, error) {
	var row userRow
	err := tx.Raw(`WITH ins AS (
			INSERT INTO users (org_id, email, name, role, password_hash) VALUES (?, ?, ?, ?, ?)
			RETURNING id, org_id, email, name, role, password_hash, created_at)
		SELECT ins.*, o.name AS org_name FROM ins JOIN organizations o ON o.id = ins.org_id`,
		orgID, strings.TrimSpace(nu.Email), strings.TrimSpace(nu.Name), role, hash).Scan(&row).Error
	if database.IsUniqueViolation(err, "users_email_key") {
		return nil, ErrEmailTaken
	}
	if err != nil {
		return nil, fmt.Errorf("account: insert user: %w", err)
	}
	return row.user(), nil
}

// Authenticate checks an email and password. Unknown email and wrong
// password both return ErrInvalidCredentials after one hash verification.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Raw(userSelect+`WHERE lower(u.email) = lower(?)`, strings.TrimSpace(email)).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("account: find user: %w", err)
	}
	hash := dummyHash
	if len(rows) == 1 {
		hash = rows[0].PasswordHash
	}
	ok, err := VerifyPassword(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || len(rows) != 1 {
		return nil, ErrInvalidCredentials
	}
	return rows[0].user(), nil
}

// Get returns user id of organization orgID, or ErrNotFound.
func (s *Store) Get(ctx context.Context, orgID, id string) (*User, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, ErrNotFound
	}
	row, err := database.One[userRow](s.db.WithContext(ctx), ErrNotFound, "account: get user",
		userSelect+`WHERE u.org_id = ? AND u.id = ?`, orgID, id)
	if err != nil {
		return nil, err
	}
	return row.user(), nil
}

// List returns the users of organization orgID, oldest first.
func (s *Store) List(ctx context.Context, orgID string) ([]*User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Raw(userSelect+`WHERE u.org_id = ? ORDER BY u.created_at, u.id`, orgID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("account: list users: %w", err)
	}
	out := make([]*User, len(rows))
	for i := range rows {
		out[i] = rows[i].user()
	}
	return out, nil
}

// newOpaqueToken returns a random token (256 bits) and its SHA-256, the only
// form stored.
func newOpaqueToken() (string, []byte) { return opaque.New(32) }

// IssueRefresh starts a new token family for a login and returns its first
// refresh token.
func (s *Store) IssueRefresh(ctx context.Context, userID string) (string, error) {
	tok, hash := newOpaqueToken()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
		VALUES (?, gen_random_uuid(), ?, now() + make_interval(secs => ?))`, userID, hash, RefreshTTL.Seconds()).Error
	if err != nil {
		return "", fmt.Errorf("account: issue refresh: %w", err)
	}
	return tok, nil
}

// RefreshGrace is how long after its first use a refresh token may be
// presented again (two tabs refreshing at once), while no token issued from
// it has been used.
const RefreshGrace = 10 * time.Second

// refreshLockClass is the first key of the advisory locks that serialise
// the refreshes of one token family (the second is a hash of the family).
const refreshLockClass = 0x6578 // "ex"

// Rotate exchanges a refresh token for a new one of the same family and
// returns its user. A token already used may be presented again within
// RefreshGrace of its first use while none of the tokens issued from it has
// been used, and gets another successor; any other reuse revokes the
// family: someone holds a copy.
//
// The refreshes of one family are serialised by a transaction-scoped
// advisory lock, so the decision holds with several servers on one
// database: a token's first use, its grace uses and the first use of its
// successors are ordered.
func (s *Store) Rotate(ctx context.Context, tok string) (*User, string, error) {
	var user *User
	next, nextHash := newOpaqueToken()
	reused := false
	hash := opaque.Hash(tok)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if family, err := lockFamily(tx, hash); err != nil {
			return err
		} else if family == "" {
			return ErrRefreshInvalid
		}
		// Read after taking the lock: every earlier refresh of the family
		// has committed or rolled back.
		var rows []struct {
			ID            string
			UserID        string
			FamilyID      string
			Live          bool
			Used          bool
			InGrace       bool
			SuccessorUsed bool
			FamilyOff     bool
		}
		err := tx.Raw(`SELECT id, user_id, family_id,
				(expires_at > now() AND revoked_at IS NULL) AS live,
				used_at IS NOT NULL AS used,
				COALESCE(used_at >= now() - make_interval(secs => ?), false) AS in_grace,
				EXISTS (SELECT 1 FROM refresh_tokens c WHERE c.parent_id = t.id AND c.used_at IS NOT NULL) AS successor_used,
				EXISTS (SELECT 1 FROM refresh_tokens f WHERE f.family_id = t.family_id AND f.revoked_at IS NOT NULL) AS family_off
			FROM refresh_tokens t WHERE token_hash = ?`, RefreshGrace.Seconds(), hash).Scan(&rows).Error
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrRefreshInvalid
		}
		r := rows[0]
		if !r.Live || r.FamilyOff {
			return ErrRefreshInvalid
		}
		if r.Used && (!r.InGrace || r.SuccessorUsed) {
			reused = true
			return tx.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ? AND revoked_at IS NULL`, r.FamilyID).Error
		}
		if !r.Used {
			if err := tx.Exec(`UPDATE refresh_tokens SET used_at = now() WHERE id = ?`, r.ID).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`INSERT INTO refresh_tokens (user_id, family_id, parent_id, token_hash, expires_at)
			VALUES (?, ?, ?, ?, now() + make_interval(secs => ?))`, r.UserID, r.FamilyID, r.ID, nextHash, RefreshTTL.Seconds()).Error; err != nil {
			return err
		}
		u, err := database.One[userRow](tx, ErrRefreshInvalid, "read user", userSelect+`WHERE u.id = ?`, r.UserID)
		if err != nil {
			return err
		}
		user = u.user()
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrRefreshInvalid) {
			return nil, "", err
		}
		return nil, "", fmt.Errorf("account: rotate: %w", err)
	}
	if reused {
		return nil, "", ErrRefreshInvalid
	}
	return user, next, nil
}

// Revoke kills the family of tok (logout). An unknown token is not an
// error: the caller's session is over either way.
func (s *Store) Revoke(ctx context.Context, tok string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		family, err := lockFamily(tx, opaque.Hash(tok))
		if err != nil || family == "" {
			return err
		}
		return tx.Exec(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ? AND revoked_at IS NULL`, family).Error
	})
	if err != nil {
		return fmt.Errorf("account: revoke: %w", err)
	}
	return nil
}

// lockFamily takes the advisory lock of the family of the token with hash,
// until tx ends, and returns the family ("" for an unknown token). Every
// change to a family's tokens holds it, so refreshes, reuse revocations and
// logouts of one family happen one after another (and cannot deadlock on
// the family's rows).
func lockFamily(tx *gorm.DB, hash []byte) (string, error) {
	var family []string
	if err := tx.Raw(`SELECT family_id FROM refresh_tokens WHERE token_hash = ?`, hash).Scan(&family).Error; err != nil {
		return "", err
	}
	if len(family) == 0 {
		return "", nil
	}
	if err := tx.Exec(`SELECT pg_advisory_xact_lock(?, hashtext(?))`, refreshLockClass, family[0]).Error; err != nil {
		return "", err
	}
	return family[0], nil
}

// KnownAddressTTL is how long a successful login from an address keeps
// that address known to the user.
const KnownAddressTTL = 30 * 24 * time.Hour

func addrHash(addr string) []byte {
	h := sha256.Sum256([]byte(addr))
	return h[:]
}

// RememberLogin notes that userID logged in successfully from addr, and
// forgets the user's addresses not seen for KnownAddressTTL.
func (s *Store) RememberLogin(ctx context.Context, userID, addr string) error {
	db := s.db.WithContext(ctx)
	err := db.Exec(`INSERT INTO login_addresses (user_id, addr_hash) VALUES (?, ?)
		ON CONFLICT (user_id, addr_hash) DO UPDATE SET at = now()`, userID, addrHash(addr)).Error
	if err == nil {
		err = db.Exec(`DELETE FROM login_addresses WHERE user_id = ? AND at < now() - make_interval(secs => ?)`,
			userID, KnownAddressTTL.Seconds()).Error
	}
	if err != nil {
		return fmt.Errorf("account: remember login: %w", err)
	}
	// Users who stopped logging in: forget their old addresses now and then.
	if time.Now().UnixNano()%64 == 0 {
		db.Exec(`DELETE FROM login_addresses WHERE at < now() - make_interval(secs => ?)`, KnownAddressTTL.Seconds())
	}
	return nil
}

// KnownAddress reports whether the user with email (any case) logged in
// successfully from addr within KnownAddressTTL. An unknown email has no
// known address.
func (s *Store) KnownAddress(ctx context.Context, email, addr string) (bool, error) {
	var known bool
	err := s.db.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM login_addresses a JOIN users u ON u.id = a.user_id
			WHERE lower(u.email) = lower(?) AND a.addr_hash = ? AND a.at > now() - make_interval(secs => ?))`,
		strings.TrimSpace(email), addrHash(addr), KnownAddressTTL.Seconds()).Scan(&known).Error
	if err != nil {
		return false, fmt.Errorf("account: known address: %w", err)
	}
	return known, nil
}
