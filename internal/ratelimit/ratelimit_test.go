package ratelimit

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"examd/internal/database"
	"examd/internal/pgtest"
	"examd/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func newLimiter(t *testing.T) *Limiter {
	t.Helper()
	db := pgtest.Open(t, pgtest.URL(t), database.Options{MaxOpenConns: 4})
	return New(db)
}

// Keys of any length or content are counted: a 20,000-character key used to
// overflow the btree index (a 500 at login, and the failure never counted).
func TestAnyKeyIsCounted(t *testing.T) {
	t.Parallel()
	l := newLimiter(t)
	ctx := context.Background()
	rule := Rule{Scope: "test", Max: 3, Window: time.Minute}
	// Incompressible text: PostgreSQL compresses a repeated character below
	// the index's row limit.
	rnd := rand.New(rand.NewPCG(1, 2))
	var lb, cb strings.Builder
	for i := 0; i < 20000; i++ {
		lb.WriteByte(byte('a' + rnd.IntN(26)))
		cb.WriteRune(rune(0x4e00 + rnd.IntN(20000)))
	}
	long, longCJK := lb.String(), cb.String()
	for _, key := range []string{
		long + "@acme.test",
		longCJK,
		"a\x00b@acme.test",
		"\xff\xfe not utf-8",
		"",
	} {
		for i := 0; i < rule.Max; i++ {
			blocked, _, err := l.Check(ctx, rule, key)
			if err != nil || blocked {
				t.Fatalf("key of %d bytes, check %d: blocked=%v err=%v", len(key), i, blocked, err)
			}
			if err := l.Record(ctx, rule.Scope, key); err != nil {
				t.Fatalf("key of %d bytes: record: %v", len(key), err)
			}
		}
		blocked, wait, err := l.Check(ctx, rule, key)
		if err != nil || !blocked || wait <= 0 || wait > rule.Window {
			t.Fatalf("key of %d bytes after %d failures: blocked=%v wait=%v err=%v", len(key), rule.Max, blocked, wait, err)
		}
	}
	// Keys that differ only after the first kilobytes are still different keys,
	// and scopes do not mix.
	other := long + "@acme.tesT"
	if blocked, _, err := l.Check(ctx, rule, other); err != nil || blocked {
		t.Fatalf("a different long key is blocked: %v %v", blocked, err)
	}
	if blocked, _, err := l.Check(ctx, Rule{Scope: "other", Max: 3, Window: time.Minute}, ""); err != nil || blocked {
		t.Fatalf("another scope is blocked: %v %v", blocked, err)
	}
}

// RecordHits counts each hit under its own scope and key in one go, and the
// window slides: failures older than it no longer count.
func TestRecordHitsAndWindow(t *testing.T) {
	t.Parallel()
	l := newLimiter(t)
	ctx := context.Background()
	a := Rule{Scope: "a", Max: 2, Window: time.Minute}
	b := Rule{Scope: "b", Max: 2, Window: time.Minute}
	for i := 0; i < 2; i++ {
		if err := l.RecordHits(ctx, Hit{Scope: "a", Key: "k"}, Hit{Scope: "b", Key: "k"}, Hit{Scope: "b", Key: "j"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		r   Rule
		key string
	}{{a, "k"}, {b, "k"}, {b, "j"}} {
		if blocked, _, err := l.Check(ctx, c.r, c.key); err != nil || !blocked {
			t.Fatalf("%s/%s not blocked after 2 failures: %v", c.r.Scope, c.key, err)
		}
	}
	if blocked, _, _ := l.Check(ctx, a, "j"); blocked {
		t.Fatal("a/j blocked by b's failures")
	}
	// Age every failure past the window: nothing is blocked any more.
	if err := l.db.Exec(`UPDATE auth_failures SET at = at - interval '61 seconds'`).Error; err != nil {
		t.Fatal(err)
	}
	if blocked, _, _ := l.Check(ctx, a, "k"); blocked {
		t.Fatal("failures older than the window still block")
	}
}

// Migration 00005 hashes the keys already counted, so an upgrade does not
// forget recent failures; its Down restores the old column.
func TestMigrationKeepsCountedFailures(t *testing.T) {
	t.Parallel()
	l := newLimiter(t)
	ctx := context.Background()
	sqlDB, err := l.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 4); err != nil {
		t.Fatalf("down to 4: %v", err)
	}
	for i := 0; i < 3; i++ {
		if err := l.db.Exec(`INSERT INTO auth_failures (scope, key) VALUES ('login_email', 'ada@acme.test'), ('login_addr', '192.0.2.1')`).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.UpTo(ctx, 5); err != nil {
		t.Fatalf("up to 5: %v", err)
	}
	for _, c := range []struct{ scope, key string }{{"login_email", "ada@acme.test"}, {"login_addr", "192.0.2.1"}} {
		blocked, _, err := l.Check(ctx, Rule{Scope: c.scope, Max: 3, Window: time.Minute}, c.key)
		if err != nil || !blocked {
			t.Fatalf("%s %s after the upgrade: blocked=%v err=%v", c.scope, c.key, blocked, err)
		}
	}
}
