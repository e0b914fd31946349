package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"examd/exam/demo"
)

// smallExam is a valid document with every question type; keys are given
// as canary strings when canary is set, so leak tests can look for them.
func smallExam(limit, grace int) map[string]any {
	return map[string]any{
		"title": "小测验 Small exam", "description": "all five types", "time_limit_seconds": limit, "grace_seconds": grace,
		"pass_score": 3, "tracks": []string{"manager", "supervisor"}, "shuffle_questions": false, "shuffle_options": false,
		"show_score_to_candidate": true,
		"sections": []any{
			map[string]any{"title": "一、填空", "instructions": "每空1分", "questions": []any{
				map[string]any{"type": "fill_in", "prompt": "先向{{1}}致意,再向{{2}}致意。", "blanks": []any{
					map[string]any{"accepted": []string{"客人"}, "points": 1}, map[string]any{"accepted": []string{"ABC"}, "points": 1}}},
			}},
			map[string]any{"title": "二、判断与选择", "questions": []any{
				map[string]any{"type": "true_false", "prompt": "节能时关闭疏散楼梯照明。", "answer": false, "points": 1},
				map[string]any{"type": "single_choice", "prompt": "上班途中交通事故是否属于工伤?",
					"options": []any{map[string]any{"key": "a", "text": "是"}, map[string]any{"key": "b", "text": "不是"}}, "answer": "a", "points": 1},
				map[string]any{"type": "multiple_choice", "prompt": "5A 包括", "options": []any{
					map[string]any{"key": "a", "text": "办公"}, map[string]any{"key": "b", "text": "通讯"}, map[string]any{"key": "c", "text": "绿化"}},
					"answers": []string{"a", "b"}},
			}},
			map[string]any{"title": "三、论述", "questions": []any{
				map[string]any{"type": "essay", "prompt": "经理应重点做好哪些工作?", "points": 10, "tracks": []string{"manager"},
					"reference_answer": "服务、培训、投诉处理", "rubric": []any{map[string]any{"criterion": "服务意识", "points": 5}}},
				map[string]any{"type": "essay", "prompt": "主管如何排班?", "points": 5, "tracks": []string{"supervisor"}},
			}},
		},
	}
}

type examResp struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	LatestVersion int    `json:"latest_version"`
	Title         string `json:"title"`
	Sections      []struct {
		ID        string           `json:"id"`
		Title     string           `json:"title"`
		Questions []map[string]any `json:"questions"`
	} `json:"sections"`
}

