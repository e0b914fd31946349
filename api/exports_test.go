package api

import (
	"net/url"
	"strings"
	"testing"

	"examd/formats"
)

func TestExportDraftAndVersion(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.signup("A", "a@a.test")
	recruiter := a.staff(admin.AccessToken, "recruiter", "rec@a.test")
	reviewer := a.staff(admin.AccessToken, "reviewer", "rev@a.test")
	var e examResp
	a.must(201, "POST", "/api/v1/exams", smallExam(600, 30), recruiter.AccessToken).Decode(t, &e)

	r := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, recruiter.AccessToken)
	if ct := r.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	wantDisp := `attachment; filename="Small exam.gift"; filename*=UTF-8''` + url.PathEscape("小测验 Small exam.gift")
	if d := r.Header.Get("Content-Disposition"); d != wantDisp {
		t.Errorf("Content-Disposition %q, want %q", d, wantDisp)
	}
	res, err := formats.Read("gift", r.Body, "")
	if err != nil {
		t.Fatalf("the export does not read back: %v\n%s", err, r.Body)
	}
	if st := formats.Count(res.Exam); st.Questions != 6 || st.ByType["essay"] != 2 || st.ByType["multiple_choice"] != 1 {
		t.Errorf("the exported draft reads back as %+v\n%s", st, r.Body)
	}
	if res.Exam.Sections[0].Title != "一、填空" || !strings.Contains(string(r.Body), "=客人") {
		t.Errorf("the export lost the draft's content:\n%s", r.Body)
	}

	// A version is exported as frozen, and later draft edits do not leak in.
	a.must(201, "POST", "/api/v1/exams/"+e.ID+"/publish", nil, recruiter.AccessToken)
	draft := smallExam(600, 30)
	draft["title"] = "Changed draft"
	a.must(200, "PUT", "/api/v1/exams/"+e.ID, draft, recruiter.AccessToken)
	v := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/versions/1/export?format=gift", nil, admin.AccessToken)
	if d := v.Header.Get("Content-Disposition"); !strings.Contains(d, `filename="Small exam-v1.gift"`) {
		t.Errorf("version Content-Disposition %q", d)
	}
	if !strings.Contains(string(v.Body), "// 小测验 Small exam") {
		t.Errorf("the version's export is not the frozen document:\n%s", v.Body)
	}
	d := a.must(200, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, admin.AccessToken)
	if !strings.Contains(string(d.Body), "// Changed draft") || !strings.Contains(d.Header.Get("Content-Disposition"), `filename="Changed draft.gift"`) {
		t.Errorf("the draft's export is not the current draft:\n%s", d.Body)
	}

	for _, q := range []string{"", "?format=", "?format=pdf", "?format=GIFT"} {
		for _, p := range []string{"/api/v1/exams/" + e.ID + "/export", "/api/v1/exams/" + e.ID + "/versions/1/export"} {
			if r := a.do("GET", p+q, nil, recruiter.AccessToken); r.Status != 400 || r.Code() != "bad_request" || !strings.Contains(string(r.Body), "gift") {
				t.Errorf("GET %s%s: %d %s, want 400 naming the formats", p, q, r.Status, r.Body)
			}
		}
	}
	a.must(404, "GET", "/api/v1/exams/"+e.ID+"/versions/2/export?format=gift", nil, recruiter.AccessToken)
	a.must(404, "GET", "/api/v1/exams/"+e.ID+"/versions/0/export?format=gift", nil, recruiter.AccessToken)
	a.must(403, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, reviewer.AccessToken)
	a.must(401, "GET", "/api/v1/exams/"+e.ID+"/export?format=gift", nil, "")

	other := a.signup("B", "b@b.test")
	for _, p := range []string{"/api/v1/exams/" + e.ID + "/export?format=gift", "/api/v1/exams/" + e.ID + "/versions/1/export?format=gift"} {
		if r := a.do("GET", p, nil, other.AccessToken); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("another organization GET %s: %d %s", p, r.Status, r.Body)
		}
	}
}

func TestExportDisposition(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"客服经理", `attachment; filename="exam.gift"; filename*=UTF-8''%E5%AE%A2%E6%9C%8D%E7%BB%8F%E7%90%86.gift`},
		{`a/b "c"`, `attachment; filename="a_b _c_.gift"; filename*=UTF-8''a_b%20_c_.gift`},
		{"  ", `attachment; filename="exam.gift"; filename*=UTF-8''exam.gift`},
	} {
		if got := exportDisposition(c.title, "", "gift"); got != c.want {
			t.Errorf("exportDisposition(%q) = %s, want %s", c.title, got, c.want)
		}
	}
}
