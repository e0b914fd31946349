package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"examd/exam"
)

type grAmendResult struct {
	Regraded int `json:"regraded"`
	Changed  []struct {
		AttemptID string  `json:"attempt_id"`
		OldScore  float64 `json:"old_score"`
		NewScore  float64 `json:"new_score"`
	} `json:"changed"`
}

// grSnapshot is what an amendment may change, read straight from the
// database: every attempt's stored scores and every review item's points.
type grSnapshot struct {
	Attempts []struct {
		ID              string
		Status          string
		ObjectiveScores string
		AutoScore       *float64
		ManualScore     *float64
		Score           *float64
		MaxScore        *float64
		Passed          *bool
	}
	Reviews []struct {
		ID      string
		Points  *float64
		Comment string
	}
	Document string
}

func (a *app) grSnapshot(examID string) grSnapshot {
	a.t.Helper()
	var s grSnapshot
	if err := a.db.Raw(`SELECT id, status, coalesce(objective_scores::text, '') AS objective_scores, auto_score, manual_score, score, max_score, passed
		FROM attempts WHERE exam_id = ? ORDER BY id`, examID).Scan(&s.Attempts).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.db.Raw(`SELECT id, points, comment FROM review_items WHERE exam_id = ? ORDER BY id`, examID).Scan(&s.Reviews).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.db.Raw(`SELECT document::text FROM exam_versions WHERE exam_id = ? AND version = 1`, examID).Scan(&s.Document).Error; err != nil {
		a.t.Fatal(err)
	}
	return s
}

type grVersion struct {
	Exam       exam.Document `json:"exam"`
	Amendments []struct {
		QuestionID string          `json:"question_id"`
		By         string          `json:"by"`
		OldKey     json.RawMessage `json:"old_key"`
		NewKey     json.RawMessage `json:"new_key"`
	} `json:"amendments"`
}

func (a *app) grVersion(token, examID string) grVersion {
	a.t.Helper()
	return getAs[grVersion](a, token, "/api/v1/exams/"+examID+"/versions/1")
}

func grJSONEqual(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(got, &x); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &y); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("got %s, want %s", got, want)
	}
}

