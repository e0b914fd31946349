package exam

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func FuzzValidate(f *testing.F) {
	valid, err := json.Marshal(fiveTypeDoc())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte(`{"title":"t","time_limit_seconds":60,"sections":[{"title":"s","questions":[{"type":"true_false","prompt":"p","answer":true,"points":1}]}]}`))
	f.Add([]byte(`{"title":"t","time_limit_seconds":60,"tracks":["a"],"sections":[{"title":"s","questions":[{"type":"multiple_choice","prompt":"p","tracks":["a"],"options":[{"key":"a","text":"x"},{"key":"b","text":"y"}],"answers":["b"]}]}]}`))
	f.Add([]byte(`{"title":"t","time_limit_seconds":1,"sections":[{"title":"s","questions":[{"type":"fill_in","prompt":"{{1}}{{2}}{{01}}","blanks":[{"accepted":["x"],"points":0.5}]}]}]}`))
	f.Add([]byte(`{"title":"t","time_limit_seconds":1,"grace_seconds":0,"sections":[{"title":"s","questions":[{"type":"essay","prompt":"p","points":2,"rubric":[{"criterion":"c","points":2}],"answer":null}]}]}`))
	f.Add([]byte(`{"sections":[{"questions":[{"type":"single_choice","answer":["a"],"options":[]}]}]}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeDocStrict(data)
		if err != nil {
			return
		}
		before, err := json.Marshal(d)
		if err != nil {
			return // a RawMessage the encoder cannot re-encode; not our input
		}
		err = Validate(d)
		if after, _ := json.Marshal(d); string(after) != string(before) {
			t.Fatalf("Validate changed the document:\n%s\n%s", before, after)
		}
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Validate returned %v", err)
			}
			d.Normalize()
			return
		}
		d.Normalize()
		if err := Validate(d); err != nil {
			t.Fatalf("valid document invalid after Normalize: %v", err)
		}
		// Normalizing twice is the same as once.
		once, _ := json.Marshal(d)
		d.Normalize()
		if twice, _ := json.Marshal(d); string(twice) != string(once) {
			t.Fatalf("Normalize is not idempotent:\n%s\n%s", once, twice)
		}
		// A stored version is re-read with the same strict decoder.
		again, err := decodeDocStrict(once)
		if err != nil {
			t.Fatalf("normalized document does not decode: %v", err)
		}
		if err := Validate(again); err != nil {
			t.Fatalf("normalized document invalid after a round trip: %v", err)
		}
	})
}

func FuzzParseResponse(f *testing.F) {
	f.Add(0, []byte(`{"blanks": ["客人", ""]}`))
	f.Add(1, []byte(`{"value": true}`))
	f.Add(2, []byte(`{"choice": "b"}`))
	f.Add(3, []byte(`{"choices": ["a", "c", "a"]}`))
	f.Add(3, []byte(`{"choices": []}`))
	f.Add(4, []byte(`{"text": "…", "value": null}`))
	f.Add(4, []byte(`null`))

	d := fiveTypeDoc()
	questions := []*Question{questionAt(d, atFill), questionAt(d, atTF), questionAt(d, atSC), questionAt(d, atMC), questionAt(d, atEssay)}
	f.Fuzz(func(t *testing.T, which int, data []byte) {
		q := questions[uint(which)%uint(len(questions))]
		r, err := ParseResponse(q, data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("ParseResponse returned %v", err)
			}
			if !reflect.DeepEqual(r, Response{}) {
				t.Fatalf("refused response came with %+v", r)
			}
			return
		}
		set := 0
		for _, isSet := range []bool{r.Value != nil, r.Choice != nil, r.Choices != nil, r.Blanks != nil, r.Text != nil} {
			if isSet {
				set++
			}
		}
		if set != 1 {
			t.Fatalf("%d fields set in %+v", set, r)
		}
		// What is stored must read back the same.
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseResponse(q, b)
		if err != nil {
			t.Fatalf("stored %s refused: %v", b, err)
		}
		if !reflect.DeepEqual(r, again) {
			t.Fatalf("%+v came back as %+v", r, again)
		}
	})
}
