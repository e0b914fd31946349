package audit

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"examd/internal/database"
	"examd/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// open is examd's own pool on a fresh database, as audit records run on it.
func open(t *testing.T) *gorm.DB {
	t.Helper()
	return pgtest.Open(t, pgtest.URL(t), database.Options{})
}

func TestRecordBelongsToTheCallersTransaction(t *testing.T) {
	db := open(t)
	var org, user string
	if err := db.Raw(`INSERT INTO organizations (name) VALUES ('Acme') RETURNING id`).Scan(&org).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(`INSERT INTO users (org_id, email, name, role, password_hash) VALUES (?, 'a@acme.test', '李经理', 'admin', 'x') RETURNING id`, org).Scan(&user).Error; err != nil {
		t.Fatal(err)
	}
	actor := Actor{OrgID: org, UserID: user, Role: "admin"}
	boom := errors.New("the change failed")
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := Record(tx, actor, AttemptReopened, "attempt:1", map[string]any{"reason": "rolled back"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if es, err := ForTarget(db, org, "attempt:1"); err != nil || len(es) != 0 {
		t.Fatalf("a rolled-back change left a record: %+v %v", es, err)
	}
	if err := db.Transaction(func(tx *gorm.DB) error {
		return Record(tx, actor, AttemptReopened, "attempt:1", map[string]any{"reason": "停电"})
	}); err != nil {
		t.Fatal(err)
	}
	// A later rename does not rewrite the record.
	db.Exec(`UPDATE users SET name = 'renamed' WHERE id = ?`, user)
	es, err := ForTarget(db, org, "attempt:1")
	if err != nil || len(es) != 1 || es[0].Name != "李经理" || es[0].Role != "admin" || es[0].Action != AttemptReopened || string(es[0].Details) != `{"reason": "停电"}` {
		t.Fatalf("record: %+v %v", es, err)
	}
	if es, _ := ForTarget(db, "00000000-0000-0000-0000-000000000000", "attempt:1"); len(es) != 0 {
		t.Fatal("another organization sees the record")
	}
	if err := Record(db, Actor{OrgID: org}, KeyAmended, "x", nil); !errors.Is(err, ErrNoActor) {
		t.Fatalf("no user: %v", err)
	}
}
