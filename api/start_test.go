package api

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"examd/exam"
)

// startBody is a started attempt with its view kept as bytes, to compare
// a start, a repeated start and a resume exactly.
type startBody struct {
	ID        string          `json:"id"`
	Status    string          `json:"status"`
	StartedAt string          `json:"started_at"`
	Deadline  string          `json:"deadline"`
	Submitted *string         `json:"submitted_at"`
	Grace     int             `json:"grace_seconds"`
	Title     string          `json:"title"`
	Sections  json.RawMessage `json:"sections"`
	Responses json.RawMessage `json:"responses"`
}

// A start answers with the attempt as a resume shows it; a second start
// returns the same attempt (200), and a resume of a drawn attempt shows
// exactly the questions drawn at start, in the same order, with its saves.
func TestStartThenRestartAndResumeShowTheSameAttempt(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "start@acme.test")
	tok := s.AccessToken
	pool := drawBank(a, tok, "投诉处理", 30, 2)
	drawn := drawExam(5)
	drawn["shuffle_questions"], drawn["shuffle_options"] = true, true
	plain := drawExam(5)
	plain["sections"] = plain["sections"].([]any)[:1]
	for name, doc := range map[string]map[string]any{"draws": drawn, "plain": plain} {
		func() {
			e := a.draftExam(tok, doc)
			a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, tok)
			inv := a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": name, "candidate_email": name + "@cand.test"}, tok).JSON()
			ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
			ct := ses["access_token"].(string)

			var first, again, resumed startBody
			a.must(201, "POST", "/api/v1/candidate/attempt", nil, ct).Decode(t, &first)
			if first.Status != "in_progress" || first.Submitted != nil || string(first.Responses) != "{}" || first.Title != "客服经理笔试（抽题）" || first.Deadline <= first.StartedAt {
				t.Fatalf(name+": fresh attempt: %+v", first)
			}
			a.must(200, "POST", "/api/v1/candidate/attempt", nil, ct).Decode(t, &again)
			if again.ID != first.ID || again.StartedAt != first.StartedAt || again.Deadline != first.Deadline || again.Grace != first.Grace ||
				!bytes.Equal(again.Sections, first.Sections) || string(again.Responses) != "{}" {
				t.Fatalf(name+": second start differs:\n%+v\n%+v", again, first)
			}

			var view []exam.CandidateSection
			if err := json.Unmarshal(first.Sections, &view); err != nil {
				t.Fatal(err)
			}
			q := view[0].Questions[0].ID
			if name == "draws" {
				if len(view) != 2 || len(view[1].Questions) != 5 {
					t.Fatalf(name+": view %s", first.Sections)
				}
				var got []string
				for _, dq := range view[1].Questions {
					if !slices.Contains(pool, dq.ID) {
						t.Fatalf(name+": %s is not of the pool", dq.ID)
					}
					got = append(got, dq.ID)
				}
				// The view shows what the attempt stored as its draw.
				var stored []byte
				if err := a.db.Raw(`SELECT drawn FROM attempts WHERE id = ?`, first.ID).Row().Scan(&stored); err != nil {
					t.Fatal(err)
				}
				var ids []string
				if err := json.Unmarshal(stored, &ids); err != nil {
					t.Fatal(err)
				}
				if slices.Sort(got); !slices.Equal(got, slices.Sorted(slices.Values(ids))) {
					t.Fatalf(name+": view shows %v, the attempt drew %v", got, ids)
				}
				q = view[1].Questions[2].ID
				a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+q, map[string]any{"response": map[string]string{"choice": "A"}, "seq": 1}, ct)
			} else {
				a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+q, map[string]any{"response": map[string]bool{"value": true}, "seq": 1}, ct)
			}
			a.must(200, "GET", "/api/v1/candidate/attempt", nil, ct).Decode(t, &resumed)
			var saved map[string]struct {
				Seq int64 `json:"seq"`
			}
			if err := json.Unmarshal(resumed.Responses, &saved); err != nil {
				t.Fatal(err)
			}
			if resumed.ID != first.ID || resumed.Deadline != first.Deadline || !bytes.Equal(resumed.Sections, first.Sections) || len(saved) != 1 || saved[q].Seq != 1 {
				t.Fatalf(name+": resume differs from the start or lost the save:\n%+v\n%s", resumed, first.Sections)
			}
			a.must(200, "POST", "/api/v1/candidate/attempt", nil, ct).Decode(t, &again)
			if again.ID != first.ID || !bytes.Equal(again.Sections, first.Sections) || !bytes.Equal(again.Responses, resumed.Responses) {
				t.Fatalf(name+": a start after a save: %+v", again)
			}
		}()
	}
}

// A session opened in the window does not let a start through once the
// invitation is revoked or its window moved: each start is refused with
// the reason, and no attempt is made.
func TestStartRefusedAfterTheSessionWhenRevokedOrOutsideTheWindow(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "window@acme.test")
	tok := s.AccessToken
	plain := drawExam(5)
	plain["sections"] = plain["sections"].([]any)[:1]
	e := a.draftExam(tok, plain)
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, tok)
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	for _, c := range []struct {
		name   string
		change func(id string)
		status int
		code   string
	}{
		{"revoked", func(id string) { a.must(204, "DELETE", "/api/v1/invitations/"+id, nil, tok) }, 401, "invalid_invitation"},
		{"closed", func(id string) {
			a.must(200, "PATCH", "/api/v1/invitations/"+id, map[string]any{"closes_at": past}, tok)
		}, 403, "window_closed"},
		// The API moves no opens_at once invited; the database can.
		{"not open", func(id string) {
			if err := a.db.Exec(`UPDATE invitations SET opens_at = now() + interval '1 hour' WHERE id = ?`, id).Error; err != nil {
				t.Fatal(err)
			}
		}, 403, "not_open"},
	} {
		inv := a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": c.name, "candidate_email": "w@cand.test"}, tok).JSON()
		ct := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()["access_token"].(string)
		id := inv["id"].(string)
		c.change(id)
		for range 2 {
			if r := a.do("POST", "/api/v1/candidate/attempt", nil, ct); r.Status != c.status || r.Code() != c.code {
				t.Fatalf("%s: start answered %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
			}
		}
		var n int
		if err := a.db.Raw(`SELECT count(*) FROM attempts WHERE invitation_id = ?`, id).Row().Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s: %d attempts (%v)", c.name, n, err)
		}
	}
}
