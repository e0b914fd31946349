package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"examd/audit"
	"examd/internal/cursor"
)

// Errors of the webhook settings.
var (
	ErrNotFound  = errors.New("notify: no such webhook or delivery")
	ErrBadCursor = cursor.ErrBad // internal/cursor's one error
)

// Audit actions for webhook settings.
const (
	AuditWebhookCreated = "webhook.created"
	AuditWebhookDeleted = "webhook.deleted"
)

// Webhook is a receiver as admins see it; Secret is set only on create.
type Webhook struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Description string    `json:"description"`
	Secret      string    `json:"secret,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Delivery is one event's delivery to one webhook.
type Delivery struct {
	ID            string     `json:"id"`
	EventID       string     `json:"event_id"`
	Type          string     `json:"type"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastStatus    *int       `json:"last_status"`
	LastError     string     `json:"last_error"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	DeliveredAt   *time.Time `json:"delivered_at"`
	CreatedAt     time.Time  `json:"-"`
}

// Store keeps organizations' webhooks.
type Store struct{ db *gorm.DB }

// NewStore returns the webhook store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func textArray(items []string) string {
	return "{" + strings.Join(items, ",") + "}" // event types are plain words
}

// Create saves a webhook (url and events already checked) and records it
// in the audit log in the same transaction.
func (s *Store) Create(ctx context.Context, actor audit.Actor, url string, events []string, description string) (*Webhook, error) {
	w := &Webhook{URL: url, Events: events, Description: description, Secret: NewSecret()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row struct {
			ID        string
			CreatedAt time.Time
		}
		if err := tx.Raw(`INSERT INTO webhooks (org_id, url, events, description, secret, created_by) VALUES (?, ?, ?::text[], ?, ?, ?)
			RETURNING id, created_at`, actor.OrgID, url, textArray(events), description, w.Secret, actor.UserID).Scan(&row).Error; err != nil {
			return err
		}
		w.ID, w.CreatedAt = row.ID, row.CreatedAt
		return audit.Record(tx, actor, AuditWebhookCreated, "webhook:"+w.ID, map[string]any{"url": url, "events": events})
	})
	if err != nil {
		return nil, fmt.Errorf("notify: create webhook: %w", err)
	}
	return w, nil
}

// List returns an organization's webhooks, oldest first, without secrets.
func (s *Store) List(ctx context.Context, orgID string) ([]Webhook, error) {
	var rows []struct {
		ID          string
		URL         string
		Events      string
		Description string
		CreatedAt   time.Time
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT id, url, array_to_json(events)::text AS events, description, created_at
		FROM webhooks WHERE org_id = ? ORDER BY created_at, id`, orgID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("notify: list webhooks: %w", err)
	}
	out := make([]Webhook, 0, len(rows))
	for _, r := range rows {
		w := Webhook{ID: r.ID, URL: r.URL, Description: r.Description, CreatedAt: r.CreatedAt}
		w.Events = splitJSONArray(r.Events)
		out = append(out, w)
	}
	return out, nil
}

// splitJSONArray reads a JSON array of plain words (event types).
func splitJSONArray(s string) []string {
	s = strings.Trim(s, "[]")
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.Trim(strings.TrimSpace(p), `"`); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Delete removes a webhook and its deliveries, audited.
func (s *Store) Delete(ctx context.Context, actor audit.Actor, id string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM webhooks WHERE org_id = ? AND id = ?`, actor.OrgID, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return audit.Record(tx, actor, AuditWebhookDeleted, "webhook:"+id, nil)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("notify: delete webhook: %w", err)
	}
	return err
}

func (s *Store) exists(ctx context.Context, orgID, id string) error {
	var n int64
	if err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM webhooks WHERE org_id = ? AND id = ?`, orgID, id).Scan(&n).Error; err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Deliveries pages a webhook's deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, orgID, webhookID string, limit int, after string) ([]Delivery, string, error) {
	if err := s.exists(ctx, orgID, webhookID); err != nil {
		return nil, "", err
	}
	q := `SELECT d.id, d.event_id, e.type, d.status, d.attempts, d.last_status, d.last_error,
			CASE WHEN d.status = 'pending' THEN greatest(d.next_attempt_at, coalesce(d.lease_until, d.next_attempt_at)) END AS next_attempt_at,
			d.delivered_at, d.created_at
		FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
		WHERE d.org_id = ? AND d.webhook_id = ?`
	args := []any{orgID, webhookID}
	if after != "" {
		at, id, err := cursor.Decode(after)
		if err != nil {
			return nil, "", err
		}
		q += ` AND (d.created_at, d.id) < (?, ?)`
		args = append(args, at, id)
	}
	q += ` ORDER BY d.created_at DESC, d.id DESC LIMIT ?`
	args = append(args, limit+1)
	out := []Delivery{}
	if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, "", fmt.Errorf("notify: deliveries: %w", err)
	}
	out, next := cursor.Trim(out, limit, func(d *Delivery) string { return cursor.Encode(d.CreatedAt, d.ID) })
	return out, next, nil
}

// Retry makes a delivery due now (again), whatever its status; one in
// flight keeps its lease, so it is never sent twice at once.
func (s *Store) Retry(ctx context.Context, orgID, webhookID, deliveryID string) error {
	res := s.db.WithContext(ctx).Exec(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now()
		WHERE org_id = ? AND webhook_id = ? AND id = ?`, orgID, webhookID, deliveryID)
	if res.Error != nil {
		return fmt.Errorf("notify: retry: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
