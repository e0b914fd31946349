package grading

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"examd/exam"
)

// Scoring is pure: a frozen question and a response in, points out. Nothing
// here touches storage, so it is table-tested and fuzzed without a database,
// and the regrade after a key amendment is the same call on the new key.
//
// Points are multiples of 0.5 and every computation here is a sum or a
// product with a small integer, never a division, so float64 results are
// exact and totals compare equal however they are added up.

// MaxPoints is the most a question can earn (see exam.Question.MaxPoints,
// which the candidate's view also uses, so both always agree).
func MaxPoints(q *exam.Question) float64 { return q.MaxPoints() }

// ScoreResponse is the automatic score of one response, following API.md's
// "Scoring (exact)". A nil response (unanswered) scores 0 for every type, and
// so does an essay: reviewers score those. A response of the wrong shape (a
// field of another type, fewer blanks than the question has) never panics;
// what is missing scores 0.
func ScoreResponse(q *exam.Question, r *exam.Response) float64 {
	if r == nil {
		return 0
	}
	switch q.Type {
	case exam.TypeTrueFalse:
		if r.Value == nil {
			return 0
		}
		if key, ok := answerBool(q); ok && key == *r.Value {
			return q.Points
		}
	case exam.TypeSingleChoice:
		if r.Choice == nil {
			return 0
		}
		if key, ok := answerKey(q); ok && key == *r.Choice {
			return q.Points
		}
	case exam.TypeMultipleChoice:
		return scoreMultipleChoice(q, r.Choices)
	case exam.TypeFillIn:
		return scoreFillIn(q, r.Blanks)
	}
	return 0
}

// scoreMultipleChoice applies the +1/−1 rule:
// max(floor, per_correct·|C| − per_wrong·|W|), 0 when nothing is chosen.
//
// A chosen key counts once however often it is repeated, and a key that
// names no option is ignored (ParseResponse rejects those; a stray one must
// neither earn nor cost anything). So only chosen options are C or W, and
// choosing only unknown keys is choosing nothing.
//
// The result is clamped to [0, MaxPoints]. API.md puts no upper bound on the
// floor, and a floor above the maximum (say floor 6 on the 5A question worth
// 5) would otherwise give a candidate who ticks one wrong box more than
// answering perfectly, and totals above 100 %. A recruiter reads the floor as
// "a wrong guess costs at most this much", and the question's maximum as a
// maximum, so the maximum wins: any non-empty choice then scores MaxPoints.
// The lower clamp only matters for documents that break the rules (negative
// scoring values), which the validator refuses.
func scoreMultipleChoice(q *exam.Question, choices []string) float64 {
	if len(choices) == 0 {
		return 0
	}
	// Deduplicate by option index. Valid questions have at most 26 options,
	// so a bit set on the stack does; a larger (invalid) one falls back to a
	// slice rather than miscounting.
	var small uint64
	var large []bool
	if len(q.Options) > 64 {
		large = make([]bool, len(q.Options))
	}
	var right, wrong int
	for _, k := range choices {
		i := optionIndex(q.Options, k)
		if i < 0 {
			continue
		}
		if large != nil {
			if large[i] {
				continue
			}
			large[i] = true
		} else {
			if small&(1<<uint(i)) != 0 {
				continue
			}
			small |= 1 << uint(i)
		}
		if slices.Contains(q.Answers, k) {
			right++
		} else {
			wrong++
		}
	}
	if right+wrong == 0 {
		return 0
	}
	sc := q.EffectiveScoring()
	s := max(sc.Floor, sc.PerCorrect*float64(right)-sc.PerWrong*float64(wrong))
	return min(max(s, 0), max(MaxPoints(q), 0))
}

// optionIndex is the index of the first option with key k, or -1.
func optionIndex(opts []exam.Option, k string) int {
	for i := range opts {
		if opts[i].Key == k {
			return i
		}
	}
	return -1
}

// scoreFillIn gives each blank its points when the normalised response
// equals one normalised accepted answer. Missing blanks score 0, extra ones
// are ignored, and an answer that normalises to nothing never matches: an
// empty blank must not earn points from an accepted answer that is all
// white space.
func scoreFillIn(q *exam.Question, blanks []string) float64 {
	var sum float64
	for i := range q.Blanks {
		if i >= len(blanks) {
			break
		}
		b := &q.Blanks[i]
		got := Normalize(blanks[i], b.CaseSensitive)
		if got == "" {
			continue
		}
		for _, a := range b.Accepted {
			if matches(a, got, b.CaseSensitive) {
				sum += b.Points
				break
			}
		}
	}
	return sum
}

