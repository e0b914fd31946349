package pgtest

import (
	"database/sql"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// Two databases from the helper are migrated and do not share rows.
func TestFreshDatabasesAreIsolated(t *testing.T) {
	a, b := URL(t), URL(t)
	if a == b {
		t.Fatal("same database twice")
	}
	da, _ := sql.Open("pgx", a)
	defer da.Close()
	db, _ := sql.Open("pgx", b)
	defer db.Close()
	if _, err := da.Exec("INSERT INTO organizations (name) VALUES ('only in a')"); err != nil {
		t.Fatalf("schema not migrated: %v", err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM organizations").Scan(&n); err != nil || n != 0 {
		t.Fatalf("b sees %d rows (err %v)", n, err)
	}
}
