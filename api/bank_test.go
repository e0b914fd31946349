package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"examd/grading"
)

func bankSC(prompt string, tags ...string) map[string]any {
	return map[string]any{
		"type": "single_choice", "prompt": prompt, "points": 2, "tags": tags,
		"options": []map[string]string{{"key": "A", "text": "安抚情绪"}, {"key": "B", "text": "挂断电话"}},
		"answer":  "A", "explanation": "先处理情绪，再处理事情。",
	}
}

type bankItem struct {
	ID          string   `json:"id"`
	Prompt      string   `json:"prompt"`
	Tags        []string `json:"tags"`
	Explanation string   `json:"explanation"`
	Type        string   `json:"type"`
}

type bankPage struct {
	Items      []bankItem `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

func listBank(a *app, token, query string) bankPage {
	a.t.Helper()
	return getAs[bankPage](a, token, "/api/v1/bank/questions"+query)
}

func countRows(a *app, table string) int {
	a.t.Helper()
	var n int
	if err := a.db.Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil {
		a.t.Fatal(err)
	}
	return n
}

func TestBankCRUDAndValidation(t *testing.T) {
	a := newApp(t)
	admin := a.signup("Org A", "a@example.com")
	rec := a.staff(admin.AccessToken, "recruiter", "r@example.com")

	var q bankItem
	a.must(http.StatusCreated, "POST", "/api/v1/bank/questions", bankSC("客户投诉处理的第一步是什么？", "投诉处理"), rec.AccessToken).Decode(t, &q)
	if q.ID == "" || q.Explanation == "" || len(q.Tags) != 1 || q.Tags[0] != "投诉处理" {
		t.Fatalf("created %+v", q)
	}
	r := a.must(http.StatusOK, "GET", "/api/v1/bank/questions/"+q.ID, nil, rec.AccessToken).JSON()
	if r["created_at"] == nil || r["updated_at"] == nil || r["answer"] != "A" {
		t.Fatalf("get: %v", r)
	}

	// Bad tags: empty, duplicate, too many — 422 by path, nothing stored.
	before := countRows(a, "bank_questions")
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("t%d", i)
	}
	for name, tc := range map[string]struct {
		tags  []string
		field string
		code  string
	}{
		"empty":     {[]string{"投诉处理", " "}, "tags[1]", "required"},
		"duplicate": {[]string{"投诉处理", "投诉处理"}, "tags[1]", "duplicate"},
		"too many":  {many, "tags", "too_many"},
	} {
		r := a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/bank/questions", bankSC("题目", tc.tags...), rec.AccessToken)
		d := r.JSON()["error"].(map[string]any)["details"].([]any)[0].(map[string]any)
		if d["field"] != tc.field || d["code"] != tc.code {
			t.Errorf("%s: details %v, want %s %s", name, d, tc.field, tc.code)
		}
	}
	// The same rules as authoring: a key that is no option.
	bad := bankSC("题目")
	bad["answer"] = "Z"
	if r := a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/bank/questions", bad, rec.AccessToken); r.Code() != "validation_failed" {
		t.Fatalf("bad key: %s", r.Body)
	}
	if countRows(a, "bank_questions") != before {
		t.Fatal("a refused question was stored")
	}

	// PUT replaces; an exam's tags are validated the same way.
	upd := bankSC("如何安抚愤怒的客户？", "沟通", "投诉处理")
	var u bankItem
	a.must(http.StatusOK, "PUT", "/api/v1/bank/questions/"+q.ID, upd, rec.AccessToken).Decode(t, &u)
	if u.ID != q.ID || u.Prompt != "如何安抚愤怒的客户？" || len(u.Tags) != 2 {
		t.Fatalf("updated %+v", u)
	}
	a.must(http.StatusUnprocessableEntity, "PUT", "/api/v1/bank/questions/"+q.ID, bankSC("x", ""), rec.AccessToken)

	// Another organization sees nothing of it.
	other := a.signup("Org B", "b@example.com")
	a.must(http.StatusNotFound, "GET", "/api/v1/bank/questions/"+q.ID, nil, other.AccessToken)
	a.must(http.StatusNotFound, "PUT", "/api/v1/bank/questions/"+q.ID, upd, other.AccessToken)
	a.must(http.StatusNotFound, "DELETE", "/api/v1/bank/questions/"+q.ID, nil, other.AccessToken)
	if p := listBank(a, other.AccessToken, ""); len(p.Items) != 0 {
		t.Fatalf("other org lists %v", p.Items)
	}
	// A reviewer may not use the bank.
	rv := a.staff(admin.AccessToken, "reviewer", "rv@example.com")
	a.must(http.StatusForbidden, "GET", "/api/v1/bank/questions", nil, rv.AccessToken)

	a.must(http.StatusNoContent, "DELETE", "/api/v1/bank/questions/"+q.ID, nil, rec.AccessToken)
	a.must(http.StatusNotFound, "GET", "/api/v1/bank/questions/"+q.ID, nil, rec.AccessToken)
	a.must(http.StatusNotFound, "DELETE", "/api/v1/bank/questions/"+q.ID, nil, rec.AccessToken)
	a.must(http.StatusNotFound, "GET", "/api/v1/bank/questions/not-a-uuid", nil, rec.AccessToken)
}

func TestBankBatchIsAllOrNothing(t *testing.T) {
	a := newApp(t)
	admin := a.signup("Org A", "a@example.com")
	bad := bankSC("")
	r := a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/bank/questions/batch",
		map[string]any{"questions": []any{bankSC("一", "沟通"), bad}}, admin.AccessToken)
	d := r.JSON()["error"].(map[string]any)["details"].([]any)[0].(map[string]any)
	if d["field"] != "questions[1].prompt" {
		t.Fatalf("details %v", d)
	}
	if n := countRows(a, "bank_questions"); n != 0 {
		t.Fatalf("%d questions stored by a refused batch", n)
	}
	a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/bank/questions/batch", map[string]any{"questions": []any{}}, admin.AccessToken)
	var out struct {
		Items []bankItem `json:"items"`
	}
	a.must(http.StatusCreated, "POST", "/api/v1/bank/questions/batch",
		map[string]any{"questions": []any{bankSC("一", "沟通"), bankSC("二", "团队管理")}}, admin.AccessToken).Decode(t, &out)
	if len(out.Items) != 2 || out.Items[0].ID == "" || out.Items[1].Prompt != "二" {
		t.Fatalf("batch %+v", out.Items)
	}
}

func TestBankSearchFiltersAndPages(t *testing.T) {
	a := newApp(t)
	admin := a.signup("Org A", "a@example.com")
	tok := admin.AccessToken
	tf := map[string]any{"type": "true_false", "prompt": "Escalate every complaint to the manager", "points": 1, "answer": false, "tags": []string{"投诉处理"}}
	qs := []any{
		bankSC("客户投诉处理的第一步是什么？", "投诉处理"),
		bankSC("如何激励团队成员？", "团队管理"),
		tf,
	}
	optQ := bankSC("下列哪项最重要？", "沟通")
	optQ["options"] = []map[string]string{{"key": "A", "text": "及时回应投诉"}, {"key": "B", "text": "准时下班"}}
	qs = append(qs, optQ)
	for i := 0; i < 7; i++ {
		qs = append(qs, bankSC(fmt.Sprintf("服务质量题 %d", i), "服务质量"))
	}
	a.must(http.StatusCreated, "POST", "/api/v1/bank/questions/batch", map[string]any{"questions": qs}, tok)

	prompts := func(p bankPage) map[string]bool {
		m := map[string]bool{}
		for _, it := range p.Items {
			m[it.Prompt] = true
		}
		return m
	}
	// 投诉 is found inside the prompt 客户投诉处理… and inside an option.
	got := prompts(listBank(a, tok, "?q="+url.QueryEscape("投诉")))
	if len(got) != 2 || !got["客户投诉处理的第一步是什么？"] || !got["下列哪项最重要？"] {
		t.Fatalf("q=投诉: %v", got)
	}
	// One character, three characters, Latin in another case.
	if got := prompts(listBank(a, tok, "?q="+url.QueryEscape("激"))); len(got) != 1 || !got["如何激励团队成员？"] {
		t.Fatalf("q=激: %v", got)
	}
	if got := prompts(listBank(a, tok, "?q="+url.QueryEscape("第一步"))); len(got) != 1 {
		t.Fatalf("q=第一步: %v", got)
	}
	if got := prompts(listBank(a, tok, "?q=ESCALATE")); len(got) != 1 || !got["Escalate every complaint to the manager"] {
		t.Fatalf("q=ESCALATE: %v", got)
	}
	// Characters present but not adjacent do not match.
	if got := prompts(listBank(a, tok, "?q="+url.QueryEscape("投理"))); len(got) != 0 {
		t.Fatalf("q=投理: %v", got)
	}
	// Like characters are literal.
	if got := prompts(listBank(a, tok, "?q=%25")); len(got) != 0 {
		t.Fatalf("q=%%: %v", got)
	}
	// tag and type filters, together with q.
	if got := prompts(listBank(a, tok, "?tag="+url.QueryEscape("投诉处理"))); len(got) != 2 {
		t.Fatalf("tag: %v", got)
	}
	if got := prompts(listBank(a, tok, "?tag="+url.QueryEscape("投诉处理")+"&type=true_false")); len(got) != 1 || !got["Escalate every complaint to the manager"] {
		t.Fatalf("tag+type: %v", got)
	}
	if got := prompts(listBank(a, tok, "?tag=nobody")); len(got) != 0 {
		t.Fatalf("unknown tag: %v", got)
	}
	a.must(http.StatusBadRequest, "GET", "/api/v1/bank/questions?type=riddle", nil, tok)
	a.must(http.StatusBadRequest, "GET", "/api/v1/bank/questions?tags=x", nil, tok)
	a.must(http.StatusBadRequest, "GET", "/api/v1/bank/questions?limit=0", nil, tok)
	a.must(http.StatusBadRequest, "GET", "/api/v1/bank/questions?cursor=garbage", nil, tok)

	// Cursor pagination visits every question once.
	seen := map[string]bool{}
	next := ""
	pages := 0
	for {
		qv := "?limit=3&tag=" + url.QueryEscape("服务质量")
		if next != "" {
			qv += "&cursor=" + url.QueryEscape(next)
		}
		p := listBank(a, tok, qv)
		pages++
		for _, it := range p.Items {
			if seen[it.ID] {
				t.Fatalf("%s on two pages", it.ID)
			}
			seen[it.ID] = true
		}
		if p.NextCursor == nil {
			break
		}
		next = *p.NextCursor
	}
	if len(seen) != 7 || pages != 3 {
		t.Fatalf("%d questions on %d pages, want 7 on 3", len(seen), pages)
	}
}

func TestExamQuestionTagsAndBankCopy(t *testing.T) {
	a := newApp(t)
	admin := a.signup("Org A", "a@example.com")
	tok := admin.AccessToken
	var bq bankItem
	a.must(http.StatusCreated, "POST", "/api/v1/bank/questions", bankSC("客户投诉处理的第一步是什么？", "投诉处理"), tok).Decode(t, &bq)

	copyQ := bankSC("客户投诉处理的第一步是什么？", "投诉处理")
	copyQ["bank_id"] = bq.ID
	doc := map[string]any{"title": "客服经理笔试", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{map[string]any{"title": "一", "questions": []any{copyQ}}}}
	ex := a.must(http.StatusCreated, "POST", "/api/v1/exams", doc, tok).JSON()
	q0 := ex["sections"].([]any)[0].(map[string]any)["questions"].([]any)[0].(map[string]any)
	if q0["bank_id"] != bq.ID || q0["tags"].([]any)[0] != "投诉处理" {
		t.Fatalf("exam question %v", q0)
	}
	// Editing and deleting the bank question never changes the exam.
	a.must(http.StatusOK, "PUT", "/api/v1/bank/questions/"+bq.ID, bankSC("改过的题目", "沟通"), tok)
	a.must(http.StatusNoContent, "DELETE", "/api/v1/bank/questions/"+bq.ID, nil, tok)
	got := a.must(http.StatusOK, "GET", "/api/v1/exams/"+ex["id"].(string), nil, tok).JSON()
	g0 := got["sections"].([]any)[0].(map[string]any)["questions"].([]any)[0].(map[string]any)
	if g0["prompt"] != "客户投诉处理的第一步是什么？" || g0["tags"].([]any)[0] != "投诉处理" {
		t.Fatalf("exam changed with the bank: %v", g0)
	}
	// Exam tags are validated like bank tags.
	badQ := bankSC("题", "a", "a")
	doc["sections"] = []any{map[string]any{"title": "一", "questions": []any{badQ}}}
	r := a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/exams", doc, tok)
	d := r.JSON()["error"].(map[string]any)["details"].([]any)[0].(map[string]any)
	if d["field"] != "sections[0].questions[0].tags[1]" || d["code"] != "duplicate" {
		t.Fatalf("details %v", d)
	}
	doc["position_id"] = "nope"
	a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/exams", doc, tok)
}

func TestPositionsCRUD(t *testing.T) {
	a := newApp(t)
	admin := a.signup("Org A", "a@example.com")
	tok := admin.AccessToken
	body := map[string]any{"title": "客户服务经理", "description": "负责客户服务中心",
		"responsibilities": []string{"制定客户服务标准", "处理重大客户投诉"}, "requirements": []string{"本科及以上学历"}}
	p := a.must(http.StatusCreated, "POST", "/api/v1/positions", body, tok).JSON()
	id := p["id"].(string)
	if p["title"] != "客户服务经理" || len(p["responsibilities"].([]any)) != 2 {
		t.Fatalf("created %v", p)
	}
	a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/positions", map[string]any{"title": " "}, tok)
	a.must(http.StatusUnprocessableEntity, "POST", "/api/v1/positions", map[string]any{"title": "x", "requirements": []string{""}}, tok)
	if n := countRows(a, "positions"); n != 1 {
		t.Fatalf("%d positions", n)
	}
	body["title"] = "客户服务主管"
	if r := a.must(http.StatusOK, "PUT", "/api/v1/positions/"+id, body, tok).JSON(); r["title"] != "客户服务主管" {
		t.Fatalf("updated %v", r)
	}
	list := a.must(http.StatusOK, "GET", "/api/v1/positions", nil, tok).JSON()["items"].([]any)
	if len(list) != 1 {
		t.Fatalf("list %v", list)
	}
	other := a.signup("Org B", "b@example.com")
	a.must(http.StatusNotFound, "GET", "/api/v1/positions/"+id, nil, other.AccessToken)
	a.must(http.StatusNotFound, "DELETE", "/api/v1/positions/"+id, nil, other.AccessToken)
	a.must(http.StatusNoContent, "DELETE", "/api/v1/positions/"+id, nil, tok)
	a.must(http.StatusNotFound, "GET", "/api/v1/positions/"+id, nil, tok)
}

func TestAttemptDetailSumsScoresByTag(t *testing.T) {
	a := newApp(t)
	doc := map[string]any{"title": "客服经理笔试", "time_limit_seconds": 600, "pass_score": 1,
		"sections": []any{map[string]any{"title": "一", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "投诉应当当天回复。", "answer": true, "points": 2, "tags": []string{"投诉处理", "沟通"}},
			map[string]any{"type": "single_choice", "prompt": "团队冲突时首先？", "points": 3, "tags": []string{"投诉处理"},
				"options": []map[string]string{{"key": "A", "text": "倾听"}, {"key": "B", "text": "回避"}}, "answer": "A"},
			map[string]any{"type": "essay", "prompt": "谈谈你的管理方法。", "points": 5, "tags": []string{"沟通", "团队管理"}},
		}}}}
	s, _, c, att := a.startedAttempt("tags@acme.test", doc, "")
	save := func(typ string, resp any) {
		a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+att.question(typ)["id"].(string), map[string]any{"response": resp, "seq": 1}, c.token)
	}
	save("true_false", map[string]any{"value": true})
	save("single_choice", map[string]string{"choice": "B"})
	save("essay", map[string]string{"text": "以身作则。"})

	type tagScore struct {
		Tag           string  `json:"tag"`
		PointsAwarded float64 `json:"points_awarded"`
		MaxPoints     float64 `json:"max_points"`
	}
	var d struct {
		Tags []tagScore `json:"tags"`
	}
	// In progress nothing is scored yet.
	a.must(200, "GET", "/api/v1/attempts/"+att.ID, nil, s.AccessToken).Decode(t, &d)
	for _, ts := range d.Tags {
		if ts.MaxPoints != 0 || ts.PointsAwarded != 0 {
			t.Fatalf("in progress: %+v", d.Tags)
		}
	}
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)
	a.must(200, "GET", "/api/v1/attempts/"+att.ID, nil, s.AccessToken).Decode(t, &d)
	// 投诉处理: 2 of 2 + 0 of 3; 沟通: 2 of 2 (the essay waits for review);
	// 团队管理: only the unreviewed essay.
	want := []tagScore{{"投诉处理", 2, 5}, {"沟通", 2, 2}, {"团队管理", 0, 0}}
	if fmt.Sprint(d.Tags) != fmt.Sprint(want) {
		t.Fatalf("tags %+v, want %+v", d.Tags, want)
	}
}

func TestPositionCandidatesRankWithTagScores(t *testing.T) {
	a := newApp(t)
	s := a.signup("Acme", "pos@acme.test")
	pos := a.must(http.StatusCreated, "POST", "/api/v1/positions", map[string]any{"title": "客户服务经理"}, s.AccessToken).JSON()
	pid := pos["id"].(string)
	doc := map[string]any{"title": "客服经理笔试", "time_limit_seconds": 600, "pass_score": 1, "position_id": pid,
		"sections": []any{map[string]any{"title": "一", "questions": []any{
			map[string]any{"type": "true_false", "prompt": "投诉应当当天回复。", "answer": true, "points": 2, "tags": []string{"投诉处理"}},
			map[string]any{"type": "true_false", "prompt": "团队每周开会。", "answer": true, "points": 3, "tags": []string{"团队管理"}},
		}}}}
	examID := a.publishedExam(s.AccessToken, doc)
	// Another exam without the position: its attempts are not listed.
	delete(doc, "position_id")
	otherExam := a.publishedExam(s.AccessToken, doc)
	take := func(exam string, answers ...bool) string {
		c := a.candidate(s.AccessToken, exam, "")
		att := a.startAttempt(c)
		for i, q := range att.Sections[0].Questions {
			a.must(200, "PUT", "/api/v1/candidate/attempt/answers/"+q["id"].(string), map[string]any{"response": map[string]any{"value": answers[i]}, "seq": 1}, c.token)
		}
		a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.token)
		return att.ID
	}
	low := take(examID, true, false)  // 2 points
	high := take(examID, false, true) // 3 points
	take(otherExam, true, true)

	var out struct {
		Items []struct {
			AttemptID string   `json:"attempt_id"`
			Score     *float64 `json:"score"`
			Tags      []struct {
				Tag           string  `json:"tag"`
				PointsAwarded float64 `json:"points_awarded"`
				MaxPoints     float64 `json:"max_points"`
			} `json:"tags"`
		} `json:"items"`
	}
	a.must(http.StatusOK, "GET", "/api/v1/positions/"+pid+"/candidates", nil, s.AccessToken).Decode(t, &out)
	if len(out.Items) != 2 || out.Items[0].AttemptID != high || out.Items[1].AttemptID != low {
		t.Fatalf("ranking %+v, want %s then %s", out.Items, high, low)
	}
	top := out.Items[0]
	if *top.Score != 3 || len(top.Tags) != 2 || top.Tags[0].Tag != "投诉处理" || top.Tags[0].PointsAwarded != 0 ||
		top.Tags[1].PointsAwarded != 3 || top.Tags[1].MaxPoints != 3 {
		t.Fatalf("top %+v", top)
	}
	other := a.signup("Other", "o@other.test")
	a.must(http.StatusNotFound, "GET", "/api/v1/positions/"+pid+"/candidates", nil, other.AccessToken)
}

// A search pages through a bank larger than the window List scans in
// index order: a common word (a page fills inside the window), a rare one
// (its matches further apart than the window) and a type filter
// with a word. Each walk must give exactly the matching questions, in the
// order of the unfiltered list, each once.
func TestBankSearchPagesBeyondTheScanWindow(t *testing.T) {
	a := newApp(t)
	tok := a.signup("Org Big", "big@example.com").AccessToken
	// Four batches, each created at one instant. The rare word's first
	// and last questions lie in the first and the last batch, more than
	// List's window (1,000 rows for these pages) apart.
	const n = 3600
	rare := map[int]bool{5: true, 1300: true, 3500: true}
	for from := 0; from < n; from += 1000 {
		qs := []any{}
		for i := from; i < min(from+1000, n); i++ {
			p := fmt.Sprintf("服务题 %d", i)
			if i%3 == 0 {
				p += "：客户投诉怎么办"
			}
			if rare[i] {
				p += "，物业费催缴"
			}
			q := bankSC(p)
			if i%2 == 0 {
				q = map[string]any{"type": "true_false", "prompt": p, "points": 1, "answer": true}
			}
			qs = append(qs, q)
		}
		a.must(http.StatusCreated, "POST", "/api/v1/bank/questions/batch", map[string]any{"questions": qs}, tok)
	}
	walk := func(query string, limit int) []bankItem {
		var all []bankItem
		next := ""
		for {
			qv := fmt.Sprintf("?limit=%d%s", limit, query)
			if next != "" {
				qv += "&cursor=" + url.QueryEscape(next)
			}
			p := listBank(a, tok, qv)
			if len(p.Items) > limit || (p.NextCursor != nil && len(p.Items) != limit) {
				t.Fatalf("%s: a page of %d (limit %d, more: %v)", qv, len(p.Items), limit, p.NextCursor != nil)
			}
			all = append(all, p.Items...)
			if p.NextCursor == nil {
				return all
			}
			next = *p.NextCursor
		}
	}
	everything := walk("", 500)
	if len(everything) != n {
		t.Fatalf("unfiltered: %d questions, want %d", len(everything), n)
	}
	check := func(name, query string, limit int, match func(bankItem) bool) {
		t.Helper()
		var want []string
		for _, it := range everything {
			if match(it) {
				want = append(want, it.ID)
			}
		}
		got := walk(query, limit)
		if len(got) != len(want) {
			t.Fatalf("%s: %d questions, want %d", name, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i] {
				t.Fatalf("%s: item %d is %s (%s), want %s", name, i, got[i].ID, got[i].Prompt, want[i])
			}
		}
	}
	has := func(s string) func(bankItem) bool {
		return func(it bankItem) bool { return strings.Contains(it.Prompt, s) }
	}
	check("common word", "&q="+url.QueryEscape("投诉"), 50, has("投诉"))
	check("rare word", "&q="+url.QueryEscape("催缴"), 1, has("催缴"))
	check("rare word, big pages", "&q="+url.QueryEscape("催缴"), 500, has("催缴"))
	check("word and type", "&type=true_false&q="+url.QueryEscape("投诉"), 20,
		func(it bankItem) bool { return it.Type == "true_false" && strings.Contains(it.Prompt, "投诉") })
	check("no match", "&q="+url.QueryEscape("绩效"), 50, has("绩效"))
}

// The ranking of a position reads every attempt at once; each of its rows
// must say what the attempt's own detail says: status, scores, passed,
// submit time and per-tag scores, for attempts of both tracks, in progress,
// submitted with an essay waiting, and graded, with drawn questions, across
// two exams of the position.
func TestPositionCandidatesAgreeWithAttemptDetail(t *testing.T) {
	a := parallelApp(t)
	s := a.signup("Acme", "rank@acme.test")
	tok := s.AccessToken
	pid := a.must(http.StatusCreated, "POST", "/api/v1/positions", map[string]any{"title": "客服主管"}, tok).JSON()["id"].(string)
	for i := 0; i < 3; i++ {
		a.must(http.StatusCreated, "POST", "/api/v1/bank/questions", map[string]any{"type": "true_false",
			"prompt": fmt.Sprintf("题库判断 %d", i), "answer": i%2 == 0, "points": 2, "tags": []string{"抽题", "沟通"}}, tok)
	}
	doc := func(title string) map[string]any {
		return map[string]any{"title": title, "time_limit_seconds": 600, "pass_score": 4, "position_id": pid,
			"tracks": []string{"manager", "supervisor"},
			"sections": []any{
				map[string]any{"title": "一", "questions": []any{
					map[string]any{"type": "true_false", "prompt": "投诉当天回复。", "answer": true, "points": 2, "tags": []string{"投诉处理"}, "tracks": []string{"manager"}},
					map[string]any{"type": "single_choice", "prompt": "先做什么？", "options": []any{map[string]any{"key": "a", "text": "道歉"}, map[string]any{"key": "b", "text": "争辩"}},
						"answer": "a", "points": 3, "tags": []string{"沟通", "投诉处理"}},
					map[string]any{"type": "essay", "prompt": "谈谈团队。", "points": 5, "tags": []string{"团队管理", "沟通"}},
				}},
				map[string]any{"title": "二", "questions": []any{}, "draw": map[string]any{"count": 2, "tags": []string{"抽题"}}},
			}}
	}
	e1, e2 := a.grPublish(tok, doc("主管笔试 A")), a.grPublish(tok, doc("主管笔试 B"))
	answers := func(c grCandidate, right bool) map[string]any {
		var att attemptResp
		a.must(200, "GET", "/api/v1/candidate/attempt", nil, c.Token).Decode(t, &att)
		out := map[string]any{}
		for _, sec := range att.Sections {
			for _, q := range sec.Questions {
				switch q["type"] {
				case "true_false":
					out[q["id"].(string)] = map[string]any{"value": right}
				case "single_choice":
					out[q["id"].(string)] = map[string]any{"choice": map[bool]string{true: "a", false: "b"}[right]}
				case "essay":
					out[q["id"].(string)] = map[string]any{"text": "开会"}
				}
			}
		}
		return out
	}
	var attempts []string
	for i, st := range []struct {
		exam   string
		track  string
		right  bool
		submit bool
		review float64 // < 0: the essay is not reviewed
	}{
		{e1.ID, "manager", true, true, 4.5},
		{e1.ID, "supervisor", false, true, -1},
		{e1.ID, "manager", true, false, -1},
		{e2.ID, "supervisor", true, true, 1},
		{e2.ID, "manager", false, true, 0},
	} {
		c := a.grStart(tok, st.exam, fmt.Sprintf("候选人%d", i), fmt.Sprintf("c%d@acme.test", i), st.track)
		a.grAnswer(c, answers(c, st.right))
		if st.submit {
			a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, c.Token)
		}
		if st.review >= 0 {
			item, code := a.grClaimItem(tok, map[string]any{"exam_id": st.exam})
			if code != 200 {
				t.Fatalf("claim: %d", code)
			}
			a.must(200, "POST", "/api/v1/reviews/"+item.ID+"/score", map[string]any{"points": st.review}, tok)
		}
		attempts = append(attempts, c.AttemptID)
	}

	var ranking struct {
		Items []grading.PositionCandidate `json:"items"`
	}
	a.must(200, "GET", "/api/v1/positions/"+pid+"/candidates", nil, tok).Decode(t, &ranking)
	if len(ranking.Items) != len(attempts) {
		t.Fatalf("%d rows for %d attempts", len(ranking.Items), len(attempts))
	}
	prev := 1e9
	for i, row := range ranking.Items {
		d, _ := a.grDetail(tok, row.AttemptID)
		want := grading.PositionCandidate{AttemptID: d.ID, ExamID: d.ExamID, ExamTitle: row.ExamTitle, CandidateName: d.CandidateName,
			CandidateEmail: d.CandidateEmail, Status: d.Status, Score: d.Score, MaxScore: d.MaxScore, Passed: d.Passed,
			SubmittedAt: d.SubmittedAt, Tags: d.Tags}
		if got, w := jsonOf(t, row), jsonOf(t, want); got != w {
			t.Errorf("row %d:\n%s\nthe attempt's detail says\n%s", i, got, w)
		}
		// Best score first, the attempt in progress (no score) last.
		switch {
		case row.Score == nil && i != len(ranking.Items)-1:
			t.Errorf("row %d has no score but is not last", i)
		case row.Score != nil && *row.Score > prev:
			t.Errorf("row %d scores %v after %v", i, *row.Score, prev)
		case row.Score != nil:
			prev = *row.Score
		}
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
