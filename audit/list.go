package audit

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"examd/internal/cursor"
)

// MaxPageSize is the largest page List answers.
const MaxPageSize = 500

// ErrBadCursor is a cursor List did not hand out (internal/cursor's one error).
var ErrBadCursor = cursor.ErrBad

// ListActor is who made a listed change, as recorded at the time.
type ListActor struct {
	ID   *string `json:"id"`
	Name string  `json:"name"`
	Role string  `json:"role"`
}

// Item is one record as GET /audit shows it.
type Item struct {
	ID      int64           `json:"id"`
	At      time.Time       `json:"at"`
	Actor   ListActor       `json:"actor"`
	Action  string          `json:"action"`
	Target  string          `json:"target"`
	Details json.RawMessage `json:"details"`
}

// Filter narrows List: an exact action name and/or the actor's user id.
type Filter struct {
	Action  string
	ActorID string
}

// listRow is one audit_log row as List reads it.
type listRow struct {
	ID        int64
	At        time.Time
	ActorID   *string
	ActorName string
	ActorRole string
	Action    string
	Target    string
	Details   []byte
}

// List returns one page of an organization's records, newest first, and
// the cursor of the next page ("" on the last). limit is 1 … MaxPageSize.
func List(db *gorm.DB, orgID string, f Filter, limit int, after string) ([]Item, string, error) {
	q := `SELECT id, at, actor_id, actor_name, actor_role, action, target, details FROM audit_log WHERE org_id = ?`
	args := []any{orgID}
	if f.Action != "" {
		q += ` AND action = ?`
		args = append(args, f.Action)
	}
	if f.ActorID != "" {
		q += ` AND actor_id = ?`
		args = append(args, f.ActorID)
	}
	if after != "" {
		at, id, err := cursor.DecodeSerial(after)
		if err != nil {
			return nil, "", err
		}
		q += ` AND (at, id) < (?, ?)`
		args = append(args, at, id)
	}
	q += ` ORDER BY at DESC, id DESC LIMIT ?`
	args = append(args, limit+1)
	var rows []listRow
	if err := db.Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("audit: list: %w", err)
	}
	rows, next := cursor.Trim(rows, limit, func(r *listRow) string { return cursor.EncodeSerial(r.At, r.ID) })
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = Item{ID: r.ID, At: r.At.UTC(), Actor: ListActor{ID: r.ActorID, Name: r.ActorName, Role: r.ActorRole},
			Action: r.Action, Target: r.Target, Details: json.RawMessage(r.Details)}
	}
	return out, next, nil
}
