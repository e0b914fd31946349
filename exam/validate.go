package exam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Caps on a document. They keep an exam within what a candidate can take in
// one sitting and a page can render, and they keep every score sum exact:
// multiples of 0.5 this small add up in float64 without rounding.
const (
	limitSections          = 100
	limitQuestions         = 500
	limitTracks            = 20
	limitMinOptions        = 2
	limitOptions           = 26
	limitBlanks            = 100
	limitAccepted          = 50
	limitRubricItems       = 50
	limitTitleChars        = 200
	limitDescriptionChars  = 20000
	limitInstructionsChars = 5000
	limitPromptChars       = 20000
	limitOptionTextChars   = 2000
	limitKeyChars          = 32
	limitTrackChars        = 64
	limitTags              = 20
	limitTagChars          = 64
	limitTrackLabelChars   = 50
	limitIDChars           = 64
	limitAcceptedChars     = 1000
	limitCriterionChars    = 2000
	limitReferenceChars    = 20000
	limitExplanationChars  = 20000
	limitTimeLimitSeconds  = 7 * 24 * 3600
	limitGraceSeconds      = 3600
	limitPoints            = 1000
	limitPassScore         = 1000000
	// A pathological body could otherwise make a response of millions of
	// problems; nobody reads past the first screenful anyway.
	limitProblems = 1000
)

// Validate checks a decoded exam document against the rules of API.md and
// returns nil, or a *ValidationError whose Problems name every violation at
// once by its JSON path (for example "sections[1].questions[0].answers[1]").
// It does not modify d. Run it before Normalize: Normalize fills defaults
// that would hide what the author actually wrote.
func Validate(d *Document) error {
	var p problems
	if d == nil {
		p.add("", "required", nil, "the exam document is missing")
	} else {
		validateDocument(&p, d)
	}
	return p.err("exam is not valid")
}

// Normalize fills the defaults a valid document may leave out, in place:
// grace_seconds becomes 30 and a multiple_choice question without scoring gets
// the +1/−1 rule, so a frozen version states every number it is scored by.
func (d *Document) Normalize() {
	if d == nil {
		return
	}
	if d.GraceSeconds == nil {
		g := DefaultGraceSeconds
		d.GraceSeconds = &g
	}
	d.Questions(func(_, _ int, _ *Section, q *Question) {
		if q.Type == TypeMultipleChoice && q.Scoring == nil {
			s := DefaultScoring
			q.Scoring = &s
		}
	})
}

// problems collects FieldErrors so that a validator reports everything it
// finds instead of stopping at the first mistake.
type problems []FieldError

func (p *problems) add(path, code string, params P, format string, args ...any) {
	switch {
	case len(*p) < limitProblems:
		*p = append(*p, FieldError{Field: path, Code: code, Message: fmt.Sprintf(format, args...), Params: params})
	case len(*p) == limitProblems:
		*p = append(*p, FieldError{Field: "", Code: "too_many_problems", Params: P{"limit": limitProblems},
			Message: fmt.Sprintf("too many problems; only the first %d are listed", limitProblems)})
	}
}

// err returns a plain nil when there is nothing to report, never a typed nil
// pointer, so callers can compare the result with nil.
func (p problems) err(message string) error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Message: message, Problems: p}
}

