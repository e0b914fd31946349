// Package database opens examd's PostgreSQL connection through GORM with the
// settings the product uses everywhere (tests included), so that behaviour
// measured in tests and benchmarks is the product's.
//
// How examd uses GORM: as a connection pool, a transaction runner
// (db.Transaction) and a row scanner for SQL written by hand. The schema is
// owned by migrations/, never by GORM (no AutoMigrate, no associations), and
// queries are plain SQL through Raw and Exec, because the statements that
// matter (the seq-guarded upsert, SKIP LOCKED claims, FOR UPDATE/FOR SHARE
// orderings) must be exactly what they say. Struct conditions are not used:
// GORM drops zero-valued fields from them, which would silently remove an
// org_id filter. One and All below are the two shapes almost every read
// takes. Where GORM's reflection-based scanning showed in make bench (the
// autosave, resume and submit paths), those few reads scan rows by hand
// through the underlying database/sql connection instead; each says so.
package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Options tune the pool; zero values take defaults.
type Options struct {
	MaxOpenConns int
}

// Open connects to url. It does not fail when the server is down: the
// pool connects lazily, so /readyz can report the outage and recover.
func Open(url string, o Options) (*gorm.DB, error) {
	if o.MaxOpenConns == 0 {
		o.MaxOpenConns = 24
	}
	db, err := gorm.Open(postgres.New(postgres.Config{DSN: url}), &gorm.Config{
		// Single statements need no BEGIN/COMMIT round trips; multi-step
		// writes use db.Transaction explicitly.
		SkipDefaultTransaction: true,
		Logger:                 logger.Default.LogMode(logger.Silent),
		TranslateError:         false,
	})
	if err != nil {
		return nil, fmt.Errorf("database: open: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(o.MaxOpenConns)
	sqlDB.SetMaxIdleConns(o.MaxOpenConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// Ping checks the database answers within a short time.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return sqlDB.PingContext(ctx)
}

// IsUnavailable reports whether err means the database could not be reached
// (as opposed to a query that failed): the api answers 503 for these.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, crash_shutdown, cannot_connect_now
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "conn closed") || strings.Contains(s, "bad connection") ||
		strings.Contains(s, "connection refused") || strings.Contains(s, "failed to connect")
}

// IsUniqueViolation reports a unique-constraint failure, optionally of one
// named constraint or index.
func IsUniqueViolation(err error, constraint string) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		return false
	}
	return constraint == "" || pe.ConstraintName == constraint
}
