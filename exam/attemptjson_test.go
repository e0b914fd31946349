package exam

import (
	"encoding/json"
	"testing"
	"time"
)

// The hand-written acknowledgement must be byte for byte what
// encoding/json writes for it, whatever the id and the times hold.
func TestSaveResultAppendJSONIsEncodingJSONs(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	for _, r := range []SaveResult{
		{QuestionID: "6f1c2a4e-9b1d-4c55-8d2e-0a1b2c3d4e5f", Seq: 1, SavedAt: time.Date(2026, 12, 3, 0, 1, 2, 345678000, time.UTC),
			Clock: Clock{time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 0, 1, 2, 345679123, time.UTC)}},
		{QuestionID: `q<1>&"\`, Seq: 1<<53 - 1, SavedAt: time.Date(1999, 1, 2, 3, 4, 5, 0, shanghai),
			Clock: Clock{time.Date(2026, 2, 28, 23, 59, 59, 999999999, shanghai), time.Unix(0, 0).UTC()}},
	} {
		want, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("AppendJSON wrote\n%s\nencoding/json writes\n%s", got, want)
		}
	}
}