// answerBool is q.AnswerBool without encoding/json for the forms a frozen
// document actually holds (json.Marshal writes exactly "true" or "false");
// anything else goes through AnswerBool so the two never disagree.
func answerBool(q *exam.Question) (bool, bool) {
	switch string(q.Answer) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return q.AnswerBool()
}

// answerKey is q.AnswerKey without encoding/json when the key is a plain
// JSON string: quoted, and free of escapes, control characters and non-ASCII
// bytes (which json.Unmarshal may rewrite, e.g. invalid UTF-8). Anything else
// goes through AnswerKey.
func answerKey(q *exam.Question) (string, bool) {
	a := q.Answer
	if len(a) >= 2 && a[0] == '"' && a[len(a)-1] == '"' {
		plain := true
		for _, c := range a[1 : len(a)-1] {
			if c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
				plain = false
				break
			}
		}
		if plain {
			return string(a[1 : len(a)-1]), true
		}
	}
	return q.AnswerKey()
}

// Normalize puts a fill-in answer into the form answers are compared in:
// Unicode NFKC (full-width letters, digits and punctuation become
// half-width, the ideographic space a plain space), white space (as
// unicode.IsSpace) trimmed and inner runs collapsed to one ASCII space, then
// case-folded unless caseSensitive. So "ＡＢＣ" and "abc", "２" and "2",
// "客人 " and "客人", "a   b" and "a b" normalise alike.
//
// It returns s itself, without allocating, when s is already normal, which
// is the common case for both keys and answers.
func Normalize(s string, caseSensitive bool) string {
	clean, ok := simpleScan(s, caseSensitive)
	if !ok {
		return normalizeUnicode(s, caseSensitive)
	}
	if clean {
		return s
	}
	var buf [64]byte
	return string(appendSimple(buf[:0], s, caseSensitive))
}

// matches reports whether Normalize(accepted, caseSensitive) == got without
// building the normalised key when it takes the fast path, so scoring a
// blank allocates at most for the candidate's answer.
func matches(accepted, got string, caseSensitive bool) bool {
	clean, ok := simpleScan(accepted, caseSensitive)
	if !ok {
		return normalizeUnicode(accepted, caseSensitive) == got
	}
	if clean {
		return accepted == got
	}
	var buf [64]byte
	return string(appendSimple(buf[:0], accepted, caseSensitive)) == got
}

// The fast path covers the text a Chinese or English exam is answered in:
// ASCII, the full-width forms U+FF01–U+FF5E (NFKC maps each to the ASCII
// character 0xFEE0 below it), the ideographic space U+3000 (NFKC: a space)
// and keepRune's CJK ideographs and punctuation, which NFKC and folding leave
// alone. Every one of them is a normalisation boundary on both sides, so NFKC
// of such a string is the rune-by-rune mapping and the whole normalisation is
// one pass (TestSimpleRunes checks all of this against x/text). Anything else
// takes normalizeUnicode.

// simpleScan reports whether s can take the fast path (ok) and, if so,
// whether it is already normal (clean).
func simpleScan(s string, caseSensitive bool) (clean, ok bool) {
	clean = true
	prevSpace := true // so that leading white space is unclean
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace(c) {
				if prevSpace || c != ' ' {
					clean = false
				}
				prevSpace = true
				continue
			}
			if !caseSensitive && 'A' <= c && c <= 'Z' {
				clean = false
			}
			prevSpace = false
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '\u3000':
			clean = false
			prevSpace = true
		case fullWidth(r):
			clean = false
			prevSpace = false
		case keepRune(r):
			prevSpace = false
		default:
			return false, false
		}
	}
	if prevSpace && len(s) > 0 {
		clean = false
	}
	return clean, true
}

// appendSimple appends Normalize(s, caseSensitive) to dst, for an s that
// simpleScan accepts.
func appendSimple(dst []byte, s string, caseSensitive bool) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		keep := ""
		if c < utf8.RuneSelf {
			i++
			if asciiSpace(c) {
				space = true
				continue
			}
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == '\u3000':
				i += n
				space = true
				continue
			case fullWidth(r):
				c = byte(r - 0xFEE0)
			default:
				keep = s[i : i+n]
			}
			i += n
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		if keep != "" {
			dst = append(dst, keep...)
			continue
		}
		if !caseSensitive && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// fullWidth reports whether r is one of the full-width forms of ASCII '!'
// to '~'.
func fullWidth(r rune) bool { return 0xFF01 <= r && r <= 0xFF5E }

