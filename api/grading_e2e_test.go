package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"examd/exam"
	"examd/exam/demo"
	"examd/grading"
)

// The demo exam (exam/demo) taken by a manager and a supervisor with known
// answers, through the candidate endpoints; then a reviewer scores every
// essay blind; then results, attempt detail and CSV must agree with totals
// worked out by hand below.
//
// The demo's sections (section index si, question index qi):
//
//	0 一、填空   5 × fill_in, 1 point a blank
//	             keys: 客人|客户|宾客, 书面|书面通知|…, 审核|审批|审查|审核审批, 两|二|2, 客户档案|档案|客户档案资料|业户档案
//	1 二、判断   5 × true_false, 1 point: false, false, false, true, true
//	2 三、单选   5 × single_choice, 1 point: a, b, c, c, c
//	3 四、多选   5 × multiple_choice, +1 right / −1 wrong, floor 0:
//	             [a b c e g] of a–g, [b d] of a–g, [a d e f] of a–g, [a c e g h] of a–h, [b d e f] of a–g
//	4 五、简答   5 × essay, 6 points
//	5 六、论述   essay 15 (both), essay 20 (manager only), essay 20 (supervisor only)
//	6 七、案例   essays 5, 5, 10
//
// Each track's maximum: 5 + 5 + 5 + 20 + 30 + 35 + 20 = 120; pass score 72.

type grPos struct{ si, qi int }

// grDemoAnswer is one planned answer: the response saved (nil = left
// unanswered), the points it must earn, and for an essay sent to review the
// points and comment the reviewer gives (reviewer true).
type grDemoAnswer struct {
	resp     any
	points   float64
	reviewer bool
}

func grText(s string) map[string]any      { return map[string]any{"text": s} }
func grBlanks(s ...string) map[string]any { return map[string]any{"blanks": s} }
func grChoice(k string) map[string]any    { return map[string]any{"choice": k} }
func grChoices(k ...string) map[string]any {
	return map[string]any{"choices": append([]string{}, k...)}
}
func grBool(v bool) map[string]any { return map[string]any{"value": v} }

// The manager, 张伟.
//
//	填空  "客人" 1 + "　书面　" (ideographic spaces, trimmed) 1 + "审  核" ("审 核" ≠ "审核") 0
//	      + "２" (full-width, NFKC "2") 1 + "档案馆" 0                                     =  3
//	判断  false✓ 1 + true✗ 0 + false✓ 1 + true✓ 1 + false✗ 0                            =  3
//	单选  a✓ 1 + a✗ 0 + c✓ 1 + c✓ 1 + (blank) 0                                          =  3
//	多选  {a b c d}: 3 − 1 = 2; {b d}: 2; {a b c}: 1 − 2 → floor 0; {a c e g h}: 5; {}: 0  =  9
//	objective                                                                             = 18
//	简答  reviewed 5 + 4.5; "   " (blank) auto 0; reviewed 6; unanswered auto 0             = 15.5
//	论述  reviewed 12 + 17.5 (manager's own)                                              = 29.5
//	案例  reviewed 4 + 3 + 8                                                              = 15
//	reviewers: 5 + 4.5 + 6 + 12 + 17.5 + 4 + 3 + 8                                        = 60
//	score 18 + 60 = 78 ≥ 72: passed.
var grManager = map[grPos]grDemoAnswer{
	{0, 0}: {grBlanks("客人"), 1, false},
	{0, 1}: {grBlanks("\u3000书面\u3000"), 1, false},
	{0, 2}: {grBlanks("审  核"), 0, false},
	{0, 3}: {grBlanks("２"), 1, false},
	{0, 4}: {grBlanks("档案馆"), 0, false},
	{1, 0}: {grBool(false), 1, false},
	{1, 1}: {grBool(true), 0, false},
	{1, 2}: {grBool(false), 1, false},
	{1, 3}: {grBool(true), 1, false},
	{1, 4}: {grBool(false), 0, false},
	{2, 0}: {grChoice("a"), 1, false},
	{2, 1}: {grChoice("a"), 0, false},
	{2, 2}: {grChoice("c"), 1, false},
	{2, 3}: {grChoice("c"), 1, false},
	{2, 4}: {nil, 0, false},
	{3, 0}: {grChoices("a", "b", "c", "d"), 2, false},
	{3, 1}: {grChoices("b", "d"), 2, false},
	{3, 2}: {grChoices("a", "b", "c"), 0, false},
	{3, 3}: {grChoices("a", "c", "e", "g", "h"), 5, false},
	{3, 4}: {grChoices(), 0, false},
	{4, 0}: {grText("张伟·简答1:立即通知保安和消防,同时联系客户。"), 5, true},
	{4, 1}: {grText("张伟·简答2:核实停电原因,按合同与客户协商。"), 4.5, true},
	{4, 2}: {grText("   \n "), 0, false},
	{4, 3}: {grText("张伟·简答4:预算分解、月度分析、审批控制。"), 6, true},
	{4, 4}: {nil, 0, false},
	{5, 0}: {grText("张伟·论述1:定期拜访,满意度调查,沟通渠道。"), 12, true},
	{5, 1}: {grText("张伟·论述2:客户关系、团队建设、品质管理。"), 17.5, true},
	{6, 0}: {grText("张伟·案例1:精神可嘉,但越权。"), 4, true},
	{6, 1}: {grText("张伟·案例2:以客户为中心,授权制度不清。"), 3, true},
	{6, 2}: {grText("张伟·案例3:表扬并报销,再完善授权。"), 8, true},
}

