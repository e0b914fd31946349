package api

import (
	"net/url"
	"strings"
	"testing"
)

// sortExam has two sections and two tags that cut across them, with an
// essay, so a section's and a tag's score each order the candidates
// differently from the total.
func sortExam() map[string]any {
	return map[string]any{
		"title": "排序 Sort by part", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{
			map[string]any{"title": "一、判断", "questions": []any{
				map[string]any{"type": "true_false", "prompt": "q1", "answer": true, "points": 1, "tags": []string{"投诉处理"}},
				map[string]any{"type": "true_false", "prompt": "q2", "answer": true, "points": 2, "tags": []string{"安全管理"}},
			}},
			map[string]any{"title": "二、选择与论述", "questions": []any{
				map[string]any{"type": "single_choice", "prompt": "q3", "answer": "a", "points": 3, "tags": []string{"投诉处理"},
					"options": []any{map[string]any{"key": "a", "text": "是"}, map[string]any{"key": "b", "text": "否"}}},
				map[string]any{"type": "essay", "prompt": "q4", "points": 4, "tags": []string{"安全管理"}},
			}},
		},
	}
}

type partScore struct {
	SectionID     string  `json:"section_id"`
	Title         string  `json:"title"`
	Tag           string  `json:"tag"`
	PointsAwarded float64 `json:"points_awarded"`
	MaxPoints     float64 `json:"max_points"`
}

