// Package savecheck reads back stored answers so that the benchmark and the
// fault drill can check, in SQL, that every save acknowledged with a 200 is
// in the database: the stored seq is the acknowledged one (same response)
// or a later save's.
package savecheck

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/jackc/pgx/v5"
)

// Key is one answer: an attempt's question.
type Key struct{ Attempt, Question string }

// Answer is a stored (or acknowledged) save.
type Answer struct {
	Seq  int64
	Resp json.RawMessage
}

// Querier is a pgx connection or pool.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Stored returns every stored answer of the given attempts.
func Stored(ctx context.Context, db Querier, attempts []string) (map[Key]Answer, error) {
	rows, err := db.Query(ctx, `SELECT attempt_id::text, question_id, seq, response::text FROM answers WHERE attempt_id = ANY($1::uuid[])`, attempts)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Key]Answer{}
	for rows.Next() {
		var k Key
		var a Answer
		var resp string
		if err := rows.Scan(&k.Attempt, &k.Question, &a.Seq, &resp); err != nil {
			return nil, err
		}
		a.Resp = json.RawMessage(resp)
		out[k] = a
	}
	return out, rows.Err()
}

// SameJSON compares two JSON documents by value (jsonb reorders keys).
func SameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
