package exam

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestAmendKey(t *testing.T) {
	tests := []struct {
		name  string
		at    string // the question in fiveTypeDoc
		setup func(q *Question)
		body  string
		check func(t *testing.T, q Question) // for a valid body
		bad   []string                       // paths, for an invalid one
	}{
		{name: "true_false", at: atTF, body: `{"answer": true}`, check: func(t *testing.T, q Question) {
			if v, ok := q.AnswerBool(); !ok || !v {
				t.Errorf("answer = %s", q.Answer)
			}
		}},
		{name: "true_false answer compacted", at: atTF, body: `{"answer":  false }`, check: func(t *testing.T, q Question) {
			if string(q.Answer) != "false" {
				t.Errorf("answer = %q", q.Answer)
			}
		}},
		{name: "true_false answer a string", at: atTF, body: `{"answer": "yes"}`, bad: []string{"answer=wrong_type"}},
		{name: "true_false answer null", at: atTF, body: `{"answer": null}`, bad: []string{"answer=required"}},
		{name: "true_false answer missing", at: atTF, body: `{}`, bad: []string{"answer=required"}},
		{name: "true_false with answers", at: atTF, body: `{"answers": [true]}`, bad: []string{"answer=required", "answers=unknown_field"}},
		{name: "true_false with an extra field", at: atTF, body: `{"answer": true, "reason": "typo"}`, bad: []string{"reason=unknown_field"}},

		{name: "single_choice", at: atSC, body: `{"answer": "b"}`, check: func(t *testing.T, q Question) {
			if k, _ := q.AnswerKey(); k != "b" {
				t.Errorf("answer = %s", q.Answer)
			}
		}},
		{name: "single_choice unknown key", at: atSC, body: `{"answer": "h"}`, bad: []string{"answer=unknown_option"}},
		{name: "single_choice answer a number", at: atSC, body: `{"answer": 1}`, bad: []string{"answer=wrong_type"}},
		{name: "single_choice answer a list", at: atSC, body: `{"answers": ["a"]}`, bad: []string{"answer=required", "answers=unknown_field"}},

		{name: "multiple_choice", at: atMC, body: `{"answers": ["d", "a"]}`, check: func(t *testing.T, q Question) {
			if !reflect.DeepEqual(q.Answers, []string{"d", "a"}) {
				t.Errorf("answers = %q", q.Answers)
			}
		}},
		{name: "multiple_choice unknown key", at: atMC, body: `{"answers": ["a", "h"]}`, bad: []string{"answers[1]=unknown_option"}},
		{name: "multiple_choice duplicate key", at: atMC, body: `{"answers": ["a", "b", "a"]}`, bad: []string{"answers[2]=duplicate"}},
		{name: "multiple_choice no answers", at: atMC, body: `{"answers": []}`, bad: []string{"answers=too_few"}},
		{name: "multiple_choice answers a string", at: atMC, body: `{"answers": "a"}`, bad: []string{"answers=wrong_type"}},
		{name: "multiple_choice answer not a string", at: atMC, body: `{"answers": ["a", 2]}`, bad: []string{"answers[1]=wrong_type"}},
		{name: "multiple_choice single answer", at: atMC, body: `{"answer": "a"}`, bad: []string{"answer=unknown_field", "answers=required"}},
		{name: "multiple_choice maximum below the floor", at: atMC,
			setup: func(q *Question) { q.Scoring.Floor = 2 },
			body:  `{"answers": ["a"]}`, bad: []string{"answers=floor_above_max"}},
		{name: "multiple_choice default scoring", at: atMC2, body: `{"answers": ["x", "y"]}`, check: func(t *testing.T, q Question) {
			if q.Scoring != nil {
				t.Error("amending set scoring")
			}
		}},

		{name: "fill_in", at: atFill,
			body: `{"blanks": [{"accepted": ["客人", "顾客"], "points": 1.5}, {"accepted": ["上司"], "points": 1, "case_sensitive": true}]}`,
			check: func(t *testing.T, q Question) {
				want := []Blank{{Accepted: []string{"客人", "顾客"}, Points: 1.5}, {Accepted: []string{"上司"}, Points: 1, CaseSensitive: true}}
				if !reflect.DeepEqual(q.Blanks, want) {
					t.Errorf("blanks = %+v", q.Blanks)
				}
			}},
		{name: "fill_in one blank too few", at: atFill, body: `{"blanks": [{"accepted": ["客人"], "points": 1}]}`, bad: []string{"blanks=count_mismatch"}},
		{name: "fill_in no blanks", at: atFill, body: `{"blanks": []}`, bad: []string{"blanks=count_mismatch", "blanks=too_few"}},
		{name: "fill_in blanks an object", at: atFill, body: `{"blanks": {"accepted": ["x"]}}`, bad: []string{"blanks=wrong_type"}},
		{name: "fill_in blank not an object", at: atFill, body: `{"blanks": ["客人", {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0]=wrong_type"}},
		{name: "fill_in accepted missing", at: atFill, body: `{"blanks": [{"points": 1}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].accepted=too_few"}},
		{name: "fill_in accepted empty", at: atFill, body: `{"blanks": [{"accepted": [], "points": 1}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].accepted=too_few"}},
		{name: "fill_in accepted blank", at: atFill, body: `{"blanks": [{"accepted": ["x", " "], "points": 1}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].accepted[1]=required"}},
		{name: "fill_in accepted a string", at: atFill, body: `{"blanks": [{"accepted": "x", "points": 1}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].accepted=wrong_type"}},
		{name: "fill_in accepted not strings", at: atFill, body: `{"blanks": [{"accepted": [1], "points": 1}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].accepted[0]=wrong_type"}},
		{name: "fill_in points missing", at: atFill, body: `{"blanks": [{"accepted": ["x"]}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].points=not_positive"}},
		{name: "fill_in points not a half", at: atFill, body: `{"blanks": [{"accepted": ["x"], "points": 1}, {"accepted": ["x"], "points": 0.2}]}`, bad: []string{"blanks[1].points=not_multiple_of_half"}},
		{name: "fill_in points a string", at: atFill, body: `{"blanks": [{"accepted": ["x"], "points": "1"}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].points=wrong_type"}},
		{name: "fill_in points too large for float64", at: atFill, body: `{"blanks": [{"accepted": ["x"], "points": 1e999}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].points=wrong_type"}},
		{name: "fill_in case_sensitive a string", at: atFill, body: `{"blanks": [{"accepted": ["x"], "points": 1, "case_sensitive": "no"}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].case_sensitive=wrong_type"}},
		{name: "fill_in blank with an extra field", at: atFill, body: `{"blanks": [{"accepted": ["x"], "points": 1, "weight": 2}, {"accepted": ["x"], "points": 1}]}`, bad: []string{"blanks[0].weight=unknown_field"}},

		{name: "essay", at: atEssay, body: `{"answer": "anything"}`, bad: []string{"=no_answer_key"}},
		{name: "not an object", at: atTF, body: `true`, bad: []string{"=wrong_type"}},
		{name: "null", at: atSC, body: `null`, bad: []string{"=wrong_type"}},
		{name: "empty", at: atMC, body: ``, bad: []string{"=required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := *questionAt(fiveTypeDoc(), tt.at)
			if tt.setup != nil {
				tt.setup(&q)
			}
			before := q.deepCopy()
			got, err := AmendQuestionKey(q, json.RawMessage(tt.body))
			if !reflect.DeepEqual(q, before) {
				t.Error("AmendQuestionKey changed its argument")
			}
			if tt.bad != nil {
				assertProblemPaths(t, err, "answer key is not valid", tt.bad)
				return
			}
			if err != nil {
				t.Fatalf("valid key refused: %v", err)
			}
			tt.check(t, got)
			if err := Validate(docWithQuestion(tt.at, got)); err != nil {
				t.Errorf("amended question fails authoring rules: %v", err)
			}
		})
	}
}

// docWithQuestion returns fiveTypeDoc with the question at path replaced.
func docWithQuestion(path string, q Question) *Document {
	d := fiveTypeDoc()
	*questionAt(d, path) = q
	return d
}

func TestAmendKeyUnknownQuestionType(t *testing.T) {
	_, err := AmendQuestionKey(Question{Type: "oral"}, json.RawMessage(`{"answer": true}`))
	if err == nil {
		t.Fatal("no error")
	}
	if _, ok := err.(*ValidationError); ok {
		t.Error("a broken question is not the recruiter's mistake")
	}
}

// Amending a question with its own key changes nothing, so KeyOf and
// AmendQuestionKey speak the same shape.
func TestKeyOfRoundTrip(t *testing.T) {
	for _, path := range []string{atFill, atTF, atSC, atMC, atMC2} {
		q := *questionAt(fiveTypeDoc(), path)
		got, err := AmendQuestionKey(q, KeyOf(&q))
		if err != nil {
			t.Fatalf("%s: %s refused: %v", path, KeyOf(&q), err)
		}
		if !reflect.DeepEqual(got, q) {
			t.Errorf("%s: amended with its own key became %+v", path, got)
		}
	}
}

func TestKeyOf(t *testing.T) {
	d := fiveTypeDoc()
	for _, tt := range []struct {
		at   string
		want string
	}{
		{atTF, `{"answer":false}`},
		{atSC, `{"answer":"a"}`},
		{atMC, `{"answers":["a","b","c"]}`},
		{atFill, `{"blanks":[{"accepted":["客人"],"points":1,"case_sensitive":false},{"accepted":["上司","领导"],"points":0.5,"case_sensitive":true}]}`},
	} {
		if got := string(KeyOf(questionAt(d, tt.at))); got != tt.want {
			t.Errorf("%s: KeyOf = %s, want %s", tt.at, got, tt.want)
		}
	}
	if got := KeyOf(questionAt(d, atEssay)); got != nil {
		t.Errorf("essay key = %s", got)
	}
	if got := KeyOf(&Question{Type: TypeTrueFalse}); got != nil {
		t.Errorf("missing key = %s", got)
	}
}

// The amended question must share no memory with the frozen one, or editing
// either would silently edit the other.
func TestAmendKeyDoesNotAlias(t *testing.T) {
	for _, path := range []string{atFill, atTF, atSC, atMC, atEssay} {
		q := *questionAt(fiveTypeDoc(), path)
		// Fill every slice, whether or not the type uses it, so that a
		// field clone forgets is caught.
		q.Tracks = []string{"manager"}
		q.Options = makeOptions(3)
		q.Scoring = &Scoring{PerCorrect: 1}
		q.Rubric = []RubricItem{{Criterion: "c", Points: 1}}
		if q.Answers == nil {
			q.Answers = []string{"a"}
		}
		if q.Answer == nil {
			q.Answer = json.RawMessage(`true`)
		}
		if q.Blanks == nil {
			q.Blanks = []Blank{{Accepted: []string{"x"}, Points: 1}}
		}
		keep := q.deepCopy()

		c := q.deepCopy()
		if path != atEssay {
			var err error
			if c, err = AmendQuestionKey(q, KeyOf(&q)); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		c.Tracks[0] = "changed"
		c.Options[0].Key = "changed"
		c.Scoring.PerCorrect = 9
		c.Rubric[0].Points = 9
		c.Answers[0] = "changed"
		c.Answer[0] = 'x'
		c.Blanks[0].Accepted[0] = "changed"
		if !reflect.DeepEqual(q, keep) {
			t.Errorf("%s: editing the amended copy edited the original", path)
		}
	}
}