// The supervisor, 李娜.
//
//	填空  "客户" 1 + "书面通知" 1 + "审批" 1 + "二" 1 + "客户　档案" ("客户 档案" ≠ "客户档案") 0 =  4
//	判断  false✓ 1 + false✓ 1 + true✗ 0 + true✓ 1 + true✓ 1                             =  4
//	单选  b✗ 0 + b✓ 1 + a✗ 0 + c✓ 1 + c✓ 1                                               =  3
//	多选  {d f}: 0 − 2 → floor 0; {b d e}: 2 − 1 = 1; {a d e f}: 4; {a b c e g h}: 5 − 1 = 4;
//	      all seven {a b c d e f g}: 4 − 3 = 1                                             = 10
//	objective                                                                             = 21
//	简答  reviewed 3 + 2.5 + 4 + 1 + 0                                                    = 10.5
//	论述  reviewed 8 + 10 (supervisor's own)                                              = 18
//	案例  "" auto 0 + reviewed 2 + unanswered auto 0                                      =  2
//	reviewers: 3 + 2.5 + 4 + 1 + 0 + 8 + 10 + 2                                           = 30.5
//	score 21 + 30.5 = 51.5 < 72: not passed.
var grSupervisor = map[grPos]grDemoAnswer{
	{0, 0}: {grBlanks("客户"), 1, false},
	{0, 1}: {grBlanks("书面通知"), 1, false},
	{0, 2}: {grBlanks("审批"), 1, false},
	{0, 3}: {grBlanks("二"), 1, false},
	{0, 4}: {grBlanks("客户\u3000档案"), 0, false},
	{1, 0}: {grBool(false), 1, false},
	{1, 1}: {grBool(false), 1, false},
	{1, 2}: {grBool(true), 0, false},
	{1, 3}: {grBool(true), 1, false},
	{1, 4}: {grBool(true), 1, false},
	{2, 0}: {grChoice("b"), 0, false},
	{2, 1}: {grChoice("b"), 1, false},
	{2, 2}: {grChoice("a"), 0, false},
	{2, 3}: {grChoice("c"), 1, false},
	{2, 4}: {grChoice("c"), 1, false},
	{3, 0}: {grChoices("d", "f"), 0, false},
	{3, 1}: {grChoices("b", "d", "e"), 1, false},
	{3, 2}: {grChoices("a", "d", "e", "f"), 4, false},
	{3, 3}: {grChoices("a", "c", "e", "g", "h", "b"), 4, false},
	{3, 4}: {grChoices("b", "d", "e", "f", "a", "c", "g"), 1, false},
	{4, 0}: {grText("李娜·简答1:先报告,再处理。"), 3, true},
	{4, 1}: {grText("李娜·简答2:向客户道歉。"), 2.5, true},
	{4, 2}: {grText("李娜·简答3:关阀止水,协调赔偿。"), 4, true},
	{4, 3}: {grText("李娜·简答4:节约。"), 1, true},
	{4, 4}: {grText("李娜·简答5:不清楚。"), 0, true},
	{5, 0}: {grText("李娜·论述1:多沟通。"), 8, true},
	{5, 2}: {grText("李娜·论述3:认真倾听投诉,关心员工。"), 10, true},
	{6, 0}: {grText(""), 0, false},
	{6, 1}: {grText("李娜·案例2:公司文化好。"), 2, true},
	{6, 2}: {nil, 0, false},
}