// The demo exam, both candidates graded (78 and 51.5, see
// grading_e2e_test.go), and a third candidate still in progress.
func TestKeyAmendmentDryRunThenRegrade(t *testing.T) {
	t.Parallel()
	r := grRunDemo(t, true)
	a, rec := r.a, r.recruiter.AccessToken
	m3 := r.qid(grPos{3, 2}) // multiple choice, key [a d e f]
	f5 := r.qid(grPos{0, 4}) // fill-in, key 客户档案|档案|客户档案资料|业户档案
	// 王芳 (manager) answers 多选 3 with {a b} and does not submit yet.
	third := a.grStart(rec, r.exam.ID, "王芳", "wang.fang@example.cn", "manager")
	a.grAnswer(third, map[string]any{m3: grChoices("a", "b")})

	// Amend 多选 3's key to [a b d e f] (maximum 4 → 5):
	//   张伟 chose {a b c}: 1 − 2 → 0 before; 2 − 1 = 1 after: 78 → 79, max 120 → 121.
	//   李娜 chose {a d e f}: 4 before, 4 after: score 51.5 unchanged, max 121.
	//   王芳 is in progress: not re-scored.
	key := map[string]any{"answers": []string{"a", "b", "d", "e", "f"}}
	before := a.grSnapshot(r.exam.ID)
	var dry grAmendResult
	a.must(200, "PUT", "/api/v1/exams/"+r.exam.ID+"/versions/1/questions/"+m3+"/key?dry_run=true", key, rec).Decode(t, &dry)
	if dry.Regraded != 2 || len(dry.Changed) != 1 || dry.Changed[0].AttemptID != r.manager.AttemptID ||
		dry.Changed[0].OldScore != 78 || dry.Changed[0].NewScore != 79 {
		t.Fatalf("dry run: %+v", dry)
	}
	// Nothing written: scores, review items, the version and its amendments.
	if after := a.grSnapshot(r.exam.ID); !reflect.DeepEqual(before, after) {
		t.Fatalf("the dry run changed the database:\nbefore %+v\nafter  %+v", before, after)
	}
	v := a.grVersion(rec, r.exam.ID)
	if len(v.Amendments) != 0 || !reflect.DeepEqual(v.Exam.Sections[3].Questions[2].Answers, []string{"a", "d", "e", "f"}) {
		t.Fatalf("version after the dry run: %+v", v)
	}

	var real grAmendResult
	a.must(200, "PUT", "/api/v1/exams/"+r.exam.ID+"/versions/1/questions/"+m3+"/key", key, rec).Decode(t, &real)
	if !reflect.DeepEqual(real, dry) {
		t.Fatalf("real amendment %+v differs from its dry run %+v", real, dry)
	}
	res := a.grResults(rec, r.exam.ID)
	m, s, w := res[r.manager.AttemptID], res[r.supervisor.AttemptID], res[third.AttemptID]
	if !grEq(m.Score, 79) || !grEq(m.AutoScore, 19) || !grEq(m.ManualScore, 60) || !grEq(m.MaxScore, 121) || m.Passed == nil || !*m.Passed || m.Status != "graded" {
		t.Errorf("manager after amendment: %+v", m)
	}
	if !grEq(s.Score, 51.5) || !grEq(s.AutoScore, 21) || !grEq(s.ManualScore, 30.5) || !grEq(s.MaxScore, 121) || s.Passed == nil || *s.Passed {
		t.Errorf("supervisor after amendment: %+v", s)
	}
	if w.Status != "in_progress" || w.Score != nil || w.AutoScore != nil || w.MaxScore != nil || w.Passed != nil || w.SubmittedAt != nil {
		t.Errorf("in-progress attempt: %+v", w)
	}
	// Exactly the attempts listed moved; reviewers' points are untouched.
	after := a.grSnapshot(r.exam.ID)
	if !reflect.DeepEqual(before.Reviews, after.Reviews) {
		t.Errorf("review items changed:\nbefore %+v\nafter  %+v", before.Reviews, after.Reviews)
	}
	for i, at := range after.Attempts {
		old := before.Attempts[i]
		moved := !reflect.DeepEqual(old.Score, at.Score)
		if moved != (at.ID == r.manager.AttemptID) {
			t.Errorf("attempt %s: score %v → %v", at.ID, old.Score, at.Score)
		}
		if !reflect.DeepEqual(old.ManualScore, at.ManualScore) {
			t.Errorf("attempt %s: manual score %v → %v", at.ID, old.ManualScore, at.ManualScore)
		}
	}
	md, _ := a.grDetail(rec, r.manager.AttemptID)
	for _, q := range md.Questions {
		if q.QuestionID == m3 && (!grEq(q.PointsAwarded, 1) || q.MaxPoints != 5) {
			t.Errorf("manager's 多选 3 after amendment: %v of %v", q.PointsAwarded, q.MaxPoints)
		}
		if q.Type == "essay" && q.GradedBy != nil && *q.GradedBy == "reviewer" && q.Comment == nil {
			t.Errorf("essay lost its comment: %+v", q)
		}
	}
	// The version shows the amended key and the amendment, who and what.
	v = a.grVersion(rec, r.exam.ID)
	if !reflect.DeepEqual(v.Exam.Sections[3].Questions[2].Answers, []string{"a", "b", "d", "e", "f"}) || len(v.Amendments) != 1 {
		t.Fatalf("version after amendment: %+v", v)
	}
	am := v.Amendments[0]
	if am.QuestionID != m3 || am.By != r.recruiter.User.ID {
		t.Errorf("amendment: %+v", am)
	}
	grJSONEqual(t, am.OldKey, `{"answers": ["a", "d", "e", "f"]}`)
	grJSONEqual(t, am.NewKey, `{"answers": ["a", "b", "d", "e", "f"]}`)

	// 王芳 submits after the amendment and is scored with the new key:
	// {a b} of [a b d e f] = 2; nothing else answered (essays blank: graded).
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, third.Token)
	w = a.grResults(rec, r.exam.ID)[third.AttemptID]
	if w.Status != "graded" || !grEq(w.Score, 2) || !grEq(w.MaxScore, 121) || w.Passed == nil || *w.Passed {
		t.Errorf("attempt submitted after the amendment: %+v", w)
	}

	// A second amendment, of a fill-in key: accepting "客户 档案" gives
	// 李娜's "客户　档案" (NFKC: "客户 档案") its point: 51.5 → 52.5.
	blanks := map[string]any{"blanks": []any{map[string]any{"accepted": []string{"客户档案", "档案", "客户档案资料", "业户档案", "客户 档案"}, "points": 1}}}
	a.must(200, "PUT", "/api/v1/exams/"+r.exam.ID+"/versions/1/questions/"+f5+"/key?dry_run=true", blanks, rec).Decode(t, &dry)
	a.must(200, "PUT", "/api/v1/exams/"+r.exam.ID+"/versions/1/questions/"+f5+"/key?dry_run=false", blanks, rec).Decode(t, &real)
	if real.Regraded != 3 || len(real.Changed) != 1 || real.Changed[0].AttemptID != r.supervisor.AttemptID ||
		real.Changed[0].OldScore != 51.5 || real.Changed[0].NewScore != 52.5 || !reflect.DeepEqual(real, dry) {
		t.Fatalf("fill-in amendment: %+v (dry run %+v)", real, dry)
	}
	if s := a.grResults(rec, r.exam.ID)[r.supervisor.AttemptID]; !grEq(s.Score, 52.5) || !grEq(s.ManualScore, 30.5) || s.Passed == nil || *s.Passed {
		t.Errorf("supervisor after the fill-in amendment: %+v", s)
	}
	if v := a.grVersion(rec, r.exam.ID); len(v.Amendments) != 2 || v.Amendments[1].QuestionID != f5 {
		t.Errorf("amendments: %+v", v.Amendments)
	}
	// The CSV follows: section 一 of 李娜 is now 5, and the sections still sum.
	cr := a.must(200, "GET", "/api/v1/exams/"+r.exam.ID+"/results.csv", nil, rec)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(cr.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	first := slices.Index(rows[0], "submitted_by") + 1 // the first section's column
	for _, row := range rows[1:] {
		if row[1] == r.supervisor.AttemptID && (row[first] != "5" || row[8] != "52.5") {
			t.Errorf("supervisor's CSV row: %q", row)
		}
	}
}