func TestExamValidationListsEveryProblem(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "v@acme.test")
	cases := []struct {
		name  string
		edit  func(d map[string]any)
		paths []string
	}{
		{"time limit", func(d map[string]any) { d["time_limit_seconds"] = 0 }, []string{"time_limit_seconds"}},
		{"negative grace", func(d map[string]any) { d["grace_seconds"] = -1 }, []string{"grace_seconds"}},
		{"half points", func(d map[string]any) { q(d, 1, 0)["points"] = 0.3 }, []string{"sections[1].questions[0].points"}},
		{"unknown option key", func(d map[string]any) { q(d, 1, 2)["answers"] = []string{"a", "h"} }, []string{"sections[1].questions[2].answers[1]"}},
		{"single answer not a key", func(d map[string]any) { q(d, 1, 1)["answer"] = "z" }, []string{"sections[1].questions[1].answer"}},
		{"true_false answer not boolean", func(d map[string]any) { q(d, 1, 0)["answer"] = "yes" }, []string{"sections[1].questions[0].answer"}},
		{"placeholder count", func(d map[string]any) { q(d, 0, 0)["prompt"] = "只有{{1}}" }, []string{"sections[0].questions[0].prompt"}},
		{"unknown track", func(d map[string]any) { q(d, 2, 0)["tracks"] = []string{"ceo"} }, []string{"sections[2].questions[0].tracks[0]"}},
		{"track label for no track", func(d map[string]any) { d["track_labels"] = map[string]string{"ceo": "总裁"} }, []string{"track_labels.ceo"}},
		{"track label blank", func(d map[string]any) { d["track_labels"] = map[string]string{"manager": " "} }, []string{"track_labels.manager"}},
		{"rubric over points", func(d map[string]any) {
			q(d, 2, 0)["rubric"] = []any{map[string]any{"criterion": "x", "points": 11}}
		}, []string{"sections[2].questions[0].rubric"}},
		{"five mistakes", func(d map[string]any) {
			d["time_limit_seconds"] = 0
			q(d, 1, 0)["points"] = 0
			q(d, 1, 2)["answers"] = []string{"a", "h"}
			q(d, 0, 0)["blanks"] = []any{map[string]any{"accepted": []string{""}, "points": 1}, map[string]any{"accepted": []string{"x"}, "points": 1}}
			q(d, 2, 1)["tracks"] = []string{"ceo"}
		}, []string{"sections[0].questions[0].blanks[0].accepted[0]", "sections[1].questions[0].points",
			"sections[1].questions[2].answers[1]", "sections[2].questions[1].tracks[0]", "time_limit_seconds"}},
	}
	for _, tc := range cases {
		d := smallExam(600, 30)
		tc.edit(d)
		r := a.do("POST", "/api/v1/exams", d, s.AccessToken)
		if r.Status != 422 || r.Code() != "validation_failed" {
			t.Errorf("%s: %d %s", tc.name, r.Status, truncate(r.Body))
			continue
		}
		var body struct {
			Error struct {
				Details []struct{ Field, Message string } `json:"details"`
			} `json:"error"`
		}
		r.Decode(t, &body)
		var got []string
		for _, d := range body.Error.Details {
			got = append(got, d.Field)
			if d.Message == "" {
				t.Errorf("%s: empty message for %s", tc.name, d.Field)
			}
		}
		sort.Strings(got)
		want := append([]string(nil), tc.paths...)
		sort.Strings(want)
		if !equalStrings(got, want) {
			t.Errorf("%s: paths %v, want %v", tc.name, got, want)
		}
	}
	var n int64
	a.db.Raw("SELECT count(*) FROM exams").Scan(&n)
	if n != 0 {
		t.Fatalf("invalid exams were stored: %d", n)
	}
	// Wrong JSON types and unknown fields are 400, not 422.
	d := smallExam(600, 30)
	d["time_limit_seconds"] = "ten"
	if r := a.do("POST", "/api/v1/exams", d, s.AccessToken); r.Status != 400 {
		t.Fatalf("string time limit: %d", r.Status)
	}
	d = smallExam(600, 30)
	d["colour"] = "red"
	if r := a.do("POST", "/api/v1/exams", d, s.AccessToken); r.Status != 400 {
		t.Fatalf("unknown field: %d", r.Status)
	}
}

