package exam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

const (
	limitEssayChars = 50000
	// A blank is a word or a short phrase; anything longer is not an answer
	// and would only bloat the attempt.
	limitBlankResponseChars = 1000
)

// responseBody is a response's shape: the one field of each type.
var responseBody = oneMember{
	TypeTrueFalse:      {"value", `{"value": true}`},
	TypeSingleChoice:   {"choice", `{"choice": "a"}`},
	TypeMultipleChoice: {"choices", `{"choices": ["a", "c"]}`},
	TypeFillIn:         {"blanks", `{"blanks": ["…"]}`},
	TypeEssay:          {"text", `{"text": "…"}`},
}

// oneMember is the shape of a JSON object that carries one member, named
// by the question's type: a candidate's response, or a key amendment. For
// each type it names the member and gives an example object for messages.
type oneMember map[string]struct{ name, example string }

// member decodes raw, at path root, as an object with exactly typ's member
// and returns that member. Any other member (another type's, or one no type
// has) and a missing member are problems; ok is false when there is no
// member to go on with.
func (m oneMember) member(p *problems, root, typ string, raw json.RawMessage) (json.RawMessage, bool) {
	want, example := m[typ].name, m[typ].example
	obj, ok := decodeObject(p, root, raw, example)
	if !ok {
		return nil, false
	}
	// Sorted so that the problems come out in the same order every time.
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		switch {
		case k == want:
		case m.isMember(k):
			p.add(pathField(root, k), "unknown_field", P{"field": k}, "not used by %s questions; send %s", typ, example)
		default:
			p.add(pathField(root, k), "unknown_field", P{"field": k}, "unknown field; send %s", example)
		}
	}
	v, ok := obj[want]
	if !ok {
		p.add(pathField(root, want), "required", nil, "is required")
	}
	return v, ok
}

// isMember reports whether name is the member of some type.
func (m oneMember) isMember(name string) bool {
	for _, f := range m {
		if f.name == name {
			return true
		}
	}
	return false
}

// ParseResponse judges a candidate's response object (the "response" of a
// save) against q's type and returns it decoded, with exactly the field of
// that type set; a multiple_choice response with no choices has a non-nil,
// empty Choices.
//
// Any mismatch (not an object, a missing, unknown or other type's field, a
// wrong JSON type, an unknown or repeated option key, the wrong number of
// blanks, an over-long text) is a *ValidationError whose paths start at
// "response". The response is decoded by hand rather than into a struct
// because its shape depends on the question, so a wrong shape is the
// candidate's rule violation (422), not a malformed request (400). A nil raw
// means the save carried no response. Only a question of unknown type, which
// Validate never lets through, gives a plain error.
func ParseResponse(q *Question, raw json.RawMessage) (Response, error) {
	const root = "response"
	shape, ok := responseBody[q.Type]
	if !ok {
		return Response{}, fmt.Errorf("exam: question type %q takes no response", q.Type)
	}
	var p problems
	v, ok := responseBody.member(&p, root, q.Type, raw)
	if !ok {
		return Response{}, p.err("response does not fit the question")
	}

	path := pathField(root, shape.name)
	var r Response
	switch q.Type {
	case TypeTrueFalse:
		if b, ok := decodeBool(v); ok {
			r.Value = &b
		} else {
			p.add(path, "wrong_type", P{"expected": "boolean"}, "must be true or false")
		}
	case TypeSingleChoice:
		k, ok := decodeString(v)
		switch {
		case !ok:
			p.add(path, "wrong_type", P{"expected": "string"}, "must be an option key (a JSON string)")
		case !optionKeys(q.Options)[k]:
			p.add(path, "unknown_option", P{"key": k}, "unknown option key %q", abbreviate(k))
		default:
			r.Choice = &k
		}
	case TypeMultipleChoice:
		r.Choices = parseChoices(&p, path, v, q.Options)
	case TypeFillIn:
		r.Blanks = parseBlankResponses(&p, path, v, len(q.Blanks))
	case TypeEssay:
		s, ok := decodeString(v)
		switch {
		case !ok:
			p.add(path, "wrong_type", P{"expected": "string"}, "must be a string")
		case utf8.RuneCountInString(s) > limitEssayChars:
			p.add(path, "too_long", P{"max": limitEssayChars}, "is %d characters long; at most %d are allowed", utf8.RuneCountInString(s), limitEssayChars)
		default:
			r.Text = &s
		}
	}
	if err := p.err("response does not fit the question"); err != nil {
		return Response{}, err
	}
	return r, nil
}