func TestKeyAmendmentRules(t *testing.T) {
	a := parallelApp(t)
	_, recS, revS := a.team("Amend Org", "amend.test")
	rec, rev := recS.AccessToken, revS.AccessToken
	e := a.grPublish(rec, map[string]any{"title": "Keys", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{map[string]any{"title": "S", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "tf", "answer": true, "points": 1},
			map[string]any{"type": "single_choice", "prompt": "sc", "options": []any{
				map[string]any{"key": "a", "text": "A"}, map[string]any{"key": "b", "text": "B"}}, "answer": "a", "points": 2},
			map[string]any{"type": "essay", "prompt": "essay", "points": 3},
		}}}})
	ids := grQuestionIDs(e)
	tf, sc, essay := ids[0], ids[1], ids[2]
	path := func(examID, v, qid string) string {
		return "/api/v1/exams/" + examID + "/versions/" + v + "/questions/" + qid + "/key"
	}
	// Two candidates: one right (a), one wrong (b), both graded at once.
	right := a.grTake(rec, e.ID, "Right", "right@cand.test", "", map[string]any{sc: grChoice("a"), tf: grBool(true)})
	wrong := a.grTake(rec, e.ID, "Wrong", "wrong@cand.test", "", map[string]any{sc: grChoice("b"), essay: grText("  ")})

	// 422: the key breaks the authoring rules or the question has none.
	for _, c := range []struct {
		qid, body, field string
	}{
		{sc, `{"answer": "z"}`, "answer"},
		{sc, `{"answer": true}`, "answer"},
		{sc, `{"answers": ["a"]}`, "answers"},
		{tf, `{"answer": "yes"}`, "answer"},
		{tf, `{}`, "answer"},
		{essay, `{"answer": "a"}`, ""},
	} {
		r := a.must(422, "PUT", path(e.ID, "1", c.qid), c.body, rec)
		var body rvError
		r.Decode(t, &body)
		found := false
		for _, d := range body.Error.Details {
			found = found || d.Field == c.field
		}
		if body.Error.Code != "validation_failed" || !found {
			t.Errorf("%s: %s", c.body, r.Body)
		}
	}
	// 400: bad JSON or a bad dry_run value; 404: unknown exam, version or question.
	for _, c := range []struct {
		status     int
		path, body string
	}{
		{400, path(e.ID, "1", sc) + "?dry_run=yes", `{"answer": "b"}`},
		{400, path(e.ID, "1", sc), `{"answer": "b"`},
		{400, path(e.ID, "1", sc), `["b"]`},
		{400, path(e.ID, "1", sc), `null`},
		{404, path(e.ID, "2", sc), `{"answer": "b"}`},
		{404, path(e.ID, "x", sc), `{"answer": "b"}`},
		{404, path(e.ID, "1", "00000000-0000-0000-0000-000000000000"), `{"answer": "b"}`},
		{404, path("00000000-0000-0000-0000-000000000000", "1", sc), `{"answer": "b"}`},
		{404, path("not-an-id", "1", sc), `{"answer": "b"}`},
	} {
		if r := a.do("PUT", c.path, c.body, rec); r.Status != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.path, c.body, r.Status, r.Body, c.status)
		}
	}
	// Another organization's recruiter: 404; a reviewer: 403.
	admin2 := a.signup("Other Org", "admin@other.test")
	rec2 := a.staff(admin2.AccessToken, "recruiter", "rec@other.test").AccessToken
	a.must(404, "PUT", path(e.ID, "1", sc), `{"answer": "b"}`, rec2)
	a.must(403, "PUT", path(e.ID, "1", sc), `{"answer": "b"}`, rev)
	if v := a.grVersion(rec, e.ID); len(v.Amendments) != 0 {
		t.Fatalf("a refused amendment was recorded: %+v", v.Amendments)
	}

	// Swap the key to b: Right 1 + 2 = 3 → 1 + 0 = 1; Wrong 0 → 2 (now passes, pass score 1).
	var res grAmendResult
	a.must(200, "PUT", path(e.ID, "1", sc), `{"answer": "b"}`, rec).Decode(t, &res)
	sort.Slice(res.Changed, func(i, j int) bool { return res.Changed[i].OldScore > res.Changed[j].OldScore })
	if res.Regraded != 2 || len(res.Changed) != 2 ||
		res.Changed[0].AttemptID != right.AttemptID || res.Changed[0].OldScore != 3 || res.Changed[0].NewScore != 1 ||
		res.Changed[1].AttemptID != wrong.AttemptID || res.Changed[1].OldScore != 0 || res.Changed[1].NewScore != 2 {
		t.Fatalf("amendment: %+v", res)
	}
	list := a.grResults(rec, e.ID)
	if w := list[wrong.AttemptID]; w.Passed == nil || !*w.Passed || !grEq(w.Score, 2) {
		t.Errorf("wrong after amendment: %+v", w)
	}
	// The same key again changes nothing but is still recorded.
	a.must(200, "PUT", path(e.ID, "1", sc), `{"answer": "b"}`, rec).Decode(t, &res)
	if res.Regraded != 2 || len(res.Changed) != 0 {
		t.Errorf("repeated amendment: %+v", res)
	}
	if v := a.grVersion(rec, e.ID); len(v.Amendments) != 2 {
		t.Errorf("amendments: %+v", v.Amendments)
	}
}

