// Package bank keeps an organization's question bank (questions tagged by
// competency, apart from any exam) and its positions (岗位), in PostgreSQL.
// It knows nothing of HTTP; questions are validated by the exam package's
// rules, and a missing row is exam.ErrNotFound.
package bank

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"examd/exam"
	"examd/internal/cursor"
	"examd/internal/database"
)

// MaxPageSize caps ?limit= of a bank list.
const MaxPageSize = 500

// MaxBatch caps one batch create.
const MaxBatch = 1000

// ErrBadCursor is a cursor that no page of this list returned.
var ErrBadCursor = cursor.ErrBad // internal/cursor's one error

// Store is the bank and positions storage.
type Store struct{ db *gorm.DB }

// NewStore returns a Store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Question is a bank question as the API shows it.
type Question struct {
	exam.Question
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type questionRow struct {
	ID        string
	Question  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (r *questionRow) question() (*Question, error) {
	q := &Question{CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal(r.Question, &q.Question); err != nil {
		return nil, fmt.Errorf("bank: stored question %s: %w", r.ID, err)
	}
	q.ID = r.ID
	return q, nil
}

// Validate checks a bank question (prefix names it in problems) and fills
// its defaults; the id and bank_id a client sends are ignored.
func Validate(prefix string, q *exam.Question) []exam.FieldError {
	if probs := exam.ValidateQuestion(prefix, q); len(probs) > 0 {
		return probs
	}
	exam.NormalizeQuestion(q)
	q.ID, q.BankID = "", ""
	return nil
}

// searchText is what ?q= looks in: the prompt and the options' texts,
// lower-cased so that Latin words match in any case.
func searchText(q *exam.Question) string {
	var b strings.Builder
	b.WriteString(q.Prompt)
	for _, o := range q.Options {
		b.WriteString("\n")
		b.WriteString(o.Text)
	}
	return strings.ToLower(b.String())
}

// Grams returns the distinct characters and adjacent character pairs of s
// (white space dropped, lower-cased): the keys of the bank's GIN index. A
// query's grams are all contained in those of any text it is a substring of,
// so the index narrows the rows and LIKE decides.
func Grams(s string) []string {
	s = strings.ToLower(s)
	seen := map[string]bool{}
	out := []string{}
	var prev rune = -1
	for _, r := range s {
		if unicode.IsSpace(r) {
			prev = -1
			continue
		}
		if u := string(r); !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
		if prev >= 0 {
			if bg := string([]rune{prev, r}); !seen[bg] {
				seen[bg] = true
				out = append(out, bg)
			}
		}
		prev = r
	}
	return out
}

// queryGrams returns the pairs of q (or its single character): fewer keys
// than Grams, each as selective.
func queryGrams(q string) []string {
	var out []string
	for _, word := range strings.Fields(strings.ToLower(q)) {
		rs := []rune(word)
		if len(rs) == 1 {
			out = append(out, word)
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

// Create stores a validated question.
func (s *Store) Create(ctx context.Context, orgID string, q *exam.Question) (*Question, error) {
	out, err := s.CreateBatch(ctx, orgID, []exam.Question{*q})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// CreateBatch stores validated questions in one transaction: all or none.
func (s *Store) CreateBatch(ctx context.Context, orgID string, qs []exam.Question) ([]Question, error) {
	out := make([]Question, 0, len(qs))
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range qs {
			q := qs[i]
			doc, err := json.Marshal(&q)
			if err != nil {
				return err
			}
			text := searchText(&q)
			var row questionRow
			err = tx.Raw(`INSERT INTO bank_questions (org_id, type, tags, question, search, grams) VALUES (?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)))
				RETURNING id, question, created_at, updated_at`, orgID, q.Type, textArray(q.Tags), doc, text, textArray(Grams(text))).Scan(&row).Error
			if err != nil {
				return fmt.Errorf("bank: create: %w", err)
			}
			bq, err := row.question()
			if err != nil {
				return err
			}
			out = append(out, *bq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// textArray passes a list as JSON text, turned into text[] in SQL, so
// that GORM does not expand it into a parenthesised list.
func textArray(s []string) string {
	if s == nil {
		s = []string{}
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// Get returns one bank question.
func (s *Store) Get(ctx context.Context, orgID, id string) (*Question, error) {
	if !exam.ValidID(id) {
		return nil, exam.ErrNotFound
	}
	row, err := database.One[questionRow](s.db.WithContext(ctx), exam.ErrNotFound, "bank: get",
		`SELECT id, question, created_at, updated_at FROM bank_questions WHERE org_id = ? AND id = ?`, orgID, id)
	if err != nil {
		return nil, err
	}
	return row.question()
}

// Update replaces a bank question. Exams holding copies of it keep theirs.
func (s *Store) Update(ctx context.Context, orgID, id string, q *exam.Question) (*Question, error) {
	if !exam.ValidID(id) {
		return nil, exam.ErrNotFound
	}
	doc, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	text := searchText(q)
	row, err := database.One[questionRow](s.db.WithContext(ctx), exam.ErrNotFound, "bank: update",
		`UPDATE bank_questions SET type = ?, tags = ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), question = ?, search = ?, grams = ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), updated_at = now()
		WHERE org_id = ? AND id = ? RETURNING id, question, created_at, updated_at`,
		q.Type, textArray(q.Tags), doc, text, textArray(Grams(text)), orgID, id)
	if err != nil {
		return nil, err
	}
	return row.question()
}

// Delete removes a bank question. Exams and versions keep their copies.
func (s *Store) Delete(ctx context.Context, orgID, id string) error {
	return s.deleteOwned(ctx, "bank_questions", "bank: delete", orgID, id)
}

// deleteOwned removes the row id of table if it belongs to orgID; an id
// that is not one, or names nothing of the organization, is not found.
func (s *Store) deleteOwned(ctx context.Context, table, what, orgID, id string) error {
	if !exam.ValidID(id) {
		return exam.ErrNotFound
	}
	return database.Change(s.db.WithContext(ctx), exam.ErrNotFound, what,
		`DELETE FROM `+table+` WHERE org_id = ? AND id = ?`, orgID, id)
}

// Filter selects bank questions: Tag (exact), Type, Q (a substring of the
// prompt or an option, any case).
type Filter struct {
	Tag, Type, Q string
	Limit        int
	Cursor       string
}

// List returns a page of the bank, newest first, and the next page's cursor
// ("" after the last page).
//
// A filtered page is read in up to two steps. First the newest rows after
// the cursor in the order index, the filters applied as they stream, at
// most scanCap of them (1,000 for a page of 50): a common word (one row in five) fills a page of 50
// after some 250 rows and the scan stops there. When that window holds
// fewer than a page of matches the filter is rare, and every match is
// found through the GIN indexes (grams, tags) and sorted: few rows. Either
// step alone is slow for the other kind of word (a scan of the whole bank
// for a rare one, tens of thousands of matches sorted for a common one),
// and the planner cannot tell the two apart from a word it has no
// statistics for.
func (s *Store) List(ctx context.Context, orgID string, f Filter) ([]Question, string, error) {
	order := []string{"org_id = ?"}
	orderArgs := []any{orgID}
	if f.Cursor != "" {
		at, id, err := cursor.Decode(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		order = append(order, "(created_at, id) < (?, ?)")
		orderArgs = append(orderArgs, at, id)
	}
	var filters, indexed []string // indexed: what only the grams index answers
	var filterArgs, indexedArgs []any
	if f.Tag != "" {
		filters = append(filters, "tags @> ARRAY[?]::text[]")
		filterArgs = append(filterArgs, f.Tag)
	}
	if f.Type != "" {
		filters = append(filters, "type = ?")
		filterArgs = append(filterArgs, f.Type)
	}
	if g := queryGrams(f.Q); len(g) > 0 {
		indexed = append(indexed, "grams @> ARRAY(SELECT jsonb_array_elements_text(?::jsonb))")
		indexedArgs = append(indexedArgs, textArray(g))
		for _, word := range strings.Fields(strings.ToLower(f.Q)) {
			filters = append(filters, `search LIKE ? ESCAPE '\'`)
			filterArgs = append(filterArgs, "%"+escapeLike(word)+"%")
		}
	}
	limit := f.Limit
	if limit < 1 || limit > MaxPageSize {
		limit = 50
	}
	db := s.db.WithContext(ctx)
	const cols = `id, question, created_at, updated_at`
	const newest = ` ORDER BY created_at DESC, id DESC`
	var rows []questionRow
	if len(filters) == 0 {
		args := append(orderArgs, limit+1)
		err := db.Raw(`SELECT `+cols+` FROM bank_questions WHERE `+strings.Join(order, " AND ")+newest+` LIMIT ?`, args...).Scan(&rows).Error
		if err != nil {
			return nil, "", fmt.Errorf("bank: list: %w", err)
		}
	} else {
		scanCap := max(1000, 20*(limit+1))
		args := append(append(append([]any{}, orderArgs...), scanCap), filterArgs...)
		args = append(args, limit+1)
		err := db.Raw(`SELECT `+cols+` FROM (SELECT `+cols+`, type, tags, search FROM bank_questions WHERE `+
			strings.Join(order, " AND ")+newest+` LIMIT ?) w WHERE `+strings.Join(filters, " AND ")+newest+` LIMIT ?`, args...).Scan(&rows).Error
		if err != nil {
			return nil, "", fmt.Errorf("bank: list: %w", err)
		}
		if len(rows) <= limit {
			// MATERIALIZED: find every match first, then sort; never
			// walk the order index with the filter.
			where := append(append(order, indexed...), filters...)
			args := append(append(append([]any{}, orderArgs...), indexedArgs...), filterArgs...)
			args = append(args, limit+1)
			rows = rows[:0]
			err := db.Raw(`WITH m AS MATERIALIZED (SELECT `+cols+` FROM bank_questions WHERE `+strings.Join(where, " AND ")+
				`) SELECT `+cols+` FROM m`+newest+` LIMIT ?`, args...).Scan(&rows).Error
			if err != nil {
				return nil, "", fmt.Errorf("bank: list: %w", err)
			}
		}
	}
	rows, next := cursor.Trim(rows, limit, func(r *questionRow) string { return cursor.Encode(r.CreatedAt, r.ID) })
	out := make([]Question, 0, len(rows))
	for i := range rows {
		q, err := rows[i].question()
		if err != nil {
			return nil, "", err
		}
		out = append(out, *q)
	}
	return out, next, nil
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
