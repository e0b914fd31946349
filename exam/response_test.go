package exam

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func pointerTo[T any](v T) *T { return &v }

func TestParseResponse(t *testing.T) {
	d := fiveTypeDoc()
	questions := map[string]*Question{
		TypeFillIn:         questionAt(d, atFill),
		TypeTrueFalse:      questionAt(d, atTF),
		TypeSingleChoice:   questionAt(d, atSC),
		TypeMultipleChoice: questionAt(d, atMC),
		TypeEssay:          questionAt(d, atEssay),
	}
	longText, _ := json.Marshal(strings.Repeat("文", limitEssayChars+1))
	fullText, _ := json.Marshal(strings.Repeat("文", limitEssayChars))
	longBlank, _ := json.Marshal(strings.Repeat("x", limitBlankResponseChars+1))

	tests := []struct {
		name string
		typ  string
		raw  string
		want Response // for a valid response
		bad  []string // paths, for an invalid one
	}{
		{"true", TypeTrueFalse, `{"value": true}`, Response{Value: pointerTo(true)}, nil},
		{"false", TypeTrueFalse, ` { "value" : false } `, Response{Value: pointerTo(false)}, nil},
		{"value a string", TypeTrueFalse, `{"value": "true"}`, Response{}, []string{"response.value=wrong_type"}},
		{"value null", TypeTrueFalse, `{"value": null}`, Response{}, []string{"response.value=wrong_type"}},
		{"value missing", TypeTrueFalse, `{}`, Response{}, []string{"response.value=required"}},
		{"value of another type", TypeTrueFalse, `{"choice": "a"}`, Response{}, []string{"response.choice=unknown_field", "response.value=required"}},
		{"value with an extra field", TypeTrueFalse, `{"value": true, "sure": 1}`, Response{}, []string{"response.sure=unknown_field"}},
		{"field names are exact", TypeTrueFalse, `{"Value": true}`, Response{}, []string{"response.Value=unknown_field", "response.value=required"}},

		{"choice", TypeSingleChoice, `{"choice": "b"}`, Response{Choice: pointerTo("b")}, nil},
		{"choice unknown", TypeSingleChoice, `{"choice": "h"}`, Response{}, []string{"response.choice=unknown_option"}},
		{"choice empty", TypeSingleChoice, `{"choice": ""}`, Response{}, []string{"response.choice=unknown_option"}},
		{"choice a list", TypeSingleChoice, `{"choice": ["a"]}`, Response{}, []string{"response.choice=wrong_type"}},
		{"choice as choices", TypeSingleChoice, `{"choices": ["a"]}`, Response{}, []string{"response.choice=required", "response.choices=unknown_field"}},

		{"choices", TypeMultipleChoice, `{"choices": ["a", "c"]}`, Response{Choices: []string{"a", "c"}}, nil},
		{"no choices", TypeMultipleChoice, `{"choices": []}`, Response{Choices: []string{}}, nil},
		{"choices unknown key", TypeMultipleChoice, `{"choices": ["a", "h"]}`, Response{}, []string{"response.choices[1]=unknown_option"}},
		{"choices duplicate", TypeMultipleChoice, `{"choices": ["c", "a", "c"]}`, Response{}, []string{"response.choices[2]=duplicate"}},
		{"choices not strings", TypeMultipleChoice, `{"choices": ["a", 2, null]}`, Response{}, []string{"response.choices[1]=wrong_type", "response.choices[2]=wrong_type"}},
		{"choices a string", TypeMultipleChoice, `{"choices": "a"}`, Response{}, []string{"response.choices=wrong_type"}},
		{"choices null", TypeMultipleChoice, `{"choices": null}`, Response{}, []string{"response.choices=wrong_type"}},
		{"more choices than options", TypeMultipleChoice, `{"choices": ["a","b","c","d","a"]}`, Response{}, []string{"response.choices=too_many"}},

		{"blanks", TypeFillIn, `{"blanks": ["客人", ""]}`, Response{Blanks: []string{"客人", ""}}, nil},
		{"blanks too few", TypeFillIn, `{"blanks": ["客人"]}`, Response{}, []string{"response.blanks=count_mismatch"}},
		{"blanks too many", TypeFillIn, `{"blanks": ["a", "b", "c"]}`, Response{}, []string{"response.blanks=count_mismatch"}},
		{"blanks not strings", TypeFillIn, `{"blanks": [1, null]}`, Response{}, []string{"response.blanks[0]=wrong_type", "response.blanks[1]=wrong_type"}},
		{"blank too long", TypeFillIn, `{"blanks": ["a", ` + string(longBlank) + `]}`, Response{}, []string{"response.blanks[1]=too_long"}},
		{"blanks an object", TypeFillIn, `{"blanks": {"1": "a"}}`, Response{}, []string{"response.blanks=wrong_type"}},

		{"text", TypeEssay, `{"text": "首先……"}`, Response{Text: pointerTo("首先……")}, nil},
		{"text empty", TypeEssay, `{"text": ""}`, Response{Text: pointerTo("")}, nil},
		{"text at its cap", TypeEssay, `{"text": ` + string(fullText) + `}`, Response{Text: pointerTo(strings.Repeat("文", limitEssayChars))}, nil},
		{"text too long", TypeEssay, `{"text": ` + string(longText) + `}`, Response{}, []string{"response.text=too_long"}},
		{"text a number", TypeEssay, `{"text": 42}`, Response{}, []string{"response.text=wrong_type"}},
		{"text with value", TypeEssay, `{"text": "x", "value": true}`, Response{}, []string{"response.value=unknown_field"}},

		{"not an object", TypeEssay, `"just text"`, Response{}, []string{"response=wrong_type"}},
		{"an array", TypeMultipleChoice, `["a"]`, Response{}, []string{"response=wrong_type"}},
		{"null", TypeTrueFalse, `null`, Response{}, []string{"response=wrong_type"}},
		{"absent", TypeSingleChoice, ``, Response{}, []string{"response=required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			if tt.raw != "" {
				raw = json.RawMessage(tt.raw)
			}
			got, err := ParseResponse(questions[tt.typ], raw)
			if tt.bad != nil {
				assertProblemPaths(t, err, "response does not fit the question", tt.bad)
				if !reflect.DeepEqual(got, Response{}) {
					t.Errorf("invalid response returned %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("valid response refused: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseResponseUnknownQuestionType(t *testing.T) {
	_, err := ParseResponse(&Question{Type: "oral"}, json.RawMessage(`{}`))
	if err == nil {
		t.Fatal("no error")
	}
	if _, ok := err.(*ValidationError); ok {
		t.Error("a broken question is not the candidate's mistake")
	}
}

// A stored response must read back as the same response, including an empty
// multiple_choice answer.
func TestResponseRoundTrip(t *testing.T) {
	d := fiveTypeDoc()
	for _, tt := range []struct {
		q    *Question
		want string
	}{
		{questionAt(d, atTF), `{"value":false}`},
		{questionAt(d, atSC), `{"choice":"b"}`},
		{questionAt(d, atMC), `{"choices":[]}`},
		{questionAt(d, atMC), `{"choices":["c","a"]}`},
		{questionAt(d, atFill), `{"blanks":["客人",""]}`},
		{questionAt(d, atEssay), `{"text":"<b>\u0026</b>"}`},
	} {
		r, err := ParseResponse(tt.q, json.RawMessage(tt.want))
		if err != nil {
			t.Fatalf("%s: %v", tt.want, err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseResponse(tt.q, b)
		if err != nil {
			t.Fatalf("%s stored as %s: %v", tt.want, b, err)
		}
		if !reflect.DeepEqual(r, again) {
			t.Errorf("%s came back as %+v", tt.want, again)
		}
	}
	if b, _ := json.Marshal(Response{}); string(b) != `{}` {
		t.Errorf("empty response marshals as %s", b)
	}
}
