package exam

import (
	"encoding/json"
	"strconv"
	"time"
)

// The attempt's own encoder: an Attempt is written on every resume, around
// sections and responses that are JSON already.

// MarshalJSON writes the attempt by hand, in the field order and format of
// encoding/json: its sections are JSON already (see viewJSON), and
// encoding/json would re-validate them byte by byte on every resume.
func (a *Attempt) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(a.Sections)+len(a.Responses)+512)
	b = append(b, `{"id":`...)
	b = appendJSONString(b, a.ID)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, a.Status)
	b = append(b, `,"started_at":`...)
	b = appendJSONTime(b, a.StartedAt)
	b = a.Clock.appendJSON(b)
	b = append(b, `,"submitted_at":`...)
	if a.SubmittedAt == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONTime(b, *a.SubmittedAt)
	}
	b = append(b, `,"grace_seconds":`...)
	b = strconv.AppendInt(b, int64(a.GraceSecs), 10)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, a.Title)
	b = append(b, `,"sections":`...)
	b = appendRaw(b, a.Sections)
	b = append(b, `,"responses":`...)
	b = appendRaw(b, a.Responses)
	return append(b, '}'), nil
}

// AppendJSON appends the acknowledgement as encoding/json would write it
// (every autosave answers with one; encoding/json's reflection and its
// check of time.Time's output were about 4 % of a save's CPU).
func (r *SaveResult) AppendJSON(b []byte) []byte {
	b = append(b, `{"question_id":`...)
	b = appendJSONString(b, r.QuestionID)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, r.Seq, 10)
	b = append(b, `,"saved_at":`...)
	b = appendJSONTime(b, r.SavedAt)
	b = r.Clock.appendJSON(b)
	return append(b, '}')
}

// appendJSON appends the clock's members, after others.
func (c *Clock) appendJSON(b []byte) []byte {
	b = append(b, `,"deadline":`...)
	b = appendJSONTime(b, c.Deadline)
	b = append(b, `,"server_time":`...)
	return appendJSONTime(b, c.ServerTime)
}

// appendRaw appends JSON that is encoded already, or null for none.
func appendRaw(b, raw []byte) []byte {
	if raw == nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONString quotes s as encoding/json does (HTML-safe).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendCompactJSON appends src, JSON as PostgreSQL writes it (valid, with
// spaces around separators), as encoding/json would write it: white space
// outside strings dropped, and <, >, &, U+2028 and U+2029 escaped inside
// strings. It is not a validator: src must be valid JSON.
func appendCompactJSON(dst, src []byte) []byte {
	const hex = "0123456789abcdef"
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if !inString {
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			case '"':
				inString = true
			}
			dst = append(dst, c)
			continue
		}
		switch {
		case c == '\\':
			dst = append(dst, c)
			if i+1 < len(src) {
				i++
				dst = append(dst, src[i])
			}
		case c == '"':
			inString = false
			dst = append(dst, c)
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
			i += 2
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