func TestResultsAccessAndStates(t *testing.T) {
	a := parallelApp(t)
	_, recS, revS := a.team("Results Org", "results.test")
	rec, rev := recS.AccessToken, revS.AccessToken
	e := a.grPublish(rec, grEssayExam("Results", 2, 4))
	ids := grQuestionIDs(e)

	// No attempts yet: an empty list, and a CSV of the header alone.
	if got := a.grResults(rec, e.ID); len(got) != 0 {
		t.Fatalf("results: %+v", got)
	}
	cr := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/results.csv", nil, rec)
	if string(cr.Body) != "\uFEFFinvitation_id,attempt_id,candidate_name,candidate_email,track,status,auto_score,manual_score,score,max_score,passed,submitted_at,submitted_by,Essays\r\n" {
		t.Fatalf("empty CSV: %q", cr.Body)
	}

	// One attempt in progress, one waiting for review; a name that a
	// spreadsheet would run as a formula.
	open := a.grStart(rec, e.ID, "=HYPERLINK(\"http://x\")", "f@cand.test", "")
	a.grAnswer(open, map[string]any{ids[0]: grText("draft")})
	waiting := a.grTake(rec, e.ID, "等待", "wait@cand.test", "", map[string]any{ids[0]: grText("essay one")})

	list := a.grResults(rec, e.ID)
	o, w := list[open.AttemptID], list[waiting.AttemptID]
	if o.Status != "in_progress" || o.AutoScore != nil || o.ManualScore != nil || o.Score != nil || o.MaxScore != nil || o.Passed != nil ||
		o.SubmittedAt != nil || o.SubmittedBy != nil {
		t.Errorf("in progress: %+v", o)
	}
	if w.Status != "grading" || !grEq(w.AutoScore, 0) || !grEq(w.Score, 0) || !grEq(w.MaxScore, 8) || w.Passed != nil {
		t.Errorf("grading: %+v", w)
	}
	// In progress: no question has points yet, the saved response shows.
	od, _ := a.grDetail(rec, open.AttemptID)
	if len(od.Questions) != 2 || od.Questions[0].PointsAwarded != nil || od.Questions[0].GradedBy != nil ||
		!grSameResponse(od.Questions[0].Response, grText("draft")) || string(od.Questions[1].Response) != "null" || od.Score != nil {
		t.Errorf("in-progress detail: %+v", od)
	}
	// Grading: the answered essay waits; the unanswered one scored 0 automatically.
	wd, _ := a.grDetail(rec, waiting.AttemptID)
	if wd.Questions[0].PointsAwarded != nil || wd.Questions[0].GradedBy != nil ||
		!grEq(wd.Questions[1].PointsAwarded, 0) || wd.Questions[1].GradedBy == nil || *wd.Questions[1].GradedBy != "auto" {
		t.Errorf("grading detail: %+v", wd.Questions)
	}

	cr = a.must(200, "GET", "/api/v1/exams/"+e.ID+"/results.csv", nil, rec)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(cr.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("CSV: %v %q", err, rows)
	}
	for _, row := range rows[1:] {
		switch row[1] {
		case open.AttemptID:
			if row[2] != `'=HYPERLINK("http://x")` || row[5] != "in_progress" || row[8] != "" || row[13] != "" {
				t.Errorf("in-progress row: %q", row)
			}
		case waiting.AttemptID:
			if row[2] != "等待" || row[5] != "grading" || row[8] != "0" || row[10] != "" || row[13] != "0" {
				t.Errorf("grading row: %q", row)
			}
		}
	}
	if !strings.HasSuffix(cr.Header.Get("Content-Disposition"), `.csv"`) {
		t.Errorf("content disposition %q", cr.Header.Get("Content-Disposition"))
	}

	// Another organization sees none of it; reviewers and candidates may not.
	admin2 := a.signup("Other Org", "admin@other.test")
	for _, p := range []string{"/api/v1/exams/" + e.ID + "/results", "/api/v1/exams/" + e.ID + "/results.csv",
		"/api/v1/attempts/" + waiting.AttemptID} {
		a.must(404, "GET", p, nil, admin2.AccessToken)
		a.must(403, "GET", p, nil, rev)
		a.must(401, "GET", p, nil, waiting.Token)
	}
	for _, p := range []string{"/api/v1/exams/not-an-id/results", "/api/v1/exams/00000000-0000-0000-0000-000000000000/results.csv",
		"/api/v1/attempts/not-an-id", "/api/v1/attempts/00000000-0000-0000-0000-000000000000", "/api/v1/attempts/" + waiting.InvitationID} {
		a.must(404, "GET", p, nil, rec)
	}
}