// Section scores by hand (see above), and the totals.
var (
	grManagerSections    = []float64{3, 3, 3, 9, 15.5, 29.5, 15} // = 78
	grSupervisorSections = []float64{4, 4, 3, 10, 10.5, 18, 2}   // = 51.5
)

const (
	grManagerName     = "张伟"
	grManagerEmail    = "zhang.wei@example.cn"
	grSupervisorName  = "李娜"
	grSupervisorEmail = "li.na@example.cn"
)

// grComment is the reviewer's comment on an essay answer.
func grComment(text string) string { return "评语:" + strings.SplitN(text, ":", 2)[0] }

type grDemoRun struct {
	a          *app
	admin      session
	recruiter  session
	reviewer   session
	exam       exam.Exam
	manager    grCandidate
	supervisor grCandidate
}

func (r *grDemoRun) qid(p grPos) string { return r.exam.Sections[p.si].Questions[p.qi].ID }

func (r *grDemoRun) answers(plan map[grPos]grDemoAnswer) map[string]any {
	m := map[string]any{}
	for p, ans := range plan {
		if ans.resp != nil {
			m[r.qid(p)] = ans.resp
		}
	}
	return m
}

// grRunDemo publishes the demo exam and has both candidates take it;
// with review, a reviewer then scores every essay as planned.
func grRunDemo(t *testing.T, review bool) *grDemoRun {
	t.Helper()
	a := newApp(t)
	d, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &grDemoRun{a: a}
	r.admin = a.signup(d.Organization, "admin@demo.test")
	r.recruiter = a.staff(r.admin.AccessToken, "recruiter", "recruiter@demo.test")
	r.reviewer = a.staff(r.admin.AccessToken, "reviewer", "reviewer@demo.test")
	r.exam = a.grPublish(r.recruiter.AccessToken, d.Exam)
	if len(r.exam.Sections) != 7 {
		t.Fatalf("demo exam has %d sections", len(r.exam.Sections))
	}

	r.manager = a.grStart(r.recruiter.AccessToken, r.exam.ID, grManagerName, grManagerEmail, "manager")
	a.grAnswer(r.manager, r.answers(grManager))
	a.must(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "blur", "at": time.Now().UTC()}, r.manager.Token)
	a.must(202, "POST", "/api/v1/candidate/attempt/events", map[string]any{"type": "paste", "at": time.Now().UTC()}, r.manager.Token,
		withAddr("198.51.100.7:4444"))
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, r.manager.Token)

	r.supervisor = a.grStart(r.recruiter.AccessToken, r.exam.ID, grSupervisorName, grSupervisorEmail, "supervisor")
	// The manager-only essay is not the supervisor's to answer.
	a.must(404, "PUT", "/api/v1/candidate/attempt/answers/"+r.qid(grPos{5, 1}),
		map[string]any{"response": grText("x"), "seq": 1}, r.supervisor.Token)
	a.grAnswer(r.supervisor, r.answers(grSupervisor))
	a.must(200, "POST", "/api/v1/candidate/attempt/submit", nil, r.supervisor.Token)

	if review {
		r.reviewAll(t)
	}
	return r
}

