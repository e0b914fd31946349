package exam

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"examd/internal/database"
)

// The version cache keeps parsed frozen documents by (exam, version) for
// the candidate's view, which is read on every resume. A version changes
// only through a key amendment: the amending process forgets its entry at
// once, and entries expire after versionTTL so other processes catch up
// too. Keys themselves never reach a candidate, and scoring checks its own
// cache against the row it share-locks (lockVersionForScoring).

// forgetVersion drops the cached copies of a version after its key was
// amended (AmendVersionKey): the parsed document and the scoring entry.
// The encoded views need nothing: they are keyed by document.
func (s *Store) forgetVersion(examID string, version int) {
	k := versionKey{examID, version}
	s.versions.Forget(k)
	s.scoring.Forget(k)
}

// cachedVersion returns a version's document for candidate views, cached.
// Callers must not modify it.
func (s *Store) cachedVersion(ctx context.Context, examID string, version int) (*Document, error) {
	k := versionKey{examID, version}
	if d, ok := s.versions.Get(k); ok {
		return d, nil
	}
	d, err := ReadVersion(ctx, s.db, examID, version)
	if err != nil {
		return nil, err
	}
	s.versions.Put(k, d)
	return d, nil
}

// ReadVersion reads a version's document (keys as amended, not cached) through db, which may
// be a transaction.
func ReadVersion(ctx context.Context, db *gorm.DB, examID string, version int) (*Document, error) {
	doc, err := database.One[[]byte](db.WithContext(ctx), ErrNotFound, "exam: read version",
		`SELECT document FROM exam_versions WHERE exam_id = ? AND version = ?`, examID, version)
	if err != nil {
		return nil, err
	}
	var d Document
	if err := json.Unmarshal(*doc, &d); err != nil {
		return nil, fmt.Errorf("exam: stored version %s/%d: %w", examID, version, err)
	}
	return &d, nil
}

// The scoring cache keeps, by version, the document last read for scoring
// with the stamp (xmin and ctid) of the row it came from. Any update of the
// row (a key amendment) makes a new row version with a new stamp, so a
// stamp read under the row's share lock tells whether the cached document
// is the one in the database, without sending the document again.
type stampedDoc struct {
	stamp string
	doc   *Document
}

// versionStampLock is the part of a submit's locking statement that
// share-locks the attempt's version row (alias v: a key amendment in
// progress finishes first) and reads its stamp, which scoringVersion
// compares with the cached document's.
const versionStampLock = `v.xmin::text || ':' || v.ctid::text AS version_stamp`

// scoringVersion returns a version's document as it is in the database,
// given the stamp read under its share lock (versionStampLock): the cached
// one when the row is unchanged since, else read and parsed in tx. Callers
// must not modify it.
func (s *Store) scoringVersion(ctx context.Context, tx *gorm.DB, examID string, version int, stamp string) (*Document, error) {
	k := versionKey{examID, version}
	if e, ok := s.scoring.Get(k); ok && e.stamp == stamp {
		return e.doc, nil
	}
	var rows []struct {
		Document []byte
		Stamp    string
	}
	if err := tx.WithContext(ctx).Raw(`SELECT document, xmin::text || ':' || ctid::text AS stamp FROM exam_versions WHERE exam_id = ? AND version = ?`,
		examID, version).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("exam: read version: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	var d Document
	if err := json.Unmarshal(rows[0].Document, &d); err != nil {
		return nil, fmt.Errorf("exam: stored version %s/%d: %w", examID, version, err)
	}
	s.scoring.Put(k, stampedDoc{stamp: rows[0].Stamp, doc: &d})
	return &d, nil
}