type partPage struct {
	Items []struct {
		CandidateName string      `json:"candidate_name"`
		Status        string      `json:"status"`
		Sections      []partScore `json:"sections"`
		Tags          []partScore `json:"tags"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func TestResultsSortBySectionAndTagAcrossPages(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "partsort@acme.test")
	e := a.grPublish(s.AccessToken, sortExam())
	s1, s2 := e.Sections[0].ID, e.Sections[1].ID
	q := func(si, qi int) string { return e.Sections[si].Questions[qi].ID }
	// Points per candidate (section 1 | section 2; 投诉处理 = q1+q3, 安全管理 = q2+q4):
	//   An   q1      , q4 = 4  → 1 | 4;  投诉 1, 安全 4
	//   Bai  q2, q3  , q4 = 0  → 2 | 3;  投诉 3, 安全 2
	//   Chen q1, q2  , q4 = 1  → 3 | 1;  投诉 1, 安全 3
	take := func(name string, q1, q2, q3 bool) {
		ans := map[string]any{q(0, 0): map[string]bool{"value": q1}, q(0, 1): map[string]bool{"value": q2},
			q(1, 1): map[string]string{"text": "essay by " + name}}
		if q3 {
			ans[q(1, 0)] = map[string]string{"choice": "a"}
		} else {
			ans[q(1, 0)] = map[string]string{"choice": "b"}
		}
		a.grTake(s.AccessToken, e.ID, name, strings.ToLower(name)+"@c.test", "", ans)
	}
	take("Chen", true, true, false)
	take("An", true, false, false)
	take("Bai", false, true, true)
	essay := map[string]float64{"An": 4, "Bai": 0, "Chen": 1}
	for range 3 {
		item, st := a.grClaimItem(s.AccessToken, map[string]string{"exam_id": e.ID})
		if st != 200 {
			t.Fatalf("claim: %d", st)
		}
		who := strings.TrimPrefix(item.Response.Text, "essay by ")
		a.must(200, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": essay[who], "comment": "ok"}, s.AccessToken)
	}
	// Du is still writing: no part scores, last in every sort. Fang never starts.
	a.grStart(s.AccessToken, e.ID, "Du", "du@c.test", "")
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/invitations", map[string]any{"candidate_name": "Fang", "candidate_email": "fang@c.test"}, s.AccessToken)

	get := func(q string) partPage {
		var p partPage
		a.must(200, "GET", "/api/v1/exams/"+e.ID+"/results?"+q, nil, s.AccessToken).Decode(t, &p)
		return p
	}
	// Every order, in pages of two followed to the end: no row twice, none lost.
	pages := func(sort string) string {
		var names []string
		cur := ""
		for n := 0; ; n++ {
			if n > 4 {
				t.Fatalf("sort=%s: too many pages", sort)
			}
			p := get("include=not_started&limit=2&sort=" + url.QueryEscape(sort) + cur)
			for _, it := range p.Items {
				names = append(names, it.CandidateName)
			}
			if p.NextCursor == nil {
				return strings.Join(names, ",")
			}
			cur = "&cursor=" + url.QueryEscape(*p.NextCursor)
		}
	}
	for _, tc := range []struct{ sort, want string }{
		{"section:" + s1, "An,Bai,Chen,Du,Fang"},
		{"-section:" + s1, "Chen,Bai,An,Du,Fang"},
		{"section:" + s2, "Chen,Bai,An,Du,Fang"},
		{"-section:" + s2, "An,Bai,Chen,Du,Fang"},
		// A tie (An and Chen have 1 on 投诉处理) is broken by name either way.
		{"tag:投诉处理", "An,Chen,Bai,Du,Fang"},
		{"-tag:投诉处理", "Bai,An,Chen,Du,Fang"},
		{"tag:安全管理", "Bai,Chen,An,Du,Fang"},
		{"-tag:安全管理", "An,Chen,Bai,Du,Fang"},
		// Totals An 5, Bai 5, Chen 4: the total alone cannot tell An from Bai.
		{"-score", "An,Bai,Chen,Du,Fang"},
	} {
		if got := pages(tc.sort); got != tc.want {
			t.Errorf("sort=%s: %s, want %s", tc.sort, got, tc.want)
		}
	}

	// Each row carries its parts in the attempt detail's shape.
	p := get("sort=name")
	an := p.Items[0]
	if an.CandidateName != "An" || len(an.Sections) != 2 || len(an.Tags) != 2 {
		t.Fatalf("An's row: %+v", an)
	}
	want := []partScore{{SectionID: s1, Title: "一、判断", PointsAwarded: 1, MaxPoints: 3}, {SectionID: s2, Title: "二、选择与论述", PointsAwarded: 4, MaxPoints: 7}}
	for i, w := range want {
		if an.Sections[i] != w {
			t.Errorf("An's section %d: %+v, want %+v", i, an.Sections[i], w)
		}
	}
	wantTags := []partScore{{Tag: "投诉处理", PointsAwarded: 1, MaxPoints: 4}, {Tag: "安全管理", PointsAwarded: 4, MaxPoints: 6}}
	for i, w := range wantTags {
		if an.Tags[i] != w {
			t.Errorf("An's tag %d: %+v, want %+v", i, an.Tags[i], w)
		}
	}
	if du := p.Items[3]; du.CandidateName != "Du" || du.Status != "in_progress" || du.Sections == nil || len(du.Sections)+len(du.Tags) != 0 {
		t.Errorf("a row in progress has no parts: %+v", du)
	}
	// The v1 list carries them too, and agrees with the attempt's detail.
	var v1 partPage
	a.must(200, "GET", "/api/v1/exams/"+e.ID+"/results", nil, s.AccessToken).Decode(t, &v1)
	for _, it := range v1.Items {
		if it.CandidateName == "Bai" && (len(it.Tags) != 2 || it.Tags[0].PointsAwarded != 3 || it.Sections[1].PointsAwarded != 3) {
			t.Errorf("Bai in the v1 list: %+v", it)
		}
	}

	// Unknown sections and tags are 400 naming what is wrong; nothing else changes.
	for bad, says := range map[string]string{
		"section:nope":        `no section "nope"`,
		"-tag:不存在":            `no tag "不存在"`,
		"tag:":                `no tag ""`,
		"sections:" + s1:      "sort must be one of",
		"section:" + s1 + "x": "no section",
	} {
		r := a.do("GET", "/api/v1/exams/"+e.ID+"/results?sort="+url.QueryEscape(bad), nil, s.AccessToken)
		msg, _ := r.JSON()["error"].(map[string]any)["message"].(string)
		if r.Status != 400 || r.Code() != "bad_request" || !strings.Contains(msg, says) {
			t.Errorf("sort=%s: %d %s, want 400 saying %q", bad, r.Status, r.Body, says)
		}
	}
	// A cursor belongs to its sort, direction included.
	first := get("limit=1&sort=" + url.QueryEscape("tag:投诉处理"))
	if r := a.do("GET", "/api/v1/exams/"+e.ID+"/results?limit=1&sort="+url.QueryEscape("-tag:投诉处理")+"&cursor="+url.QueryEscape(*first.NextCursor), nil, s.AccessToken); r.Status != 400 {
		t.Errorf("a cursor of another sort: %d", r.Status)
	}
	// Another organization sees nothing, not even whether the section exists.
	other := a.signup("Other", "partsort@other.test")
	a.must(404, "GET", "/api/v1/exams/"+e.ID+"/results?sort=section:"+s1, nil, other.AccessToken)
}
