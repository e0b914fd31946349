package api

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

type pageResp struct {
	Items []struct {
		InvitationID  string   `json:"invitation_id"`
		AttemptID     *string  `json:"attempt_id"`
		CandidateName string   `json:"candidate_name"`
		Track         string   `json:"track"`
		Status        string   `json:"status"`
		Score         *float64 `json:"score"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func (p pageResp) names() string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.CandidateName)
	}
	return strings.Join(out, ",")
}

func TestResultsFilterSortPageAndNotStarted(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "page@acme.test")
	id := a.publishedExam(s.AccessToken, smallExam(600, 0))
	// Four candidates: three submit with 0, 1 and 2 true/false-and-choice
	// points, one starts and stays, one never starts, one is revoked.
	invite := func(name, track string) cand {
		inv := a.must(201, "POST", "/api/v1/exams/"+id+"/invitations", map[string]any{"candidate_name": name,
			"candidate_email": strings.ToLower(name) + "@c.test", "track": track}, s.AccessToken).JSON()
		ses := a.must(200, "POST", "/api/v1/candidate/sessions", map[string]string{"token": inv["token"].(string)}, "").JSON()
		return cand{invitationID: inv["id"].(string), inviteToken: inv["token"].(string), token: ses["access_token"].(string)}
	}
	submitWith := func(c cand, tf, sc bool) {
		att := a.startAttempt(c)
		if tf {
			a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question("true_false")["id"].(string), map[string]any{"response": map[string]bool{"value": false}, "seq": 1}, c.token)
		}
		if sc {
			a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question("single_choice")["id"].(string), map[string]any{"response": map[string]string{"choice": "a"}, "seq": 1}, c.token)
		}
		a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)
	}
	submitWith(invite("Bai", "supervisor"), true, true) // 2
	submitWith(invite("Chen", "manager"), false, false) // 0
	submitWith(invite("An", "supervisor"), true, false) // 1
	running := invite("Du", "manager")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, running.token)
	invite("Fang", "manager") // never starts
	revoked := invite("Gu", "manager")
	a.must(204, "DELETE", "/api/v1/invitations/"+revoked.invitationID, nil, s.AccessToken)

	get := func(q string) pageResp {
		var p pageResp
		a.must(200, "GET", "/api/v1/exams/"+id+"/results?"+q, nil, s.AccessToken).Decode(t, &p)
		return p
	}
	// The v1 list is unchanged: every attempt, oldest start first, no cursor.
	def := a.must(200, "GET", "/api/v1/exams/"+id+"/results", nil, s.AccessToken).JSON()
	if _, has := def["next_cursor"]; has || len(def["items"].([]any)) != 4 {
		t.Fatalf("default results: %v", def)
	}
	for _, tc := range []struct{ q, want string }{
		{"sort=-score", "Bai,An,Chen,Du"},
		{"sort=score", "Chen,An,Bai,Du"},
		{"sort=name", "An,Bai,Chen,Du"},
		{"sort=name&include=not_started", "An,Bai,Chen,Du,Fang"},
		{"status=pending", "Fang"},
		{"status=graded,in_progress&sort=name", "An,Bai,Chen,Du"},
		{"status=in_progress", "Du"},
		{"track=supervisor&sort=name", "An,Bai"},
		{"track=manager&include=not_started&sort=-name", "Fang,Du,Chen"},
		{"min_score=1&sort=score", "An,Bai"},
		{"max_score=0.5", "Chen"},
	} {
		if got := get(tc.q).names(); got != tc.want {
			t.Errorf("?%s: %s, want %s", tc.q, got, tc.want)
		}
	}
	fang := get("status=pending").Items[0]
	if fang.AttemptID != nil || fang.Score != nil || fang.Track != "manager" {
		t.Errorf("never-started row: %+v", fang)
	}
	// Pages of two, following next_cursor to the end.
	var all []string
	q := "sort=name&include=not_started&limit=2"
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		p := get(q)
		all = append(all, p.names())
		if p.NextCursor == nil {
			break
		}
		q = "sort=name&include=not_started&limit=2&cursor=" + url.QueryEscape(*p.NextCursor)
	}
	if strings.Join(all, "|") != "An,Bai|Chen,Du|Fang" {
		t.Fatalf("pages: %v", all)
	}
	for _, bad := range []string{"status=done", "sort=age", "limit=0", "limit=501", "limit=x", "include=all", "min_score=abc", "cursor=nope", "sort=name&cursor=" + url.QueryEscape(*get("sort=-name&limit=1").NextCursor)} {
		if r := a.do("GET", "/api/v1/exams/"+id+"/results?"+bad, nil, s.AccessToken); r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("?%s: %d %s", bad, r.Status, r.Body)
		}
	}
	other := a.signup("Other", "page@other.test")
	a.must(404, "GET", "/api/v1/exams/"+id+"/results?sort=name", nil, other.AccessToken)
}

func TestResultsCSVInTheRecruitersLanguageAndZone(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "csvlang@acme.test")
	doc := smallExam(600, 0)
	doc["title"] = "客服经理/主管 面试"
	id := a.publishedExam(s.AccessToken, doc)
	c := a.candidate(s.AccessToken, id, "supervisor")
	a.must(201, "POST", "/api/v1/candidate/attempt", nil, c.token)
	sub := a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token).JSON()
	at, _ := time.Parse(time.RFC3339, sub["submitted_at"].(string))

	def := a.must(200, "GET", "/api/v1/exams/"+id+"/results.csv", nil, s.AccessToken)
	if !strings.HasPrefix(string(def.Body), "\uFEFFinvitation_id,attempt_id,") || def.Header.Get("Content-Disposition") != `attachment; filename="results-`+id+`.csv"` {
		t.Fatalf("default CSV changed: %q %q", def.Body[:40], def.Header.Get("Content-Disposition"))
	}
	zh := a.must(200, "GET", "/api/v1/exams/"+id+"/results.csv?lang=zh-CN&tz=Asia/Shanghai", nil, s.AccessToken)
	lines := strings.Split(strings.TrimPrefix(string(zh.Body), "\uFEFF"), "\r\n")
	if !strings.HasPrefix(lines[0], "邀请编号,答卷编号,候选人,邮箱,岗位方向,状态,") || !strings.HasPrefix(lines[1], "invitation_id,attempt_id,candidate_name,") {
		t.Fatalf("zh-CN header rows: %q / %q", lines[0], lines[1])
	}
	local := at.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05") + " +08:00"
	if !strings.Contains(lines[2], local) || !strings.Contains(lines[2], "考生交卷") || !strings.Contains(lines[2], "已评定") {
		t.Fatalf("zh-CN row: %q, want %q", lines[2], local)
	}
	cd := zh.Header.Get("Content-Disposition")
	day := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	wantName := url.PathEscape("客服经理_主管 面试-成绩-" + day + ".csv")
	if !strings.Contains(cd, `filename="results-`+day+`.csv"`) || !strings.Contains(cd, "filename*=UTF-8''"+strings.ReplaceAll(wantName, "%20", "%20")) {
		t.Fatalf("Content-Disposition %q, want the title %q", cd, wantName)
	}
	en := a.must(200, "GET", "/api/v1/exams/"+id+"/results.csv?lang=en&tz=-05:30", nil, s.AccessToken)
	enLines := strings.Split(strings.TrimPrefix(string(en.Body), "\uFEFF"), "\r\n")
	if !strings.HasPrefix(enLines[0], "Invitation ID,Attempt ID,Candidate,") || !strings.Contains(enLines[1], " -05:30") || !strings.Contains(enLines[1], ",candidate") {
		t.Fatalf("en CSV: %q", enLines[:2])
	}
	for _, bad := range []string{"lang=fr", "tz=Mars/Olympus", "tz=+25:00", "tz=Local"} {
		if r := a.do("GET", "/api/v1/exams/"+id+"/results.csv?"+bad, nil, s.AccessToken); r.Status != 400 {
			t.Errorf("?%s: %d", bad, r.Status)
		}
	}
}