// keepRune reports whether r is a CJK ideograph or one of the CJK
// punctuation marks common in Chinese answers (、。〈〉《》「」『』【】 and
// curly quotes), all unchanged by NFKC and by folding.
func keepRune(r rune) bool {
	switch {
	case 0x4E00 <= r && r <= 0x9FFF, 0x3001 <= r && r <= 0x3002, 0x3008 <= r && r <= 0x3011:
		return true
	}
	switch r {
	case 0x2018, 0x2019, 0x201C, 0x201D:
		return true
	}
	return false
}

// asciiSpace is unicode.IsSpace restricted to ASCII.
func asciiSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// normalizeUnicode is the general path. The fold is followed by a second
// NFKC because full case folding can leave a string that NFKC would change
// (U+0390 folds to ι with two combining marks, which NFKC composes back);
// without it a normalised answer typed again would not normalise to itself.
func normalizeUnicode(s string, caseSensitive bool) string {
	s = norm.NFKC.String(s)
	if clean, ok := simpleScan(s, caseSensitive); ok {
		if clean {
			return s
		}
		var buf [64]byte
		return string(appendSimple(buf[:0], s, caseSensitive))
	}
	s = collapseSpace(s)
	if caseSensitive || caseless(s) {
		return s
	}
	// A Caser may keep state, so each call makes its own (cases.Fold
	// allocates nothing; the transform does).
	return norm.NFKC.String(cases.Fold().String(s))
}

// collapseSpace trims white space and turns inner runs of it into one ASCII
// space. Bytes that are not white space are copied as they are, invalid
// UTF-8 included.
func collapseSpace(s string) string {
	clean := true
	prevSpace := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsSpace(r) {
			if prevSpace || r != ' ' {
				clean = false
				break
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	if clean && (!prevSpace || s == "") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// caseless reports whether case folding certainly leaves s unchanged: every
// rune is ASCII other than A–Z, or lies in the CJK, kana and Hangul blocks,
// which have no case (TestCaselessRanges checks every rune of them against
// cases.Fold). It spares text in those scripts the fold's allocation.
func caseless(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				return false
			}
		case caselessRune(r):
		default:
			return false
		}
	}
	return true
}

func caselessRune(r rune) bool {
	return (0x3000 <= r && r <= 0x9FFF) || (0xAC00 <= r && r <= 0xD7A3)
}

// QuestionResult is the automatic outcome of one question of an attempt.
type QuestionResult struct {
	QuestionID string
	SectionID  string
	Type       string
	// Points is the automatic score; 0 for an essay awaiting review.
	Points    float64
	MaxPoints float64
	// NeedsReview marks an essay with an answer, which goes to the blind
	// review queue.
	NeedsReview bool
}

// AttemptScore is the automatic scoring of a whole attempt, in document
// order.
type AttemptScore struct {
	Questions []QuestionResult
	// Auto is the sum of the automatic scores (objective questions and
	// empty essays, which score 0 without review).
	Auto float64
	// Max is the sum of MaxPoints over the track's questions, essays
	// included.
	Max float64
	// PendingEssays counts the questions with NeedsReview.
	PendingEssays int
}

// ScoreAttempt scores an attempt at submit: only the questions of track (see
// Question.InTrack), responses keyed by question id. An essay with some text
// other than white space needs review and earns nothing yet; an essay left
// empty or blank scores 0 at once, so no reviewer is asked to read nothing.
func ScoreAttempt(d *exam.Document, track string, responses map[string]exam.Response) AttemptScore {
	n := 0
	for si := range d.Sections {
		for qi := range d.Sections[si].Questions {
			if d.Sections[si].Questions[qi].InTrack(track) {
				n++
			}
		}
	}
	out := AttemptScore{Questions: make([]QuestionResult, 0, n)}
	for si := range d.Sections {
		s := &d.Sections[si]
		for qi := range s.Questions {
			q := &s.Questions[qi]
			if !q.InTrack(track) {
				continue
			}
			res := QuestionResult{
				QuestionID: q.ID,
				SectionID:  s.ID,
				Type:       q.Type,
				MaxPoints:  MaxPoints(q),
			}
			r, answered := responses[q.ID]
			if q.Type == exam.TypeEssay {
				if answered && r.Text != nil && strings.TrimSpace(*r.Text) != "" {
					res.NeedsReview = true
					out.PendingEssays++
				}
			} else if answered {
				res.Points = ScoreResponse(q, &r)
			}
			out.Auto += res.Points
			out.Max += res.MaxPoints
			out.Questions = append(out.Questions, res)
		}
	}
	return out
}
