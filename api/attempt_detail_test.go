package api

import (
	"encoding/json"
	"testing"
)

func TestAttemptDetailShowsTheKeyBesideEachAnswer(t *testing.T) {
	a := parallelApp(t)
	s, _, c, att := a.startedAttempt("detail@acme.test", smallExam(600, 0), "manager")
	save := func(typ string, resp any) {
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question(typ)["id"].(string), map[string]any{"response": resp, "seq": 1}, c.token)
	}
	save("single_choice", map[string]string{"choice": "b"})
	save("multiple_choice", map[string]any{"choices": []string{"a", "c"}})
	save("fill_in", map[string]any{"blanks": []string{"客人", "xyz"}})
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)

	var d struct {
		Questions []struct {
			Type    string          `json:"type"`
			Key     json.RawMessage `json:"key"`
			Options []struct {
				Key     string `json:"key"`
				Correct bool   `json:"correct"`
				Chosen  bool   `json:"chosen"`
			} `json:"options"`
			Blanks []struct {
				Accepted []string `json:"accepted"`
				Correct  *bool    `json:"correct"`
			} `json:"blanks"`
		} `json:"questions"`
	}
	a.must(200, "GET", "/api/v1/attempts/"+att.ID, nil, s.AccessToken).Decode(t, &d)
	seen := 0
	for _, q := range d.Questions {
		switch q.Type {
		case "single_choice":
			seen++
			grJSONEqual(t, q.Key, `{"answer": "a"}`)
			if len(q.Options) != 2 || !q.Options[0].Correct || q.Options[0].Chosen || q.Options[1].Correct || !q.Options[1].Chosen {
				t.Errorf("single choice options: %+v", q.Options)
			}
		case "multiple_choice":
			seen++
			grJSONEqual(t, q.Key, `{"answers": ["a", "b"]}`)
			want := []struct{ correct, chosen bool }{{true, true}, {true, false}, {false, true}}
			for i, o := range q.Options {
				if o.Correct != want[i].correct || o.Chosen != want[i].chosen {
					t.Errorf("option %s: %+v, want %+v", o.Key, o, want[i])
				}
			}
		case "fill_in":
			seen++
			if len(q.Blanks) != 2 || q.Blanks[0].Correct == nil || !*q.Blanks[0].Correct || q.Blanks[1].Correct == nil || *q.Blanks[1].Correct ||
				q.Blanks[1].Accepted[0] != "ABC" {
				t.Errorf("blanks: %+v", q.Blanks)
			}
		case "true_false":
			seen++
			grJSONEqual(t, q.Key, `{"answer": false}`)
			if q.Options != nil || q.Blanks != nil {
				t.Errorf("true_false has options or blanks: %+v", q)
			}
		case "essay":
			seen++
			if string(q.Key) != "null" {
				t.Errorf("essay key: %s", q.Key)
			}
		}
	}
	if seen != 5 {
		t.Fatalf("saw %d of 5 question types", seen)
	}
}

func TestAmendmentsNameThePersonAndTheReason(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "amendname@acme.test")
	rec := a.staff(s.AccessToken, "recruiter", "rec@amendname.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 0))
	tf := a.grVersion(s.AccessToken, id).questionOfType("true_false")
	path := "/api/v1/exams/" + id + "/versions/1/questions/" + tf + "/key"
	a.must(200, "PUT", path+"?dry_run=true", map[string]any{"answer": true}, rec.AccessToken)
	a.must(400, "PUT", path, map[string]any{"answer": true, "reason": 5}, rec.AccessToken)
	long := make([]rune, 1001)
	for i := range long {
		long[i] = '长'
	}
	a.must(422, "PUT", path, map[string]any{"answer": true, "reason": string(long)}, rec.AccessToken)
	a.must(200, "PUT", path, map[string]any{"answer": true, "reason": "节能规定已改"}, rec.AccessToken)
	var got struct {
		Amendments []struct {
			By     string `json:"by"`
			ByName string `json:"by_name"`
			Reason string `json:"reason"`
		} `json:"amendments"`
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/versions/1", nil, s.AccessToken).Decode(t, &got)
	if len(got.Amendments) != 1 || got.Amendments[0].ByName != "recruiter rec@amendname.test" || got.Amendments[0].Reason != "节能规定已改" {
		t.Fatalf("amendments: %+v", got.Amendments)
	}
	es := a.auditActions(s.User.Organization.ID, "exam:"+id+"/v1/"+tf)
	if len(es) != 1 || es[0].Action != "key.amended" || es[0].Role != "recruiter" {
		t.Fatalf("audit: %+v", es)
	}
}
