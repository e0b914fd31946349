package database_test

import (
	"context"
	"errors"
	"testing"

	"examd/internal/database"
	"examd/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var errMissing = errors.New("missing")

func TestOneAndAll(t *testing.T) {
	db, err := database.Open(pgtest.URL(t), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db = db.WithContext(context.Background())
	type row struct {
		N    int
		Name string
	}
	got, err := database.One[row](db, errMissing, "test: one", `SELECT 7 AS n, 'seven' AS name`)
	if err != nil || got.N != 7 || got.Name != "seven" {
		t.Fatalf("One: %+v %v, want {7 seven}", got, err)
	}
	_, err = database.One[row](db, errMissing, "test: one", `SELECT 1 AS n WHERE false`)
	if err != errMissing {
		t.Fatalf("One with no row: %v, want the sentinel itself", err)
	}
	_, err = database.One[row](db, errMissing, "test: broken", `SELECT nope FROM nowhere`)
	if err == nil || errors.Is(err, errMissing) || err.Error()[:12] != "test: broken" {
		t.Fatalf("One on a failing query: %v, want an error wrapped with its context", err)
	}

	all, err := database.All[row](db, "test: all", `SELECT g AS n, 'x' AS name FROM generate_series(1, ?) g`, 3)
	if err != nil || len(all) != 3 || all[2].N != 3 {
		t.Fatalf("All: %+v %v, want 3 rows", all, err)
	}
	none, err := database.All[row](db, "test: all", `SELECT 1 AS n WHERE false`)
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("All with no row: %#v %v, want an empty non-nil slice", none, err)
	}
}

func TestChange(t *testing.T) {
	db, err := database.Open(pgtest.URL(t), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db = db.WithContext(context.Background())
	if err := db.Exec(`CREATE TEMP TABLE change_probe (id int)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO change_probe VALUES (1)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := database.Change(db, errMissing, "test: delete", `DELETE FROM change_probe WHERE id = ?`, 1); err != nil {
		t.Fatalf("Change on a present row: %v, want nil", err)
	}
	if err := database.Change(db, errMissing, "test: delete", `DELETE FROM change_probe WHERE id = ?`, 1); err != errMissing {
		t.Fatalf("Change with no row touched: %v, want the sentinel itself", err)
	}
	err = database.Change(db, errMissing, "test: broken", `DELETE FROM nowhere`)
	if err == nil || errors.Is(err, errMissing) || err.Error()[:12] != "test: broken" {
		t.Fatalf("Change on a failing statement: %v, want an error wrapped with its context", err)
	}
}
