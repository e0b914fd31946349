package exam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// keyBody is a key amendment's shape: the one member of each type that
// has a key. Essays have none: a reviewer scores them.
var keyBody = oneMember{
	TypeTrueFalse:      {"answer", `{"answer": true}`},
	TypeSingleChoice:   {"answer", `{"answer": "a"}`},
	TypeMultipleChoice: {"answers", `{"answers": ["a", "c"]}`},
	TypeFillIn:         {"blanks", `{"blanks": [{"accepted": ["…"], "points": 1, "case_sensitive": false}]}`},
}

const amendMessage = "answer key is not valid"

// AmendQuestionKey applies the body of PUT /exams/{id}/versions/{n}/questions/{qid}/key
// to a frozen question: {"answer": …} for true_false (a boolean) and
// single_choice (an option key), {"answers": [...]} for multiple_choice, and
// {"blanks": [{accepted, points, case_sensitive}, ...]} for fill_in with as
// many blanks as the question has.
//
// The new key must pass the same rules as authoring; otherwise the result is
// a *ValidationError with paths relative to the body ("answers[1]",
// "blanks[0].accepted"). An essay has no key, which is a *ValidationError
// too. The returned question is a copy that shares no memory with q, so the
// caller may keep q as the amendment's old state. Only a question of unknown
// type, which Validate never lets through, gives a plain error.
func AmendQuestionKey(q Question, body json.RawMessage) (Question, error) {
	if q.Type == TypeEssay {
		return Question{}, &ValidationError{Message: amendMessage, Problems: []FieldError{{
			Field:   "",
			Code:    "no_answer_key",
			Message: "an essay question has no answer key to amend; reviewers score it",
		}}}
	}
	shape, ok := keyBody[q.Type]
	if !ok {
		return Question{}, fmt.Errorf("exam: question type %q has no answer key", q.Type)
	}
	var p problems
	raw, ok := keyBody.member(&p, "", q.Type, body)
	if !ok {
		return Question{}, p.err(amendMessage)
	}

	want := shape.name
	out := q.deepCopy()
	switch q.Type {
	case TypeTrueFalse:
		checkBoolAnswer(&p, want, raw)
		out.Answer = compactKey(raw)
	case TypeSingleChoice:
		checkChoiceAnswer(&p, want, raw, optionKeys(q.Options))
		out.Answer = compactKey(raw)
	case TypeMultipleChoice:
		answers, ok := decodeStrings(&p, want, raw, "option key")
		if ok {
			checkAnswerKeys(&p, want, answers, optionKeys(q.Options))
			// Fewer answers lower the maximum, which may fall below a floor
			// that was fine when the version was published.
			checkFloor(&p, want, q.EffectiveScoring(), len(answers))
		}
		out.Answers = answers
	case TypeFillIn:
		blanks, ok := decodeKeyBlanks(&p, want, raw)
		if ok {
			if len(blanks) != len(q.Blanks) {
				// The prompt's {{n}} placeholders are frozen, so the count is too.
				p.add(want, "count_mismatch", P{"want": len(q.Blanks), "got": len(blanks)}, "must have %d blanks, as the question's prompt has, not %d", len(q.Blanks), len(blanks))
			}
			checkBlanks(&p, want, blanks)
		}
		out.Blanks = blanks
	}
	if err := p.err(amendMessage); err != nil {
		return Question{}, err
	}
	return out, nil
}

// decodeKeyBlanks decodes the blanks of a fill_in key by hand, so that a
// wrong JSON type is reported at its exact path like every other rule.
func decodeKeyBlanks(p *problems, path string, raw json.RawMessage) ([]Blank, bool) {
	items, ok := decodeArray(raw)
	if !ok {
		p.add(path, "wrong_type", P{"expected": "array"}, "must be an array of blanks, like %s", keyBody[TypeFillIn].example)
		return nil, false
	}
	blanks := make([]Blank, len(items))
	ok = true
	for i, it := range items {
		bp := pathIndex(path, i)
		obj, isObject := decodeObject(p, bp, it, `{"accepted": ["…"], "points": 1}`)
		if !isObject {
			ok = false
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			v := obj[k]
			switch k {
			case "accepted":
				acc, good := decodeStrings(p, pathField(bp, k), v, "accepted answer")
				blanks[i].Accepted = acc
				ok = ok && good
			case "points":
				f, good := decodeTyped(p, pathField(bp, k), v, decodeNumber, "number", "must be a number")
				blanks[i].Points = f
				ok = ok && good
			case "case_sensitive":
				b, good := decodeTyped(p, pathField(bp, k), v, decodeBool, "boolean", "must be true or false")
				blanks[i].CaseSensitive = b
				ok = ok && good
			default:
				p.add(pathField(bp, k), "unknown_field", P{"field": k}, "unknown field; a blank has accepted, points and case_sensitive")
				ok = false
			}
		}
	}
	return blanks, ok
}

// decodeTyped decodes raw with decode, reporting a wrong JSON type at path
// as expected, with message.
func decodeTyped[T any](p *problems, path string, raw json.RawMessage, decode func(json.RawMessage) (T, bool), expected, message string) (T, bool) {
	v, ok := decode(raw)
	if !ok {
		p.add(path, "wrong_type", P{"expected": expected}, "%s", message)
	}
	return v, ok
}

// KeyOf returns q's current answer key in the body shape AmendQuestionKey takes, for
// the old_key and new_key of an amendment's audit row. It is nil for an
// essay, or for a question whose key cannot be encoded (which Validate never
// lets through).
func KeyOf(q *Question) json.RawMessage {
	var v any
	switch q.Type {
	case TypeTrueFalse, TypeSingleChoice:
		if !rawGiven(q.Answer) {
			return nil
		}
		v = struct {
			Answer json.RawMessage `json:"answer"`
		}{q.Answer}
	case TypeMultipleChoice:
		answers := q.Answers
		if answers == nil {
			answers = []string{}
		}
		v = struct {
			Answers []string `json:"answers"`
		}{answers}
	case TypeFillIn:
		// case_sensitive is always written so that an audit row shows the
		// change when only that flag was amended.
		type blank struct {
			Accepted      []string `json:"accepted"`
			Points        float64  `json:"points"`
			CaseSensitive bool     `json:"case_sensitive"`
		}
		blanks := make([]blank, len(q.Blanks))
		for i, b := range q.Blanks {
			blanks[i] = blank{b.Accepted, b.Points, b.CaseSensitive}
		}
		v = struct {
			Blanks []blank `json:"blanks"`
		}{blanks}
	default:
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// deepCopy copies q deeply, so that amending a question never edits the frozen
// version it was read from.
func (q Question) deepCopy() Question {
	c := q
	c.Tracks = slices.Clone(q.Tracks)
	c.Options = slices.Clone(q.Options)
	c.Answer = bytes.Clone(q.Answer)
	c.Answers = slices.Clone(q.Answers)
	if q.Scoring != nil {
		s := *q.Scoring
		c.Scoring = &s
	}
	if q.Blanks != nil {
		c.Blanks = make([]Blank, len(q.Blanks))
		for i, b := range q.Blanks {
			b.Accepted = slices.Clone(b.Accepted)
			c.Blanks[i] = b
		}
	}
	c.Rubric = slices.Clone(q.Rubric)
	return c
}

// compactKey stores a raw key without the body's white space, in memory of its
// own rather than the request's buffer.
func compactKey(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return bytes.Clone(raw)
	}
	return buf.Bytes()
}
