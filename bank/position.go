package bank

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"examd/exam"
	"examd/internal/database"
)

// Position is a job (岗位) with its responsibilities and requirements.
type Position struct {
	ID               string    `json:"id"`
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	Responsibilities []string  `json:"responsibilities"`
	Requirements     []string  `json:"requirements"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// PositionInput is the body of POST and PUT /positions.
type PositionInput struct {
	Title            string   `json:"title"`
	Description      string   `json:"description"`
	Responsibilities []string `json:"responsibilities"`
	Requirements     []string `json:"requirements"`
}

// Validate names every problem of a position body.
func (in *PositionInput) Validate() []exam.FieldError {
	var p []exam.FieldError
	text := func(field, s string, max int, required bool) {
		switch {
		case required && strings.TrimSpace(s) == "":
			p = append(p, exam.Problem(field, "required", nil, "is required"))
		case utf8.RuneCountInString(s) > max:
			p = append(p, exam.Problem(field, "too_long", exam.P{"max": max}, fmt.Sprintf("is longer than %d characters", max)))
		}
	}
	text("title", in.Title, 200, true)
	text("description", in.Description, 20000, false)
	list := func(field string, items []string) {
		if len(items) > 100 {
			p = append(p, exam.Problem(field, "too_many", exam.P{"max": 100}, "at most 100 items are allowed"))
			return
		}
		for i, s := range items {
			text(fmt.Sprintf("%s[%d]", field, i), s, 2000, true)
		}
	}
	list("responsibilities", in.Responsibilities)
	list("requirements", in.Requirements)
	return p
}

type positionRow struct {
	ID               string
	Title            string
	Description      string
	Responsibilities []byte
	Requirements     []byte
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (r *positionRow) position() (*Position, error) {
	p := &Position{ID: r.ID, Title: r.Title, Description: r.Description, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal(r.Responsibilities, &p.Responsibilities); err != nil {
		return nil, fmt.Errorf("bank: position %s: %w", r.ID, err)
	}
	if err := json.Unmarshal(r.Requirements, &p.Requirements); err != nil {
		return nil, fmt.Errorf("bank: position %s: %w", r.ID, err)
	}
	return p, nil
}

const positionCols = `id, title, description, responsibilities, requirements, created_at, updated_at`

func lists(in *PositionInput) (string, string) {
	return textArrayJSON(in.Responsibilities), textArrayJSON(in.Requirements)
}

func textArrayJSON(s []string) string { return textArray(s) }

// CreatePosition stores a validated position.
func (s *Store) CreatePosition(ctx context.Context, orgID string, in *PositionInput) (*Position, error) {
	resp, req := lists(in)
	var row positionRow
	err := s.db.WithContext(ctx).Raw(`INSERT INTO positions (org_id, title, description, responsibilities, requirements)
		VALUES (?, ?, ?, ?::jsonb, ?::jsonb) RETURNING `+positionCols, orgID, in.Title, in.Description, resp, req).Scan(&row).Error
	if err != nil {
		return nil, fmt.Errorf("bank: create position: %w", err)
	}
	return row.position()
}

// Position returns one position.
func (s *Store) Position(ctx context.Context, orgID, id string) (*Position, error) {
	if !exam.ValidID(id) {
		return nil, exam.ErrNotFound
	}
	row, err := database.One[positionRow](s.db.WithContext(ctx), exam.ErrNotFound, "bank: position",
		`SELECT `+positionCols+` FROM positions WHERE org_id = ? AND id = ?`, orgID, id)
	if err != nil {
		return nil, err
	}
	return row.position()
}

// Positions lists the organization's positions, newest first.
func (s *Store) Positions(ctx context.Context, orgID string) ([]Position, error) {
	var rows []positionRow
	if err := s.db.WithContext(ctx).Raw(`SELECT `+positionCols+` FROM positions WHERE org_id = ? ORDER BY created_at DESC, id`, orgID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("bank: positions: %w", err)
	}
	out := make([]Position, 0, len(rows))
	for i := range rows {
		p, err := rows[i].position()
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
}

// UpdatePosition replaces a position.
func (s *Store) UpdatePosition(ctx context.Context, orgID, id string, in *PositionInput) (*Position, error) {
	if !exam.ValidID(id) {
		return nil, exam.ErrNotFound
	}
	resp, req := lists(in)
	row, err := database.One[positionRow](s.db.WithContext(ctx), exam.ErrNotFound, "bank: update position",
		`UPDATE positions SET title = ?, description = ?, responsibilities = ?::jsonb, requirements = ?::jsonb,
		updated_at = now() WHERE org_id = ? AND id = ? RETURNING `+positionCols, in.Title, in.Description, resp, req, orgID, id)
	if err != nil {
		return nil, err
	}
	return row.position()
}

// DeletePosition removes a position; exams naming it keep their documents.
func (s *Store) DeletePosition(ctx context.Context, orgID, id string) error {
	return s.deleteOwned(ctx, "positions", "bank: delete position", orgID, id)
}
