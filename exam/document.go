// Package exam holds exam documents (their types, validation and frozen
// versions), invitations, attempts with their deadlines, and the candidate's
// redacted view, together with the PostgreSQL storage behind them.
//
// The package knows nothing of HTTP: it returns typed errors (see errors.go)
// that the api package maps to status codes.
package exam

import (
	"encoding/json"
)

// Question types.
const (
	TypeFillIn         = "fill_in"
	TypeTrueFalse      = "true_false"
	TypeSingleChoice   = "single_choice"
	TypeMultipleChoice = "multiple_choice"
	TypeEssay          = "essay"
)

// DefaultGraceSeconds is used when a document leaves grace_seconds out.
const DefaultGraceSeconds = 30

// Document is an exam as a recruiter writes it: the body of POST/PUT
// /exams and the frozen content of a published version.
type Document struct {
	Title            string   `json:"title"`
	Description      string   `json:"description"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	GraceSeconds     *int     `json:"grace_seconds,omitempty"`
	PassScore        float64  `json:"pass_score"`
	Tracks           []string `json:"tracks,omitempty"`
	// TrackLabels names tracks for people ("manager" → "经理"); optional,
	// only for the exam's own tracks.
	TrackLabels          map[string]string `json:"track_labels,omitempty"`
	ShuffleQuestions     bool              `json:"shuffle_questions"`
	ShuffleOptions       bool              `json:"shuffle_options"`
	ShowScoreToCandidate bool              `json:"show_score_to_candidate"`
	// ShowExplanations lets a candidate see, after submitting (never
	// before), each question's explanation and points.
	ShowExplanations bool `json:"show_explanations"`
	// PositionID names the position (岗位) the exam belongs to, if any.
	PositionID string    `json:"position_id,omitempty"`
	Sections   []Section `json:"sections"`
	// Review says how essays are marked: by one reviewer (nil or markers
	// 1) or by two, blind, with moderation beyond Tolerance.
	Review *ReviewSetting `json:"review,omitempty"`
}

// ReviewSetting is an exam's essay marking: Markers 1 or 2; with 2, two
// marks at most Tolerance apart give their mean, farther apart go to an
// admin to moderate.
type ReviewSetting struct {
	Markers   int     `json:"markers"`
	Tolerance float64 `json:"tolerance"`
}

// Markers is how many reviewers mark each essay of d (1 or 2).
func (d *Document) Markers() int {
	if d.Review != nil && d.Review.Markers == 2 {
		return 2
	}
	return 1
}

// Tolerance is how far apart two marks may be and still be averaged.
func (d *Document) Tolerance() float64 {
	if d.Review == nil {
		return 0
	}
	return d.Review.Tolerance
}

// Section groups questions under a title and instructions.
type Section struct {
	ID           string     `json:"id,omitempty"`
	Title        string     `json:"title"`
	Instructions string     `json:"instructions,omitempty"`
	Questions    []Question `json:"questions"`
	// Draw, when set, adds Draw.Count questions drawn for each attempt
	// from the bank (see draw.go).
	Draw *Draw `json:"draw,omitempty"`
	// Pool is the draw's frozen pool: set at publish in the version, never
	// in a draft.
	Pool []Question `json:"pool,omitempty"`
}

// Question is one question of any of the five types; which fields matter
// depends on Type (see Validate).
type Question struct {
	ID     string   `json:"id,omitempty"`
	Type   string   `json:"type"`
	Prompt string   `json:"prompt"`
	Points float64  `json:"points,omitempty"`
	Tracks []string `json:"tracks,omitempty"`
	// Tags are competencies (投诉处理, 团队管理): up to 20 non-empty strings.
	Tags []string `json:"tags,omitempty"`
	// BankID is the bank question this one was copied from; the copy is
	// independent of it.
	BankID string `json:"bank_id,omitempty"`

	// single_choice and multiple_choice
	Options []Option `json:"options,omitempty"`
	// true_false: a JSON boolean; single_choice: an option key (JSON string).
	// Kept raw because its JSON type depends on the question type, and a
	// mismatch is a rule violation (422), not a malformed body.
	Answer json.RawMessage `json:"answer,omitempty"`
	// multiple_choice
	Answers []string `json:"answers,omitempty"`
	Scoring *Scoring `json:"scoring,omitempty"`
	// fill_in
	Blanks []Blank `json:"blanks,omitempty"`
	// essay
	ReferenceAnswer string       `json:"reference_answer,omitempty"`
	Rubric          []RubricItem `json:"rubric,omitempty"`

	// Explanation (解析), any type: shown to the candidate only after
	// submitting, and only when the exam's ShowExplanations is on.
	Explanation string `json:"explanation,omitempty"`
}

// Option is one choice of a choice question.
type Option struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Scoring is the +1/−1 rule's parameters of a multiple_choice question.
type Scoring struct {
	PerCorrect float64 `json:"per_correct"`
	PerWrong   float64 `json:"per_wrong"`
	Floor      float64 `json:"floor"`
}

// DefaultScoring is the +1/−1 rule with a floor of 0.
var DefaultScoring = Scoring{PerCorrect: 1, PerWrong: 1, Floor: 0}

// Blank is one {{n}} gap of a fill_in question.
type Blank struct {
	Accepted      []string `json:"accepted"`
	Points        float64  `json:"points"`
	CaseSensitive bool     `json:"case_sensitive,omitempty"`
}

// RubricItem is one criterion a reviewer scores an essay against.
type RubricItem struct {
	Criterion string  `json:"criterion"`
	Points    float64 `json:"points"`
}

// Response is a candidate's answer to one question, already checked against
// the question's type by ParseResponse: exactly the field of that type is set.
type Response struct {
	Value   *bool    `json:"value,omitempty"`   // true_false
	Choice  *string  `json:"choice,omitempty"`  // single_choice
	Choices []string `json:"choices,omitempty"` // multiple_choice ({"choices": []} is valid)
	Blanks  []string `json:"blanks,omitempty"`  // fill_in, one entry per blank
	Text    *string  `json:"text,omitempty"`    // essay
}

// FieldError is one problem of a document or request, named by its JSON
// path (for example "sections[1].questions[0].answers[1]").
//
// Code is a stable word from a small vocabulary (required, too_long,
// unknown_option, …; docs/api.md lists them) so that a client can say the
// problem in its user's language; Params holds the values such a sentence
// needs (too_long's max, unknown_option's key). Message stays English.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Params  P      `json:"params,omitempty"`
}

// P is the params of a FieldError.
type P = map[string]any

// Problem returns a FieldError; a shorthand for the api package.
func Problem(field, code string, params P, message string) FieldError {
	return FieldError{Field: field, Code: code, Message: message, Params: params}
}

// ValidationError lists every problem found at once. The api package maps it
// to 422 validation_failed with Problems as details.
type ValidationError struct {
	Message  string
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	return e.Message + ": " + e.Problems[0].Field + ": " + e.Problems[0].Message
}

// Grace returns grace_seconds with its default applied.
func (d *Document) Grace() int {
	if d.GraceSeconds == nil {
		return DefaultGraceSeconds
	}
	return *d.GraceSeconds
}

// InTrack reports whether a question is shown to a candidate of track
// (absent tracks on the question means every track; an empty track means
// the exam has no tracks).
func (q *Question) InTrack(track string) bool {
	if track == "" || len(q.Tracks) == 0 {
		return true
	}
	for _, t := range q.Tracks {
		if t == track {
			return true
		}
	}
	return false
}

// EffectiveScoring returns the question's multiple-choice scoring with the
// default applied.
func (q *Question) EffectiveScoring() Scoring {
	if q.Scoring == nil {
		return DefaultScoring
	}
	return *q.Scoring
}

// AnswerBool decodes a true_false key; ok is false when it is not a boolean.
func (q *Question) AnswerBool() (v bool, ok bool) {
	if len(q.Answer) == 0 {
		return false, false
	}
	err := json.Unmarshal(q.Answer, &v)
	return v, err == nil
}

// AnswerKey decodes a single_choice key; ok is false when it is not a string.
func (q *Question) AnswerKey() (k string, ok bool) {
	if len(q.Answer) == 0 {
		return "", false
	}
	err := json.Unmarshal(q.Answer, &k)
	return k, err == nil
}

// Questions calls fn for every question in document order.
func (d *Document) Questions(fn func(si, qi int, s *Section, q *Question)) {
	for si := range d.Sections {
		s := &d.Sections[si]
		for qi := range s.Questions {
			fn(si, qi, s, &s.Questions[qi])
		}
	}
}

// MaxPoints is the most a question can earn: its points, the sum of its
// blanks' points, or per_correct for each right option of a multiple choice.
func (q *Question) MaxPoints() float64 {
	switch q.Type {
	case TypeFillIn:
		var sum float64
		for _, b := range q.Blanks {
			sum += b.Points
		}
		return sum
	case TypeMultipleChoice:
		return q.EffectiveScoring().PerCorrect * float64(len(q.Answers))
	case TypeTrueFalse, TypeSingleChoice, TypeEssay:
		return q.Points
	}
	return 0
}

// HighestMax is the most an attempt can score: the highest maximum of any
// track, or the exam's maximum when it has no tracks.
func (d *Document) HighestMax() float64 {
	if len(d.Tracks) == 0 {
		_, m := d.TrackSummary("")
		return m
	}
	best := 0.0
	for _, t := range d.Tracks {
		if _, m := d.TrackSummary(t); m > best {
			best = m
		}
	}
	return best
}

// CheckPublishable holds the rules a draft must meet to be frozen on top of
// Validate's: a pass mark no attempt of any track could reach would fail
// everyone. A draft may break them while it is being written.
func CheckPublishable(d *Document) error {
	var p problems
	if m := d.HighestMax(); d.PassScore > m {
		p.add("pass_score", "pass_score_above_max", P{"pass_score": d.PassScore, "max": m},
			"%s is more than any attempt can score (at most %s)", FormatPoints(d.PassScore), FormatPoints(m))
	}
	return p.err("the exam cannot be published")
}

// QuestionCount is how many questions the exam holds for all its tracks
// together: every listed question, and each draw's Count.
func (d *Document) QuestionCount() int {
	n := 0
	d.Questions(func(int, int, *Section, *Question) { n++ })
	for i := range d.Sections {
		if s := &d.Sections[i]; s.Draw != nil {
			n += s.Draw.Count
		}
	}
	return n
}

// TrackSummary counts the questions and maximum score a candidate of track
// sees; a draw counts its Count questions at its pool's points (nothing
// before the pool is frozen).
func (d *Document) TrackSummary(track string) (questions int, maxScore float64) {
	d.Questions(func(_, _ int, _ *Section, q *Question) {
		if q.InTrack(track) {
			questions++
			maxScore += q.MaxPoints()
		}
	})
	for i := range d.Sections {
		if s := &d.Sections[i]; s.Draw != nil {
			questions += s.Draw.Count
			maxScore += s.drawMax()
		}
	}
	return questions, maxScore
}