func parseChoices(p *problems, path string, v json.RawMessage, opts []Option) []string {
	items, ok := decodeArray(v)
	if !ok {
		p.add(path, "wrong_type", P{"expected": "array"}, "must be an array of option keys")
		return nil
	}
	// More choices than options means repeats or unknown keys; one message
	// beats one per element of a possibly huge array.
	if len(items) > len(opts) {
		p.add(path, "too_many", P{"max": len(opts)}, "has %d choices but the question has only %d options", len(items), len(opts))
		return nil
	}
	keys := optionKeys(opts)
	seen := map[string]bool{}
	choices := make([]string, 0, len(items))
	for i, it := range items {
		k, ok := decodeString(it)
		switch {
		case !ok:
			p.add(pathIndex(path, i), "wrong_type", P{"expected": "string"}, "must be an option key (a JSON string)")
		case !keys[k]:
			p.add(pathIndex(path, i), "unknown_option", P{"key": k}, "unknown option key %q", abbreviate(k))
		case seen[k]:
			p.add(pathIndex(path, i), "duplicate", P{"value": k}, "duplicate choice %q", k)
		}
		seen[k] = true
		choices = append(choices, k)
	}
	return choices
}

func parseBlankResponses(p *problems, path string, v json.RawMessage, n int) []string {
	items, ok := decodeArray(v)
	if !ok {
		p.add(path, "wrong_type", P{"expected": "array"}, "must be an array of strings, one per blank")
		return nil
	}
	if len(items) != n {
		p.add(path, "count_mismatch", P{"want": n, "got": len(items)}, "must have %d entries, one per blank, not %d", n, len(items))
		return nil
	}
	out := make([]string, 0, n)
	for i, it := range items {
		s, ok := decodeString(it)
		switch {
		case !ok:
			p.add(pathIndex(path, i), "wrong_type", P{"expected": "string"}, "must be a string (empty for a blank left unanswered)")
		case utf8.RuneCountInString(s) > limitBlankResponseChars:
			p.add(pathIndex(path, i), "too_long", P{"max": limitBlankResponseChars}, "is longer than %d characters", limitBlankResponseChars)
		}
		out = append(out, s)
	}
	return out
}

// MarshalJSON writes every field that is set, including an empty choices or
// blanks list. The struct tags' omitempty alone would turn a valid empty
// multiple_choice answer, {"choices": []}, into {}, which ParseResponse
// refuses when the stored answer is read back.
func (r Response) MarshalJSON() ([]byte, error) {
	w := struct {
		Value   *bool     `json:"value,omitempty"`
		Choice  *string   `json:"choice,omitempty"`
		Choices *[]string `json:"choices,omitempty"`
		Blanks  *[]string `json:"blanks,omitempty"`
		Text    *string   `json:"text,omitempty"`
	}{Value: r.Value, Choice: r.Choice, Text: r.Text}
	if r.Choices != nil {
		w.Choices = &r.Choices
	}
	if r.Blanks != nil {
		w.Blanks = &r.Blanks
	}
	return json.Marshal(w)
}

// The decoders below accept exactly one JSON type each. They look at the
// first byte before decoding because encoding/json turns null into a zero
// value without complaint, and null is never a valid answer here.

// decodeObject decodes a JSON object into its members, reporting at path
// when raw is absent, null or anything but an object.
func decodeObject(p *problems, path string, raw json.RawMessage, example string) (map[string]json.RawMessage, bool) {
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) == 0:
		p.add(path, "required", nil, "is required, like %s", example)
		return nil, false
	case bytes.Equal(t, []byte("null")):
		p.add(path, "wrong_type", P{"expected": "object"}, "must be an object like %s, not null", example)
		return nil, false
	case t[0] != '{':
		p.add(path, "wrong_type", P{"expected": "object"}, "must be an object like %s", example)
		return nil, false
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(t, &obj); err != nil {
		p.add(path, "invalid_json", nil, "is not valid JSON")
		return nil, false
	}
	return obj, true
}

func decodeBool(raw json.RawMessage) (bool, bool) {
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func decodeString(raw json.RawMessage) (string, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(t, &s); err != nil {
		return "", false
	}
	return s, true
}

func decodeArray(raw json.RawMessage) ([]json.RawMessage, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '[' {
		return nil, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(t, &items); err != nil {
		return nil, false
	}
	return items, true
}

func decodeNumber(raw json.RawMessage) (float64, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || !(t[0] == '-' || (t[0] >= '0' && t[0] <= '9')) {
		return 0, false
	}
	var f float64
	if err := json.Unmarshal(t, &f); err != nil {
		return 0, false
	}
	return f, true
}

// decodeStrings decodes an array of strings, naming each element that is
// not one; what the strings mean is for the caller's rule check.
func decodeStrings(p *problems, path string, raw json.RawMessage, what string) ([]string, bool) {
	items, ok := decodeArray(raw)
	if !ok {
		p.add(path, "wrong_type", P{"expected": "array"}, "must be an array of %ss", what)
		return nil, false
	}
	out := make([]string, 0, len(items))
	ok = true
	for i, it := range items {
		s, isString := decodeString(it)
		if !isString {
			p.add(pathIndex(path, i), "wrong_type", P{"expected": "string"}, "must be a string (%s)", what)
			ok = false
		}
		out = append(out, s)
	}
	return out, ok
}