// reviewAll claims every essay blind and scores it as planned, telling the
// answers apart by their text only.
func (r *grDemoRun) reviewAll(t *testing.T) {
	t.Helper()
	plan := map[string]float64{}
	for _, m := range []map[grPos]grDemoAnswer{grManager, grSupervisor} {
		for _, ans := range m {
			if ans.reviewer {
				plan[ans.resp.(map[string]any)["text"].(string)] = ans.points
			}
		}
	}
	scored := 0
	for {
		c, st := r.a.grClaimItem(r.reviewer.AccessToken, map[string]any{"exam_id": r.exam.ID})
		if st == 204 {
			break
		}
		if st != 200 {
			t.Fatalf("claim: %d", st)
		}
		pts, ok := plan[c.Response.Text]
		if !ok {
			t.Fatalf("unexpected essay in the queue: %q", c.Response.Text)
		}
		delete(plan, c.Response.Text)
		if c.ExamTitle != "客户服务经理面试题" || c.Question.Prompt == "" || c.Question.ReferenceAnswer == "" || len(c.Question.Rubric) == 0 {
			t.Errorf("claim view: %+v", c)
		}
		r.a.must(200, "POST", "/api/v1/reviews/"+c.ID+"/score",
			map[string]any{"points": pts, "comment": grComment(c.Response.Text)}, r.reviewer.AccessToken)
		scored++
	}
	if len(plan) != 0 || scored != 16 {
		t.Fatalf("scored %d essays; never offered: %v", scored, plan)
	}
}

// grResults is the exam's results list by attempt id.
func (a *app) grResults(token, examID string) map[string]grading.Result {
	a.t.Helper()
	var res struct {
		Items []grading.Result `json:"items"`
	}
	a.must(200, "GET", "/api/v1/exams/"+examID+"/results", nil, token).Decode(a.t, &res)
	out := map[string]grading.Result{}
	for _, it := range res.Items {
		var id string
		if it.AttemptID != nil {
			id = *it.AttemptID
		}
		out[id] = it
	}
	if len(out) != len(res.Items) {
		a.t.Fatalf("results list an attempt twice: %+v", res.Items)
	}
	return out
}

func (a *app) grDetail(token, attemptID string) (grading.AttemptDetail, []byte) {
	a.t.Helper()
	r := a.must(200, "GET", "/api/v1/attempts/"+attemptID, nil, token)
	var d grading.AttemptDetail
	r.Decode(a.t, &d)
	return d, r.Body
}

