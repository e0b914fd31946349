package savecheck

import (
	"encoding/json"
	"testing"
)

func TestSameJSON(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{`{"choice":"a"}`, `{"choice": "a"}`, true},
		{`{"blanks":["客人","24"],"x":1}`, `{"x":1, "blanks":["客人","24"]}`, true}, // jsonb's key order
		{`{"choice":"a"}`, `{"choice":"b"}`, false},
		{`{"blanks":["24","客人"]}`, `{"blanks":["客人","24"]}`, false},
		{`{"text":""}`, `not json`, false},
	} {
		if got := SameJSON(json.RawMessage(c.a), json.RawMessage(c.b)); got != c.want {
			t.Errorf("SameJSON(%s, %s) = %t, want %t", c.a, c.b, got, c.want)
		}
	}
}