func q(d map[string]any, si, qi int) map[string]any {
	return d["sections"].([]any)[si].(map[string]any)["questions"].([]any)[qi].(map[string]any)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestExamRoundTripReplaceAndPublishFreezes(t *testing.T) {
	a := parallelApp(t)
	admin := a.signup("Acme", "rt@acme.test")
	rec := a.staff(admin.AccessToken, "recruiter", "rec@acme.test")
	created := a.draftExam(rec.AccessToken, smallExam(600, 30))
	if created.Status != "draft" || created.LatestVersion != 0 || created.ID == "" {
		t.Fatalf("created: %+v", created)
	}
	ids := map[string]bool{}
	for _, s := range created.Sections {
		if s.ID == "" || ids[s.ID] {
			t.Fatal("section without a unique id")
		}
		ids[s.ID] = true
		for _, qq := range s.Questions {
			if qq["id"] == "" || ids[qq["id"].(string)] {
				t.Fatal("question without a unique id")
			}
			ids[qq["id"].(string)] = true
		}
	}
	// What is read back is what was created (with defaults filled in).
	got := a.must(200, "GET", "/api/v1/exams/"+created.ID, nil, rec.AccessToken)
	var back examResp
	got.Decode(t, &back)
	if back.Title != "小测验 Small exam" || len(back.Sections) != 3 || back.Sections[1].Questions[2]["scoring"] == nil {
		t.Fatalf("read back: %s", truncate(got.Body))
	}
	var full map[string]any
	got.Decode(t, &full)
	if q(full, 0, 0)["blanks"].([]any)[1].(map[string]any)["accepted"].([]any)[0] != "ABC" || q(full, 1, 1)["answer"] != "a" {
		t.Fatalf("keys not kept: %s", truncate(got.Body))
	}

	// Publish version 1, then edit the draft: version 1 stays byte-for-byte.
	pub := a.must(201, "POST", "/api/v1/exams/"+created.ID+"/publish", nil, rec.AccessToken).JSON()
	if pub["version"].(float64) != 1 || pub["exam_id"] != created.ID || pub["published_at"] == nil {
		t.Fatalf("publish: %v", pub)
	}
	v1 := a.must(200, "GET", "/api/v1/exams/"+created.ID+"/versions/1", nil, rec.AccessToken).Body

	// Replace: keep the first section and first question by id, change a
	// prompt, drop a question, add a new one.
	edit := full
	delete(edit, "id")
	delete(edit, "status")
	delete(edit, "latest_version")
	delete(edit, "created_at")
	delete(edit, "updated_at")
	edit["title"] = "小测验 v2"
	q(edit, 0, 0)["prompt"] = "改过的{{1}}和{{2}}"
	sec1 := edit["sections"].([]any)[1].(map[string]any)
	sec1["questions"] = append(sec1["questions"].([]any)[:2], map[string]any{"type": "true_false", "prompt": "新题", "answer": true, "points": 1})
	var replaced examResp
	a.must(200, "PUT", "/api/v1/exams/"+created.ID, edit, rec.AccessToken).Decode(t, &replaced)
	if replaced.Sections[0].ID != created.Sections[0].ID || replaced.Sections[0].Questions[0]["id"] != created.Sections[0].Questions[0]["id"] ||
		replaced.Sections[1].Questions[1]["id"] != created.Sections[1].Questions[1]["id"] {
		t.Fatal("replace did not keep ids of kept questions")
	}
	if newID := replaced.Sections[1].Questions[2]["id"]; newID == "" || ids[newID.(string)] {
		t.Fatalf("new question got id %v", newID)
	}
	if replaced.LatestVersion != 1 {
		t.Fatalf("latest_version %d", replaced.LatestVersion)
	}
	v1again := a.must(200, "GET", "/api/v1/exams/"+created.ID+"/versions/1", nil, rec.AccessToken).Body
	if !bytes.Equal(v1, v1again) {
		t.Fatalf("version 1 changed after editing the draft:\n%s\n%s", v1, v1again)
	}
	var ver struct {
		Exam struct {
			Title string `json:"title"`
		} `json:"exam"`
		Amendments []any `json:"amendments"`
	}
	json.Unmarshal(v1again, &ver)
	if ver.Exam.Title != "小测验 Small exam" || ver.Amendments == nil {
		t.Fatalf("version 1: %s", truncate(v1again))
	}
	// Version 2 freezes the edit.
	a.must(201, "POST", "/api/v1/exams/"+created.ID+"/publish", nil, rec.AccessToken)
	a.must(200, "GET", "/api/v1/exams/"+created.ID+"/versions/2", nil, rec.AccessToken)
	a.must(404, "GET", "/api/v1/exams/"+created.ID+"/versions/3", nil, rec.AccessToken)
	// A made-up id in a replace is refused, naming the field.
	q(edit, 0, 0)["id"] = "00000000-0000-0000-0000-000000000000"
	r := a.do("PUT", "/api/v1/exams/"+created.ID, edit, rec.AccessToken)
	if r.Status != 422 || !bytes.Contains(r.Body, []byte("sections[0].questions[0].id")) {
		t.Fatalf("unknown id: %d %s", r.Status, r.Body)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams", nil, rec.AccessToken).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0]["latest_version"].(float64) != 2 {
		t.Fatalf("list: %v", list.Items)
	}
}

func TestExamAccess(t *testing.T) {
	a := parallelApp(t)
	adminA := a.signup("A", "a@a.test")
	reviewer := a.staff(adminA.AccessToken, "reviewer", "rev@a.test")
	e := a.draftExam(adminA.AccessToken, smallExam(600, 30))
	a.must(403, "GET", "/api/v1/exams", nil, reviewer.AccessToken)
	a.must(403, "POST", "/api/v1/exams", smallExam(600, 30), reviewer.AccessToken)
	a.must(403, "GET", "/api/v1/exams/"+e.ID, nil, reviewer.AccessToken)
	adminB := a.signup("B", "b@b.test")
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/exams/" + e.ID}, {"POST", "/api/v1/exams/" + e.ID + "/publish"},
		{"GET", "/api/v1/exams/" + e.ID + "/versions/1"}, {"GET", "/api/v1/exams/not-a-uuid"},
	} {
		if r := a.do(c.method, c.path, nil, adminB.AccessToken); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("B %s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
	if r := a.do("PUT", "/api/v1/exams/"+e.ID, smallExam(600, 30), adminB.AccessToken); r.Status != 404 {
		t.Errorf("B replaces A's exam: %d", r.Status)
	}
	var list struct {
		Items []any `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams", nil, adminB.AccessToken).Decode(t, &list)
	if len(list.Items) != 0 {
		t.Fatal("B sees A's exams")
	}
}

// The demo exam goes through the same validation as the API and each track
// sees its own questions.
func TestDemoExamThroughTheAPI(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Demo", "demo@demo.test")
	data, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := a.draftExam(s.AccessToken, data.Exam)
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, s.AccessToken)
	seen := map[string]map[string]bool{}
	for _, track := range []string{"manager", "supervisor"} {
		c := a.candidate(s.AccessToken, e.ID, track)
		var att struct {
			Sections []struct {
				Title     string           `json:"title"`
				Questions []map[string]any `json:"questions"`
			} `json:"sections"`
		}
		a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token).Decode(t, &att)
		seen[track] = map[string]bool{}
		for _, sec := range att.Sections {
			for _, qq := range sec.Questions {
				seen[track][qq["prompt"].(string)] = true
			}
		}
	}
	var managerOnly, supervisorOnly, both int
	for _, sec := range data.Exam.Sections {
		for _, qq := range sec.Questions {
			inM, inS := seen["manager"][qq.Prompt], seen["supervisor"][qq.Prompt]
			want := qq.Tracks
			switch {
			case inM && inS:
				both++
				if len(want) != 0 {
					t.Errorf("both tracks see %q, meant for %v", qq.Prompt, want)
				}
			case inM:
				managerOnly++
				if len(want) != 1 || want[0] != "manager" {
					t.Errorf("only managers see %q (tracks %v)", qq.Prompt, want)
				}
			case inS:
				supervisorOnly++
				if len(want) != 1 || want[0] != "supervisor" {
					t.Errorf("only supervisors see %q (tracks %v)", qq.Prompt, want)
				}
			default:
				t.Errorf("nobody sees %q", qq.Prompt)
			}
		}
	}
	if managerOnly < 1 || supervisorOnly < 1 || both < 20 {
		t.Fatalf("manager-only %d, supervisor-only %d, both %d", managerOnly, supervisorOnly, both)
	}
}

// Track labels are kept with the draft and frozen with a version.
func TestExamTrackLabelsRoundTrip(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Labels", "labels@acme.test")
	doc := smallExam(600, 30)
	doc["track_labels"] = map[string]string{"manager": "经理", "supervisor": "主管"}
	var e struct {
		ID          string            `json:"id"`
		TrackLabels map[string]string `json:"track_labels"`
	}
	a.must(201, "POST", "/api/v1/exams", doc, s.AccessToken).Decode(t, &e)
	if e.TrackLabels["manager"] != "经理" || e.TrackLabels["supervisor"] != "主管" || len(e.TrackLabels) != 2 {
		t.Fatalf("track_labels = %v", e.TrackLabels)
	}
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, s.AccessToken)
	var v struct {
		Exam struct {
			TrackLabels map[string]string `json:"track_labels"`
		} `json:"exam"`
	}
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1", nil, s.AccessToken).Decode(t, &v)
	if v.Exam.TrackLabels["supervisor"] != "主管" {
		t.Fatalf("version's track_labels = %v", v.Exam.TrackLabels)
	}
}

// API.md v1.1: lists that can grow past a few hundred rows take ?limit=
// (default 50, at most 500) and ?cursor= and answer {items, next_cursor}.
// An exam's invitations are such a list (a hiring round invites hundreds).
func TestInvitationsArePaginated(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "pages@acme.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 30))
	var batch []map[string]any
	for i := range 5 {
		batch = append(batch, map[string]any{"candidate_name": fmt.Sprintf("候选人%d", i), "candidate_email": fmt.Sprintf("c%d@cand.test", i), "track": "manager"})
	}
	a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", batch, s.AccessToken)
	a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": "最后", "candidate_email": "last@cand.test", "track": "supervisor"}, s.AccessToken)

	var all struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations", nil, s.AccessToken).Decode(t, &all)
	if len(all.Items) != 6 {
		t.Fatalf("unpaged list has %d invitations, want 6", len(all.Items))
	}

	got, sizes := a.pages(s.AccessToken, "/api/v1/exams/"+id+"/invitations?limit=4")
	if fmt.Sprint(sizes) != "[4 2]" {
		t.Errorf("page sizes %v, want [4 2]", sizes)
	}
	if len(got) != len(all.Items) {
		t.Fatalf("pages hold %d invitations, want %d", len(got), len(all.Items))
	}
	for i := range got {
		if got[i] != all.Items[i].ID {
			t.Fatalf("page order differs from the list at %d: %v vs %v", i, got, all.Items)
		}
	}
	var def idPage
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations?cursor=", nil, s.AccessToken).Decode(t, &def)
	if len(def.Items) != 6 || def.NextCursor != nil {
		t.Errorf("default page: %d items, next %v; want all 6 and null", len(def.Items), def.NextCursor)
	}

	for _, q := range []string{"limit=0", "limit=501", "limit=abc", "cursor=bogus", "limit=2&cursor=MjAyNnx4"} {
		if r := a.do("GET", "/api/v1/exams/"+id+"/invitations?"+q, nil, s.AccessToken); r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("?%s: %d %s, want 400 bad_request", q, r.Status, r.Body)
		}
	}
	a.must(200, "GET", "/api/v1/exams/"+id+"/invitations?limit=500", nil, s.AccessToken)
	other := a.signup("Other", "pages@other.test")
	if r := a.do("GET", "/api/v1/exams/"+id+"/invitations?limit=2", nil, other.AccessToken); r.Status != 404 {
		t.Errorf("another organization's invitations page: %d, want 404", r.Status)
	}
}

// The organization's exams are paged the same way, newest first.
func TestExamsArePaginated(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "exampages@acme.test")
	var made []string
	for i := range 5 {
		doc := smallExam(600, 30)
		doc["title"] = fmt.Sprintf("Exam %d", i)
		e := a.draftExam(s.AccessToken, doc)
		made = append(made, e.ID)
	}
	other := a.signup("Other", "exampages@other.test")
	a.must(201, "POST", "/api/v1/exams", smallExam(600, 30), other.AccessToken)

	got, _ := a.pages(s.AccessToken, "/api/v1/exams?limit=2")
	if len(got) != 5 {
		t.Fatalf("pages hold %d exams, want this organization's 5: %v", len(got), got)
	}
	for i := range got {
		if got[i] != made[4-i] {
			t.Fatalf("pages are not newest first: %v, made %v", got, made)
		}
	}
	var all idPage
	a.must(200, "GET", "/api/v1/exams", nil, s.AccessToken).Decode(t, &all)
	if len(all.Items) != 5 {
		t.Errorf("the unpaged list has %d exams", len(all.Items))
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "cursor=zz"} {
		if r := a.do("GET", "/api/v1/exams?"+q, nil, s.AccessToken); r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("?%s: %d %s, want 400", q, r.Status, r.Body)
		}
	}
}

// idPage is a page of any paginated list, read for its rows' ids.
type idPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pages follows next_cursor from first to the last page and returns every
// row's id in order and each page's size. Every page must carry
// next_cursor, null on the last.
func (a *app) pages(token, first string) (ids []string, sizes []int) {
	a.t.Helper()
	base, _, _ := strings.Cut(first, "?")
	path := first
	for range 10 {
		r := a.must(200, "GET", path, nil, token)
		if _, ok := r.JSON()["next_cursor"]; !ok {
			a.t.Fatalf("GET %s: a page without next_cursor: %s", path, r.Body)
		}
		var p idPage
		r.Decode(a.t, &p)
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		sizes = append(sizes, len(p.Items))
		if p.NextCursor == nil {
			return ids, sizes
		}
		q, _ := url.ParseQuery(strings.SplitN(first, "?", 2)[1])
		q.Set("cursor", *p.NextCursor)
		path = base + "?" + q.Encode()
	}
	a.t.Fatalf("GET %s: more than 10 pages", first)
	return nil, nil
}