// grSameResponse compares a stored response with the one sent, as the
// question's type reads them.
func grSameResponse(stored json.RawMessage, sent any) bool {
	if sent == nil {
		return stored == nil || string(stored) == "null"
	}
	b, _ := json.Marshal(sent)
	var x, y exam.Response
	if json.Unmarshal(stored, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	bx, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(bx, by)
}

func grEq(p *float64, v float64) bool { return p != nil && *p == v }

// checkDetail compares an attempt's detail with its plan. reviewed says
// whether the reviewer has scored the essays yet.
func (r *grDemoRun) checkDetail(t *testing.T, d grading.AttemptDetail, plan map[grPos]grDemoAnswer, reviewed bool) {
	t.Helper()
	// Document order of the track's questions.
	var want []grPos
	for si, s := range r.exam.Sections {
		for qi := range s.Questions {
			if _, ok := plan[grPos{si, qi}]; ok {
				want = append(want, grPos{si, qi})
			}
		}
	}
	if len(d.Questions) != len(want) {
		t.Fatalf("detail has %d questions, want %d", len(d.Questions), len(want))
	}
	var sum float64
	for i, p := range want {
		q, ans := d.Questions[i], plan[p]
		src := r.exam.Sections[p.si].Questions[p.qi]
		if q.QuestionID != src.ID || q.SectionID != r.exam.Sections[p.si].ID || q.Type != src.Type || q.Prompt != src.Prompt {
			t.Errorf("question %d: %+v, want %v", i, q, p)
			continue
		}
		if !grSameResponse(q.Response, ans.resp) {
			t.Errorf("question %v: response %s, sent %v", p, q.Response, ans.resp)
		}
		if q.MaxPoints != src.MaxPoints() {
			t.Errorf("question %v: max_points %v, want %v", p, q.MaxPoints, src.MaxPoints())
		}
		switch {
		case ans.reviewer && !reviewed:
			if q.PointsAwarded != nil || q.GradedBy != nil || q.Comment != nil {
				t.Errorf("question %v awaits review: %v %v %v", p, q.PointsAwarded, q.GradedBy, q.Comment)
			}
		case ans.reviewer:
			text := ans.resp.(map[string]any)["text"].(string)
			if !grEq(q.PointsAwarded, ans.points) || q.GradedBy == nil || *q.GradedBy != "reviewer" ||
				q.Comment == nil || *q.Comment != grComment(text) {
				t.Errorf("question %v: points %v by %v comment %v, want %v by reviewer", p, q.PointsAwarded, q.GradedBy, q.Comment, ans.points)
			}
		default:
			if !grEq(q.PointsAwarded, ans.points) || q.GradedBy == nil || *q.GradedBy != "auto" || q.Comment != nil {
				t.Errorf("question %v: points %v by %v, want %v by auto", p, q.PointsAwarded, q.GradedBy, ans.points)
			}
		}
		if q.PointsAwarded != nil {
			sum += *q.PointsAwarded
		}
	}
	if !grEq(d.Score, sum) {
		t.Errorf("score %v, but the questions' points sum to %v", d.Score, sum)
	}
}

func TestGradingEndToEndWithTheDemoExam(t *testing.T) {
	t.Parallel()
	r := grRunDemo(t, false)
	a, rec := r.a, r.recruiter.AccessToken

	// Before review: the objective part only; essays wait.
	res := a.grResults(rec, r.exam.ID)
	m, s := res[r.manager.AttemptID], res[r.supervisor.AttemptID]
	if m.Status != "grading" || !grEq(m.AutoScore, 18) || !grEq(m.ManualScore, 0) || !grEq(m.Score, 18) || !grEq(m.MaxScore, 120) || m.Passed != nil {
		t.Fatalf("manager before review: %+v", m)
	}
	if s.Status != "grading" || !grEq(s.AutoScore, 21) || !grEq(s.ManualScore, 0) || !grEq(s.Score, 21) || !grEq(s.MaxScore, 120) || s.Passed != nil {
		t.Fatalf("supervisor before review: %+v", s)
	}
	md, _ := a.grDetail(rec, r.manager.AttemptID)
	r.checkDetail(t, md, grManager, false)
	// 张伟 sent 8 essays with text, 李娜 8: 16 items.
	if st := a.grStats(r.reviewer.AccessToken, "?exam_id="+r.exam.ID); st != (grStats{Pending: 16}) {
		t.Fatalf("queue: %+v", st)
	}

	r.reviewAll(t)

	// After review: totals as worked out above.
	res = a.grResults(rec, r.exam.ID)
	m, s = res[r.manager.AttemptID], res[r.supervisor.AttemptID]
	if m.Status != "graded" || !grEq(m.AutoScore, 18) || !grEq(m.ManualScore, 60) || !grEq(m.Score, 78) || !grEq(m.MaxScore, 120) ||
		m.Passed == nil || !*m.Passed || m.CandidateName != grManagerName || m.CandidateEmail != grManagerEmail || m.Track != "manager" ||
		m.InvitationID != r.manager.InvitationID || m.SubmittedBy == nil || *m.SubmittedBy != "candidate" || m.SubmittedAt == nil {
		t.Errorf("manager: %+v", m)
	}
	if s.Status != "graded" || !grEq(s.AutoScore, 21) || !grEq(s.ManualScore, 30.5) || !grEq(s.Score, 51.5) || !grEq(s.MaxScore, 120) ||
		s.Passed == nil || *s.Passed || s.CandidateName != grSupervisorName || s.Track != "supervisor" {
		t.Errorf("supervisor: %+v", s)
	}
	if st := a.grStats(r.reviewer.AccessToken, ""); st != (grStats{Done: 16}) {
		t.Errorf("queue after review: %+v", st)
	}

	// The detail agrees question by question, and with the list.
	md, body := a.grDetail(rec, r.manager.AttemptID)
	r.checkDetail(t, md, grManager, true)
	if md.ID != r.manager.AttemptID || md.InvitationID != r.manager.InvitationID || md.CandidateName != grManagerName ||
		md.Status != "graded" || !grEq(md.AutoScore, 18) || !grEq(md.ManualScore, 60) || !grEq(md.MaxScore, 120) ||
		md.Passed == nil || !*md.Passed || md.StartedAt.IsZero() || !md.Deadline.After(md.StartedAt) {
		t.Errorf("manager detail: %s", body)
	}
	if len(md.Events) != 2 || md.Events[0].Type != "blur" || md.Events[1].Type != "paste" ||
		md.Events[0].ClientAddress != "192.0.2.10" || md.Events[1].ClientAddress != "198.51.100.7" || md.Events[0].At.IsZero() {
		t.Errorf("manager events: %+v", md.Events)
	}
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, body, "", "  ")
	t.Logf("manager's attempt detail:\n%s", pretty.String())
	sd, _ := a.grDetail(rec, r.supervisor.AttemptID)
	r.checkDetail(t, sd, grSupervisor, true)
	if len(sd.Events) != 0 || !grEq(sd.Score, 51.5) || sd.Passed == nil || *sd.Passed {
		t.Errorf("supervisor detail: %+v", sd)
	}

	// The CSV: byte-order mark, header, one row an attempt, section columns.
	cr := a.must(200, "GET", "/api/v1/exams/"+r.exam.ID+"/results.csv", nil, rec)
	if ct := cr.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if !bytes.HasPrefix(cr.Body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no byte-order mark: %q", cr.Body[:min(20, len(cr.Body))])
	}
	rows, err := csv.NewReader(bytes.NewReader(cr.Body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("CSV has %d rows: %q", len(rows), rows)
	}
	header := rows[0]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	// The section columns follow the fixed ones (tag columns come after).
	first := col["submitted_by"] + 1
	for i, sec := range r.exam.Sections {
		if header[first+i] != sec.Title {
			t.Errorf("column %d is %q, want section %q", first+i, header[first+i], sec.Title)
		}
	}
	// The demo's questions carry competency tags, each a column marked as
	// a tag after the sections (a tag may share a section's title).
	if tags := header[first+len(r.exam.Sections):]; len(tags) == 0 || !strings.HasPrefix(tags[0], "tag: ") {
		t.Errorf("columns after the sections: %q, want the tag columns", tags)
	}
	for _, row := range rows[1:] {
		var want []float64
		var list grading.Result
		switch row[col["attempt_id"]] {
		case r.manager.AttemptID:
			want, list = grManagerSections, m
		case r.supervisor.AttemptID:
			want, list = grSupervisorSections, s
		default:
			t.Fatalf("unknown row %q", row)
		}
		if row[col["candidate_name"]] != list.CandidateName || row[col["candidate_email"]] != list.CandidateEmail ||
			row[col["invitation_id"]] != list.InvitationID || row[col["track"]] != list.Track || row[col["status"]] != "graded" ||
			row[col["score"]] != strconv.FormatFloat(*list.Score, 'f', -1, 64) ||
			row[col["auto_score"]] != strconv.FormatFloat(*list.AutoScore, 'f', -1, 64) ||
			row[col["manual_score"]] != strconv.FormatFloat(*list.ManualScore, 'f', -1, 64) ||
			row[col["max_score"]] != "120" || row[col["passed"]] != strconv.FormatBool(*list.Passed) ||
			row[col["submitted_by"]] != "candidate" || row[col["submitted_at"]] != list.SubmittedAt.UTC().Format(time.RFC3339) {
			t.Errorf("CSV row %q disagrees with the list %+v", row, list)
		}
		var sum float64
		for i, w := range want {
			got, err := strconv.ParseFloat(row[first+i], 64)
			if err != nil || got != w {
				t.Errorf("%s: section %q = %q, want %v", list.CandidateName, header[first+i], row[first+i], w)
			}
			sum += got
		}
		if sum != *list.Score {
			t.Errorf("%s: sections sum to %v, score is %v", list.CandidateName, sum, *list.Score)
		}
	}
	if !strings.Contains(string(cr.Body), grManagerName) || !strings.Contains(string(cr.Body), grSupervisorName) {
		t.Errorf("the CSV lacks the Chinese names")
	}
}