// pathField joins a JSON path and a field name; an empty prefix is the root.
func pathField(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func pathIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// FormatPoints writes points the way an author writes them (60, 72.5, 0.25),
// never as 6e+01: the one format of points in messages and exports.
func FormatPoints(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func validateDocument(p *problems, d *Document) {
	checkText(p, "title", d.Title, limitTitleChars, true)
	checkText(p, "description", d.Description, limitDescriptionChars, false)
	if d.PositionID != "" && !ValidID(d.PositionID) {
		p.add("position_id", "invalid_value", nil, "must be a position id")
	}

	switch {
	case d.TimeLimitSeconds < 1:
		p.add("time_limit_seconds", "out_of_range", P{"min": 1}, "must be at least 1 second")
	case d.TimeLimitSeconds > limitTimeLimitSeconds:
		p.add("time_limit_seconds", "out_of_range", P{"max": limitTimeLimitSeconds}, "must be at most %d seconds (7 days)", limitTimeLimitSeconds)
	}
	if g := d.GraceSeconds; g != nil {
		switch {
		case *g < 0:
			p.add("grace_seconds", "out_of_range", P{"min": 0}, "must not be negative")
		case *g > limitGraceSeconds:
			p.add("grace_seconds", "out_of_range", P{"max": limitGraceSeconds}, "must be at most %d seconds", limitGraceSeconds)
		}
	}
	checkAmount(p, "pass_score", d.PassScore, false, limitPassScore)

	if r := d.Review; r != nil {
		if r.Markers == 0 {
			p.add("review.markers", "required", nil, "is required: 1 or 2")
		} else if r.Markers != 1 && r.Markers != 2 {
			p.add("review.markers", "unknown_option", P{"allowed": []int{1, 2}}, "must be 1 or 2, not %d", r.Markers)
		}
		checkAmount(p, "review.tolerance", r.Tolerance, false, limitPassScore)
	}

	examTracks := checkExamTracks(p, d.Tracks)
	checkTrackLabels(p, d.TrackLabels, examTracks)

	switch {
	case len(d.Sections) == 0:
		p.add("sections", "too_few", P{"min": 1}, "needs at least one section")
	case len(d.Sections) > limitSections:
		p.add("sections", "too_many", P{"max": limitSections}, "has %d sections; at most %d are allowed", len(d.Sections), limitSections)
	}
	total := 0
	for _, s := range d.Sections {
		total += len(s.Questions)
		if s.Draw != nil && s.Draw.Count > 0 && s.Draw.Count <= limitDrawCount {
			total += s.Draw.Count
		}
	}
	if total > limitQuestions {
		p.add("sections", "too_many", P{"max": limitQuestions}, "hold %d questions; at most %d are allowed", total, limitQuestions)
	}

	ids := map[string]string{}
	for si := range d.Sections {
		s := &d.Sections[si]
		sp := pathIndex("sections", si)
		checkID(p, ids, pathField(sp, "id"), s.ID)
		checkText(p, pathField(sp, "title"), s.Title, limitTitleChars, true)
		checkText(p, pathField(sp, "instructions"), s.Instructions, limitInstructionsChars, false)
		if len(s.Questions) == 0 && s.Draw == nil {
			p.add(pathField(sp, "questions"), "too_few", P{"min": 1}, "needs at least one question or a draw")
		}
		if s.Draw != nil {
			validateDraw(p, pathField(sp, "draw"), s.Draw)
		}
		if s.Pool != nil {
			p.add(pathField(sp, "pool"), "unknown_field", P{"field": "pool"}, "is frozen from the bank at publish; leave it out")
		}
		for qi := range s.Questions {
			validateQuestion(p, pathIndex(pathField(sp, "questions"), qi), &s.Questions[qi], d.Tracks, examTracks, ids)
		}
	}
}

// checkText reports a missing (blank) required text and one over its cap.
// Lengths are in characters, not bytes, so a Chinese prompt gets the same
// allowance as an English one.
func checkText(p *problems, path, s string, maxChars int, required bool) {
	if required && strings.TrimSpace(s) == "" {
		p.add(path, "required", nil, "is required")
		return
	}
	if n := utf8.RuneCountInString(s); n > maxChars {
		p.add(path, "too_long", P{"max": maxChars}, "is %d characters long; at most %d are allowed", n, maxChars)
	}
}

// checkAmount checks points, scores and scoring values: never negative
// (positive when the value is what a question is worth), within the cap, and
// a multiple of 0.5 because reviewers and scoring work in half points.
func checkAmount(p *problems, path string, v float64, positive bool, limit float64) (ok bool) {
	switch {
	case positive && !(v > 0):
		p.add(path, "not_positive", nil, "must be more than 0")
	case v < 0:
		p.add(path, "out_of_range", P{"min": 0}, "must not be negative")
	case v > limit:
		p.add(path, "out_of_range", P{"max": limit}, "must be at most %s", FormatPoints(limit))
	case v*2 != math.Trunc(v*2):
		p.add(path, "not_multiple_of_half", nil, "must be a multiple of 0.5, not %s", FormatPoints(v))
	default:
		return true
	}
	return false
}

// checkExamTracks returns the set of the exam's valid tracks. Surrounding
// white space is refused because a track is matched exactly against the one an
// invitation names.
func checkExamTracks(p *problems, tracks []string) map[string]bool {
	return checkNames(p, "tracks", tracks, "track", limitTracks, limitTrackChars)
}

// checkNames owns the rule shared by tracks and tags: at most max names,
// each non-empty, without surrounding white space (a name is matched
// exactly), at most maxChars long and unique. It returns the set of the
// valid ones; noun ("track", "tag") names them in the messages.
func checkNames(p *problems, path string, names []string, noun string, max, maxChars int) map[string]bool {
	set := map[string]bool{}
	if len(names) > max {
		p.add(path, "too_many", P{"max": max}, "has %d %ss; at most %d are allowed", len(names), noun, max)
	}
	for i, t := range names {
		tp := pathIndex(path, i)
		switch {
		case strings.TrimSpace(t) == "":
			p.add(tp, "required", nil, "must not be empty")
		case t != strings.TrimSpace(t):
			p.add(tp, "surrounding_space", nil, "must not start or end with white space")
		case utf8.RuneCountInString(t) > maxChars:
			p.add(tp, "too_long", P{"max": maxChars}, "is longer than %d characters", maxChars)
		case set[t]:
			p.add(tp, "duplicate", P{"value": t}, "duplicate %s %q", noun, abbreviate(t))
		default:
			set[t] = true
		}
	}
	return set
}

// checkTrackLabels allows a label only for one of the exam's tracks, and
// each label must say something. Keys are checked in sorted order so the
// problems come out the same each time.
func checkTrackLabels(p *problems, labels map[string]string, examTracks map[string]bool) {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		path := pathField("track_labels", k)
		if !examTracks[k] {
			p.add(path, "unknown_track", P{"track": k}, "%q is not one of the exam's tracks", abbreviate(k))
			continue
		}
		checkText(p, path, labels[k], limitTrackLabelChars, true)
	}
}

// checkID keeps section and question ids unique across the whole document:
// they share one namespace because versions, results and key amendments look
// items up by id alone.
func checkID(p *problems, seen map[string]string, path, id string) {
	if id == "" {
		return
	}
	if utf8.RuneCountInString(id) > limitIDChars {
		p.add(path, "too_long", P{"max": limitIDChars}, "is longer than %d characters", limitIDChars)
		return
	}
	if first, ok := seen[id]; ok {
		p.add(path, "duplicate", P{"value": id}, "duplicate id %q (also used by %s)", abbreviate(id), first)
		return
	}
	seen[id] = strings.TrimSuffix(path, ".id")
}

var knownQuestionTypes = []string{TypeFillIn, TypeTrueFalse, TypeSingleChoice, TypeMultipleChoice, TypeEssay}

func validateQuestion(p *problems, qp string, q *Question, examTrackList []string, examTracks map[string]bool, ids map[string]string) {
	checkID(p, ids, pathField(qp, "id"), q.ID)
	checkText(p, pathField(qp, "prompt"), q.Prompt, limitPromptChars, true)
	checkQuestionTracks(p, pathField(qp, "tracks"), q.Tracks, examTrackList, examTracks)
	checkText(p, pathField(qp, "explanation"), q.Explanation, limitExplanationChars, false)
	checkTags(p, pathField(qp, "tags"), q.Tags)
	if q.BankID != "" && !ValidID(q.BankID) {
		p.add(pathField(qp, "bank_id"), "invalid_value", nil, "must be a bank question id")
	}

	if !slices.Contains(knownQuestionTypes, q.Type) {
		if q.Type == "" {
			p.add(pathField(qp, "type"), "required", nil, "is required; use one of %s", strings.Join(knownQuestionTypes, ", "))
		} else {
			p.add(pathField(qp, "type"), "invalid_value", P{"allowed": knownQuestionTypes}, "unknown question type %q; use one of %s", abbreviate(q.Type), strings.Join(knownQuestionTypes, ", "))
		}
		// Which fields are wrong depends on the type, so guessing would
		// only bury the one mistake that matters.
		return
	}
	checkUnused(p, qp, q)

	switch q.Type {
	case TypeTrueFalse:
		checkAmount(p, pathField(qp, "points"), q.Points, true, limitPoints)
		checkBoolAnswer(p, pathField(qp, "answer"), q.Answer)
	case TypeSingleChoice:
		keys := checkOptions(p, pathField(qp, "options"), q.Options)
		checkChoiceAnswer(p, pathField(qp, "answer"), q.Answer, keys)
		checkAmount(p, pathField(qp, "points"), q.Points, true, limitPoints)
	case TypeMultipleChoice:
		keys := checkOptions(p, pathField(qp, "options"), q.Options)
		checkAnswerKeys(p, pathField(qp, "answers"), q.Answers, keys)
		if s := q.Scoring; s != nil {
			sp := pathField(qp, "scoring")
			perCorrectOK := checkAmount(p, pathField(sp, "per_correct"), s.PerCorrect, false, limitPoints)
			checkAmount(p, pathField(sp, "per_wrong"), s.PerWrong, false, limitPoints)
			if checkAmount(p, pathField(sp, "floor"), s.Floor, false, limitPoints) && perCorrectOK {
				checkFloor(p, pathField(sp, "floor"), *s, len(q.Answers))
			}
		}
	case TypeFillIn:
		checkBlanks(p, pathField(qp, "blanks"), q.Blanks)
		checkPlaceholders(p, pathField(qp, "prompt"), q.Prompt, len(q.Blanks))
	case TypeEssay:
		pointsOK := checkAmount(p, pathField(qp, "points"), q.Points, true, limitPoints)
		checkText(p, pathField(qp, "reference_answer"), q.ReferenceAnswer, limitReferenceChars, false)
		checkRubric(p, pathField(qp, "rubric"), q.Rubric, q.Points, pointsOK)
	}
}

// checkTags allows up to 20 tags, each non-empty, without surrounding
// space (a tag is matched exactly by filters and per-tag scores), and unique.
func checkTags(p *problems, path string, tags []string) {
	checkNames(p, path, tags, "tag", limitTags, limitTagChars)
}

// ValidateQuestion checks one question outside an exam (a bank question):
// the same rules as in a document, with no exam tracks. prefix is the JSON
// path problems are named under ("" for a body that is the question).
func ValidateQuestion(prefix string, q *Question) []FieldError {
	var p problems
	validateQuestion(&p, prefix, q, nil, map[string]bool{}, map[string]string{})
	return p
}

// NormalizeQuestion fills a question's defaults as Normalize does.
func NormalizeQuestion(q *Question) {
	if q.Type == TypeMultipleChoice && q.Scoring == nil {
		s := DefaultScoring
		q.Scoring = &s
	}
}

func checkQuestionTracks(p *problems, path string, tracks, examTrackList []string, examTracks map[string]bool) {
	if len(tracks) == 0 {
		return
	}
	if len(examTrackList) == 0 {
		p.add(path, "no_tracks", nil, "the exam has no tracks; leave tracks out")
		return
	}
	checkEachOnce(p, path, tracks, "track", func(at, t string) {
		if !examTracks[t] {
			p.add(at, "unknown_track", P{"track": t}, "unknown track %q; the exam's tracks are %s", abbreviate(t), strings.Join(examTrackList, ", "))
		}
	})
}

// checkEachOnce reports each repeat of an item of list as a duplicate
// (calling it a what) and hands the first of each to check, with its path.
func checkEachOnce(p *problems, path string, list []string, what string, check func(at, item string)) {
	seen := make(map[string]bool, len(list))
	for i, v := range list {
		if seen[v] {
			p.add(pathIndex(path, i), "duplicate", P{"value": v}, "duplicate %s %q", what, abbreviate(v))
			continue
		}
		seen[v] = true
		check(pathIndex(path, i), v)
	}
}

// fieldUse lists, for each type-specific field, the question types that use
// it. A field given to any other type is almost always a recruiter's slip
// (say, a single_choice meant as multiple_choice), so it is reported rather
// than silently ignored.
var fieldUse = []struct {
	name    string
	types   []string
	present func(q *Question) bool
}{
	{"points", []string{TypeTrueFalse, TypeSingleChoice, TypeEssay}, func(q *Question) bool { return q.Points != 0 }},
	{"options", []string{TypeSingleChoice, TypeMultipleChoice}, func(q *Question) bool { return q.Options != nil }},
	{"answer", []string{TypeTrueFalse, TypeSingleChoice}, func(q *Question) bool { return rawGiven(q.Answer) }},
	{"answers", []string{TypeMultipleChoice}, func(q *Question) bool { return q.Answers != nil }},
	{"scoring", []string{TypeMultipleChoice}, func(q *Question) bool { return q.Scoring != nil }},
	{"blanks", []string{TypeFillIn}, func(q *Question) bool { return q.Blanks != nil }},
	{"reference_answer", []string{TypeEssay}, func(q *Question) bool { return q.ReferenceAnswer != "" }},
	{"rubric", []string{TypeEssay}, func(q *Question) bool { return q.Rubric != nil }},
}

func checkUnused(p *problems, qp string, q *Question) {
	for _, f := range fieldUse {
		if !f.present(q) || slices.Contains(f.types, q.Type) {
			continue
		}
		msg := "not used by " + q.Type + " questions"
		if f.name == "points" {
			switch q.Type {
			case TypeMultipleChoice:
				msg += "; a multiple_choice question is worth scoring.per_correct × the number of answers"
			case TypeFillIn:
				msg += "; each blank carries its own points"
			}
		}
		p.add(pathField(qp, f.name), "unknown_field", P{"field": f.name}, "%s", msg)
	}
}

// contains reports whether list holds s.

// rawGiven reports whether a raw JSON value was supplied; an explicit null
// counts as left out.
func rawGiven(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && !bytes.Equal(t, []byte("null"))
}

// checkOptions returns the set of option keys, valid or not, so that the
// answer check can still tell a typo in the answer from a typo in an option.
func checkOptions(p *problems, path string, opts []Option) map[string]bool {
	switch {
	case len(opts) < limitMinOptions:
		p.add(path, "too_few", P{"min": limitMinOptions}, "needs at least %d options", limitMinOptions)
	case len(opts) > limitOptions:
		p.add(path, "too_many", P{"max": limitOptions}, "has %d options; at most %d are allowed", len(opts), limitOptions)
	}
	seen := map[string]bool{}
	for i, o := range opts {
		op := pathIndex(path, i)
		switch {
		case strings.TrimSpace(o.Key) == "":
			p.add(pathField(op, "key"), "required", nil, "is required")
		case utf8.RuneCountInString(o.Key) > limitKeyChars:
			p.add(pathField(op, "key"), "too_long", P{"max": limitKeyChars}, "is longer than %d characters", limitKeyChars)
		case seen[o.Key]:
			p.add(pathField(op, "key"), "duplicate", P{"value": o.Key}, "duplicate option key %q", abbreviate(o.Key))
		}
		seen[o.Key] = true
		checkText(p, pathField(op, "text"), o.Text, limitOptionTextChars, true)
	}
	return optionKeys(opts)
}

func optionKeys(opts []Option) map[string]bool {
	keys := make(map[string]bool, len(opts))
	for _, o := range opts {
		keys[o.Key] = true
	}
	return keys
}

// checkBoolAnswer checks a true_false key. Null is refused explicitly because
// decoding null into a bool succeeds and would silently mean false.
func checkBoolAnswer(p *problems, path string, raw json.RawMessage) {
	switch t := string(bytes.TrimSpace(raw)); t {
	case "true", "false":
	case "", "null":
		p.add(path, "required", nil, "is required: true or false")
	default:
		p.add(path, "wrong_type", P{"expected": "boolean"}, "must be true or false, not %s", abbreviate(t))
	}
}

// checkChoiceAnswer checks a single_choice key. With no options at all the
// options problem says everything, so the key is not called unknown too.
func checkChoiceAnswer(p *problems, path string, raw json.RawMessage, keys map[string]bool) {
	if !rawGiven(raw) {
		p.add(path, "required", nil, "is required: the key of the correct option")
		return
	}
	k, ok := decodeString(raw)
	if !ok {
		p.add(path, "wrong_type", P{"expected": "string"}, "must be an option key (a JSON string), not %s", abbreviate(string(bytes.TrimSpace(raw))))
		return
	}
	if len(keys) > 0 && !keys[k] {
		p.add(path, "unknown_option", P{"key": k}, "unknown option key %q", abbreviate(k))
	}
}

// checkAnswerKeys checks a multiple_choice key: at least one correct option,
// each known and named once.
func checkAnswerKeys(p *problems, path string, answers []string, keys map[string]bool) {
	if len(answers) == 0 {
		p.add(path, "too_few", P{"min": 1}, "needs at least one correct option key")
		return
	}
	checkEachOnce(p, path, answers, "option key", func(at, a string) {
		if len(keys) > 0 && !keys[a] {
			p.add(at, "unknown_option", P{"key": a}, "unknown option key %q", abbreviate(a))
		}
	})
}

// checkFloor refuses a floor above what the question can score: a candidate
// choosing only wrong options would then earn more than one choosing right.
// With no answers the answers problem already says it.
func checkFloor(p *problems, path string, s Scoring, answers int) {
	if answers == 0 {
		return
	}
	most := s.PerCorrect * float64(answers)
	if s.Floor > most {
		p.add(path, "floor_above_max", P{"floor": s.Floor, "max": most}, "scoring.floor (%s) is more than the question can score (%s = per_correct × %d answers)", FormatPoints(s.Floor), FormatPoints(most), answers)
	}
}

// checkBlanks checks a fill_in key: each blank has accepted answers that
// survive the trimming grading applies, and is worth something.
func checkBlanks(p *problems, path string, blanks []Blank) {
	switch {
	case len(blanks) == 0:
		p.add(path, "too_few", P{"min": 1}, "needs at least one blank")
	case len(blanks) > limitBlanks:
		p.add(path, "too_many", P{"max": limitBlanks}, "has %d blanks; at most %d are allowed", len(blanks), limitBlanks)
	}
	for i, b := range blanks {
		bp := pathIndex(path, i)
		ap := pathField(bp, "accepted")
		switch {
		case len(b.Accepted) == 0:
			p.add(ap, "too_few", P{"min": 1}, "needs at least one accepted answer")
		case len(b.Accepted) > limitAccepted:
			p.add(ap, "too_many", P{"max": limitAccepted}, "has %d accepted answers; at most %d are allowed", len(b.Accepted), limitAccepted)
		}
		for j, a := range b.Accepted {
			switch {
			case strings.TrimSpace(a) == "":
				p.add(pathIndex(ap, j), "required", nil, "must not be empty")
			case utf8.RuneCountInString(a) > limitAcceptedChars:
				p.add(pathIndex(ap, j), "too_long", P{"max": limitAcceptedChars}, "is longer than %d characters", limitAcceptedChars)
			}
		}
		checkAmount(p, pathField(bp, "points"), b.Points, true, limitPoints)
	}
}

var placeholderRE = regexp.MustCompile(`\{\{([0-9]+)\}\}`)

// checkPlaceholders makes the prompt and the blanks agree: {{1}} … {{n}}
// each exactly once, and nothing else that looks like a placeholder, since
// the candidate's page puts an input wherever one appears.
func checkPlaceholders(p *problems, path, prompt string, n int) {
	if n == 0 {
		return // the blanks problem already says it
	}
	count := make([]int, n+1)
	for _, m := range placeholderRE.FindAllStringSubmatch(prompt, -1) {
		k, err := strconv.Atoi(m[1])
		if err != nil || k < 1 || k > n || strconv.Itoa(k) != m[1] {
			p.add(path, "placeholder_unknown", P{"n": abbreviate(m[1])}, "placeholder %s has no blank; with %d blanks use {{1}} to {{%d}}", abbreviate(m[0]), n, n)
			continue
		}
		count[k]++
	}
	for k := 1; k <= n; k++ {
		switch {
		case count[k] == 0:
			p.add(path, "placeholder_missing", P{"n": k}, "is missing the placeholder {{%d}} for blanks[%d]", k, k-1)
		case count[k] > 1:
			p.add(path, "placeholder_repeated", P{"n": k, "count": count[k]}, "has the placeholder {{%d}} %d times; each blank appears once", k, count[k])
		}
	}
}

// checkRubric checks an essay's rubric. The sum is compared only when every
// number is valid, or the total would repeat a mistake already reported.
func checkRubric(p *problems, path string, rubric []RubricItem, points float64, pointsOK bool) {
	if len(rubric) > limitRubricItems {
		p.add(path, "too_many", P{"max": limitRubricItems}, "has %d criteria; at most %d are allowed", len(rubric), limitRubricItems)
	}
	numbersOK := pointsOK
	sum := 0.0
	for i, r := range rubric {
		rp := pathIndex(path, i)
		checkText(p, pathField(rp, "criterion"), r.Criterion, limitCriterionChars, true)
		if !checkAmount(p, pathField(rp, "points"), r.Points, true, limitPoints) {
			numbersOK = false
		}
		sum += r.Points
	}
	if numbersOK && sum > points {
		p.add(path, "rubric_over_points", P{"sum": sum, "points": points}, "criteria add up to %s points, more than the question's %s", FormatPoints(sum), FormatPoints(points))
	}
}

// abbreviate keeps an echoed bad value short in a message.
func abbreviate(s string) string {
	const keep = 40
	if utf8.RuneCountInString(s) <= keep {
		return s
	}
	return string([]rune(s)[:keep]) + "…"
}
