package api

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The resume's responses object is built by PostgreSQL and compacted by
// hand (exam.Attempt.MarshalJSON); it must read exactly as encoding/json
// would write the stored answers, awkward text included.
func TestResumeResponsesAsEncodingJSON(t *testing.T) {
	a := newApp(t)
	_, _, c, att := a.startedAttempt("resume-json@org.test", smallExam(600, 30), "manager")
	texts := map[string]any{
		"essay":           map[string]any{"text": "写字楼 <script>&amp; \u0001 \" \\ \n\t end, sep \u2028 and \u2029, 😀, ＡＢＣ"},
		"fill_in":         map[string]any{"blanks": []string{"客人 ", "  a\tb "}},
		"multiple_choice": map[string]any{"choices": []string{"b", "a"}},
		"true_false":      map[string]any{"value": false},
	}
	for typ, resp := range texts {
		q := att.question(typ)
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+q["id"].(string), map[string]any{"response": resp, "seq": 7}, c.token)
	}
	body := a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.token).Body
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	rows, err := a.db.Raw(`SELECT question_id, response::text, seq FROM answers WHERE attempt_id = ?`, att.ID).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type saved struct {
		Response json.RawMessage `json:"response"`
		Seq      int64           `json:"seq"`
	}
	stored := map[string]saved{}
	for rows.Next() {
		var q, r string
		var s saved
		if err := rows.Scan(&q, &r, &s.Seq); err != nil {
			t.Fatal(err)
		}
		s.Response = json.RawMessage(r)
		stored[q] = s
	}
	want, err := json.Marshal(stored)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(texts) || !bytes.Equal(top["responses"], want) {
		t.Fatalf("responses\n got %s\nwant %s", top["responses"], want)
	}
}
