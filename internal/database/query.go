package database

import (
	"fmt"

	"gorm.io/gorm"
)

// One runs a query that names at most one row and scans it into a T.
// No row is notFound, returned as it is so that errors.Is sees the
// sentinel; any other failure is wrapped with what ("exam: get version").
func One[T any](db *gorm.DB, notFound error, what, query string, args ...any) (*T, error) {
	var rows []T
	if err := db.Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(rows) == 0 {
		return nil, notFound
	}
	return &rows[0], nil
}

// All runs a query and scans every row into a []T (empty, not nil, when
// there is none, so it encodes as a JSON list). Failures are wrapped with
// what.
func All[T any](db *gorm.DB, what, query string, args ...any) ([]T, error) {
	rows := []T{}
	if err := db.Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return rows, nil
}

// Change runs a statement that must touch at least one row (a delete or an
// update by id). No row touched is notFound, returned as it is; any other
// failure is wrapped with what.
func Change(db *gorm.DB, notFound error, what, query string, args ...any) error {
	res := db.Exec(query, args...)
	if res.Error != nil {
		return fmt.Errorf("%s: %w", what, res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound
	}
	return nil
}
