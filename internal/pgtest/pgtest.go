// Package pgtest gives each test a fresh, migrated PostgreSQL database: from
// TEST_DATABASE_URL's server when set, or else from a throwaway cluster this
// package starts with Debian's PostgreSQL binaries. Every test database is a
// copy of a template migrated once and named by a hash of the migrations, so
// a new database costs milliseconds and tests never see each other's rows.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"gorm.io/gorm"

	"examd/internal/database"
	"examd/migrations"
)

var (
	mu       sync.Mutex
	adminURL string
	cluster  *Cluster
	tmplName string
)

// Main runs a package's tests and stops a cluster started for them. Use it
// from TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if cluster != nil {
		cluster.Destroy()
	}
	mu.Unlock()
	os.Exit(code)
}

// admin returns a URL of a database on the server with rights to create
// databases, starting a cluster when TEST_DATABASE_URL is not set.
func admin() (string, error) {
	if adminURL != "" {
		return adminURL, nil
	}
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		adminURL = u
		return adminURL, nil
	}
	c, err := StartCluster()
	if err != nil {
		return "", err
	}
	cluster = c
	adminURL = c.URL("postgres")
	return adminURL, nil
}

// WithDatabase returns base with its database name replaced.
func WithDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func migrationsHash() string {
	h := sha256.New()
	names, _ := fs.Glob(migrations.FS(), "*.sql")
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrations.FS(), n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// template makes sure the migrated template database exists. Several test
// processes may race here: an advisory lock serialises them.
func template(ctx context.Context, base string) (string, error) {
	if tmplName != "" {
		return tmplName, nil
	}
	name := "examd_tmpl_" + migrationsHash()
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("pgtest: connect %s: %w", redact(base), err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7366823)"); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7366823)")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		building := name + "_build"
		conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building)
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
			return "", fmt.Errorf("pgtest: create template: %w", err)
		}
		tdb, err := sql.Open("pgx", WithDatabase(base, building))
		if err != nil {
			return "", err
		}
		_, err = migrations.Up(ctx, tdb)
		tdb.Close()
		if err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
			return "", err
		}
	}
	tmplName = name
	return name, nil
}

// URL creates a fresh migrated database for t and returns its URL; the
// database is dropped when the test ends.
//
// With -short (go test -short ./...) tests that need PostgreSQL are skipped,
// so a quick run needs no server; make test runs them all.
func URL(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs PostgreSQL: not run with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	mu.Lock()
	base, err := admin()
	var tmpl string
	if err == nil {
		tmpl, err = template(ctx, base)
	}
	mu.Unlock()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := "examd_t_" + randomHex(8)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// CREATE DATABASE … TEMPLATE fails while another session is connected to
	// the template; retry briefly when parallel tests collide.
	for i := 0; ; i++ {
		_, err = db.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl)
		if err == nil || i == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return WithDatabase(base, name)
}

// Open opens examd's pool on url (a URL from URL) for t and closes it when
// the test ends.
func Open(t testing.TB, url string, opts database.Options) *gorm.DB {
	t.Helper()
	db, err := database.Open(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	})
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(database url)"
	}
	return p.Redacted()
}
