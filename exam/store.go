package exam

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/cursor"
	"examd/internal/database"
)

// Store keeps exams, versions, invitations and attempts in PostgreSQL.
// Every staff method takes the caller's organization and filters by it
// explicitly: another organization's row is ErrNotFound.
type Store struct {
	db *gorm.DB
	// scorer scores every submission (candidate or sweeper) inside the
	// submitting transaction, so a submitted attempt never misses its
	// scores; it also reads points for the candidate's outcome view.
	scorer Scorer
	// The caches (caches.go; docs/design.md lists them).
	storeCaches
}

// NewStore returns a Store on db whose submissions scorer scores (in
// production grading.NewScorer(db)). The store cannot submit without one.
func NewStore(db *gorm.DB, scorer Scorer) *Store {
	if scorer == nil {
		panic("exam: NewStore needs a Scorer")
	}
	return &Store{db: db, scorer: scorer, storeCaches: newStoreCaches()}
}

// Exam is a draft with its bookkeeping, as the API shows it.
type Exam struct {
	ID            string    `json:"id"`
	Status        string    `json:"status"`
	LatestVersion int       `json:"latest_version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Document
}

// Summary is an exam in a list.
type Summary struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	Status        string    `json:"status"`
	LatestVersion int       `json:"latest_version"`
	QuestionCount int       `json:"question_count"`
	Tracks        []string  `json:"tracks"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

type examRow struct {
	ID            string
	Document      []byte
	LatestVersion int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func status(latest int) string {
	if latest == 0 {
		return "draft"
	}
	return "published"
}

func (r *examRow) exam() (*Exam, error) {
	e := &Exam{ID: r.ID, Status: status(r.LatestVersion), LatestVersion: r.LatestVersion, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal(r.Document, &e.Document); err != nil {
		return nil, fmt.Errorf("exam: stored document of %s: %w", r.ID, err)
	}
	return e, nil
}

// ValidID reports whether id is a UUID: anything else names no row, so
// callers answer not found without asking the database.
func ValidID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil
}

// assignIDs gives every section and question without a known id a new one.
// known holds the ids that may be kept (the exam's existing ones); nil means
// none may (a new exam). An id that is not known is an error, so that a
// typo cannot silently detach a question from its results.
func assignIDs(d *Document, known map[string]bool) error {
	var p problems
	// assign keeps *id when known holds key+*id, reports it at path when
	// known is not nil, and gives a new id to one left empty.
	assign := func(id *string, key, path, what string) {
		if *id != "" && !known[key+*id] {
			if known == nil {
				*id = ""
			} else {
				p.add(path, "unknown_id", nil, "no %s with this id in this exam; leave id out for a new %s", what, what)
			}
		}
		if *id == "" {
			*id = uuid.NewString()
		}
	}
	for si := range d.Sections {
		s := &d.Sections[si]
		assign(&s.ID, "s:", fmt.Sprintf("sections[%d].id", si), "section")
		for qi := range s.Questions {
			assign(&s.Questions[qi].ID, "q:", fmt.Sprintf("sections[%d].questions[%d].id", si, qi), "question")
		}
	}
	return p.err("exam is not valid")
}

func collectIDs(d *Document, into map[string]bool) {
	for _, s := range d.Sections {
		into["s:"+s.ID] = true
		for _, q := range s.Questions {
			into["q:"+q.ID] = true
		}
	}
}

// Create stores a new draft. d must be validated and normalised; it gets
// fresh ids.
func (s *Store) Create(ctx context.Context, orgID, userID string, d *Document) (*Exam, error) {
	if err := assignIDs(d, nil); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var row examRow
	err = s.db.WithContext(ctx).Raw(`INSERT INTO exams (org_id, title, document, created_by) VALUES (?, ?, ?, ?)
		RETURNING id, document, latest_version, created_at, updated_at`, orgID, d.Title, doc, userID).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("exam: create: %w", err)
	}
	return row.exam()
}

// Get returns the draft of exam id.
func (s *Store) Get(ctx context.Context, orgID, id string) (*Exam, error) {
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	row, err := database.One[examRow](s.db.WithContext(ctx), ErrNotFound, "exam: get",
		`SELECT id, document, latest_version, created_at, updated_at FROM exams WHERE org_id = ? AND id = ?`, orgID, id)
	if err != nil {
		return nil, err
	}
	return row.exam()
}

// List returns the organization's exams, newest first.
func (s *Store) List(ctx context.Context, orgID string) ([]Summary, error) {
	out, _, err := s.ListPage(ctx, orgID, 0, "")
	return out, err
}

// ListPage is one page of the organization's exams, newest first: at most
// limit (0: every one) after the cursor ("" is the first page). next is the
// following page's cursor, "" on the last; a cursor this server did not
// hand out is cursor.ErrBad.
func (s *Store) ListPage(ctx context.Context, orgID string, limit int, after string) (out []Summary, next string, err error) {
	q, args := `SELECT id, document, latest_version, created_at, updated_at FROM exams WHERE org_id = ? `, []any{orgID}
	if after != "" {
		at, id, err := cursor.Decode(after)
		if err != nil {
			return nil, "", err
		}
		q += `AND (created_at, id) < (?, ?::uuid) `
		args = append(args, at, id)
	}
	q += `ORDER BY created_at DESC, id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit+1)
	}
	var rows []examRow
	if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("exam: list: %w", err)
	}
	if limit > 0 {
		rows, next = cursor.Trim(rows, limit, func(r *examRow) string { return cursor.Encode(r.CreatedAt, r.ID) })
	}
	out = make([]Summary, 0, len(rows))
	for i := range rows {
		e, err := rows[i].exam()
		if err != nil {
			return nil, "", err
		}
		tracks := e.Tracks
		if tracks == nil {
			tracks = []string{}
		}
		out = append(out, Summary{ID: e.ID, Title: e.Title, Description: e.Description, Status: e.Status,
			LatestVersion: e.LatestVersion, QuestionCount: e.QuestionCount(), Tracks: tracks, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt})
	}
	return out, next, nil
}

// Replace overwrites the draft. Sections and questions that carry an id the
// exam already knows (from its draft or any version) keep it; others get
// new ids.
func (s *Store) Replace(ctx context.Context, orgID, id string, d *Document) (*Exam, error) {
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	var out *Exam
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var docs [][]byte
		if err := tx.Raw(`SELECT document FROM exams WHERE org_id = ? AND id = ? FOR UPDATE`, orgID, id).Scan(&docs).Error; err != nil {
			return err
		}
		if len(docs) == 0 {
			return ErrNotFound
		}
		var versions [][]byte
		if err := tx.Raw(`SELECT document FROM exam_versions WHERE exam_id = ?`, id).Scan(&versions).Error; err != nil {
			return err
		}
		known := map[string]bool{}
		for _, b := range append(docs, versions...) {
			var old Document
			if err := json.Unmarshal(b, &old); err != nil {
				return err
			}
			collectIDs(&old, known)
		}
		if err := assignIDs(d, known); err != nil {
			return err
		}
		doc, err := json.Marshal(d)
		if err != nil {
			return err
		}
		var row examRow
		if err := tx.Raw(`UPDATE exams SET document = ?, title = ?, updated_at = now() WHERE org_id = ? AND id = ?
			RETURNING id, document, latest_version, created_at, updated_at`, doc, d.Title, orgID, id).Scan(&row).Error; err != nil {
			return err
		}
		out, err = row.exam()
		return err
	})
	if err != nil {
		return nil, wrapUnexpected(err, "replace", ErrNotFound)
	}
	return out, nil
}

// Published is the result of a publish.
type Published struct {
	ExamID      string    `json:"exam_id"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
}

// Publish freezes the draft as version latest+1. The exam row is locked so
// that two publishes at once make two versions, never one number twice.
func (s *Store) Publish(ctx context.Context, orgID, id, userID string) (*Published, error) {
	if !ValidID(id) {
		return nil, ErrNotFound
	}
	var p Published
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := database.One[struct {
			LatestVersion int
			Document      []byte
		}](tx, ErrNotFound, "lock exam",
			`SELECT latest_version, document FROM exams WHERE org_id = ? AND id = ? FOR UPDATE`, orgID, id)
		if err != nil {
			return err
		}
		var d Document
		if err := json.Unmarshal(row.Document, &d); err != nil {
			return fmt.Errorf("decode draft: %w", err)
		}
		frozen := row.Document
		if d.HasDraws() {
			// The version holds its draws' pools as the bank has them now.
			if err := freezePools(tx, orgID, &d); err != nil {
				return err
			}
			if frozen, err = json.Marshal(&d); err != nil {
				return err
			}
		}
		if err := CheckPublishable(&d); err != nil {
			return err
		}
		v := row.LatestVersion + 1
		if err := tx.Raw(`INSERT INTO exam_versions (exam_id, version, org_id, document, published_by)
			SELECT id, ?, org_id, ?, ? FROM exams WHERE id = ? RETURNING exam_id, version, published_at`,
			v, frozen, userID, id).Scan(&p).Error; err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE exams SET latest_version = ? WHERE id = ?`, v, id).Error; err != nil {
			return err
		}
		return audit.Record(tx, audit.Actor{OrgID: orgID, UserID: userID}, audit.ExamPublished, "exam:"+id, map[string]any{"version": v})
	})
	if err != nil {
		return nil, wrapUnexpected(err, "publish", ErrNotFound)
	}
	return &p, nil
}

// Amendment is one recorded key change of a version.
type Amendment struct {
	QuestionID string          `json:"question_id"`
	At         time.Time       `json:"at"`
	By         string          `json:"by"`
	ByName     string          `json:"by_name"`
	Reason     string          `json:"reason"`
	OldKey     json.RawMessage `json:"old_key"`
	NewKey     json.RawMessage `json:"new_key"`
}

// Version is a frozen version with its amendments.
type Version struct {
	ExamID      string      `json:"exam_id"`
	Version     int         `json:"version"`
	PublishedAt time.Time   `json:"published_at"`
	Exam        Document    `json:"exam"`
	Amendments  []Amendment `json:"amendments"`
}

// GetVersion returns version n of exam id, with keys as amended.
func (s *Store) GetVersion(ctx context.Context, orgID, id string, n int) (*Version, error) {
	if !ValidID(id) || n < 1 {
		return nil, ErrNotFound
	}
	row, err := database.One[struct {
		Document    []byte
		PublishedAt time.Time
	}](s.db.WithContext(ctx), ErrNotFound, "exam: get version",
		`SELECT document, published_at FROM exam_versions WHERE org_id = ? AND exam_id = ? AND version = ?`, orgID, id, n)
	if err != nil {
		return nil, err
	}
	v := &Version{ExamID: id, Version: n, PublishedAt: row.PublishedAt, Amendments: []Amendment{}}
	if err := json.Unmarshal(row.Document, &v.Exam); err != nil {
		return nil, err
	}
	var am []struct {
		QuestionID string
		At         time.Time
		ByUser     string
		ByName     string
		Reason     string
		OldKey     []byte
		NewKey     []byte
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT k.question_id, k.at, k.by_user, coalesce(u.name, '') AS by_name, k.reason, k.old_key, k.new_key
		FROM key_amendments k LEFT JOIN users u ON u.id = k.by_user AND u.org_id = ?
		WHERE k.exam_id = ? AND k.version = ? ORDER BY k.at, k.id`, orgID, id, n).Scan(&am).Error; err != nil {
		return nil, fmt.Errorf("exam: amendments: %w", err)
	}
	for _, a := range am {
		v.Amendments = append(v.Amendments, Amendment{QuestionID: a.QuestionID, At: a.At, By: a.ByUser, ByName: a.ByName, Reason: a.Reason, OldKey: a.OldKey, NewKey: a.NewKey})
	}
	return v, nil
}
