package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"examd/exam"
)

// questionsPerType: 10 of each objective type and 10 essays, 50 questions.
const questionsPerType = 10

var essayText = []rune("作为写字楼客务经理，首先要建立完善的客户档案和沟通机制，定期走访租户，了解需求并及时反馈；" +
	"其次要做好投诉处理，做到首问负责、限时办结、回访确认；第三要抓服务质量，制定服务标准和检查制度，" +
	"对前台、保洁、保安、工程维修等环节进行巡查与考核；第四要注重团队建设，开展礼仪、消防、应急预案培训；" +
	"最后要配合物业公司做好费用收缴、装修管理、安全管理和节能管理，为客户营造安全、舒适、便利的办公环境。")

// benchDocument is the 50-question exam: fill-ins with two blanks, true or
// false, four-option single choice, seven-option multiple choice (+1/−1),
// and essays with a reference answer and a rubric. No tracks, so every
// candidate sees all 50.
func benchDocument(title string) *exam.Document {
	grace := 30
	d := &exam.Document{
		Title:            title,
		Description:      "写字楼客户服务经理、主管岗位（性能测试用卷）",
		TimeLimitSeconds: 3 * 3600,
		GraceSeconds:     &grace,
		PassScore:        60,
		ShuffleOptions:   true,
	}
	opt := func(keys string, texts ...string) []exam.Option {
		var o []exam.Option
		for i, k := range keys {
			o = append(o, exam.Option{Key: string(k), Text: texts[i%len(texts)]})
		}
		return o
	}
	var fill, tf, sc, mc, es exam.Section
	fill = exam.Section{Title: "一、填空", Instructions: "每空1分"}
	tf = exam.Section{Title: "二、判断", Instructions: "每题1分"}
	sc = exam.Section{Title: "三、单项选择", Instructions: "每题1分"}
	mc = exam.Section{Title: "四、多项选择", Instructions: "每选对一项得1分,选错一项减1分"}
	es = exam.Section{Title: "五、论述", Instructions: "每题10分"}
	for i := range questionsPerType {
		fill.Questions = append(fill.Questions, exam.Question{Type: exam.TypeFillIn,
			Prompt: fmt.Sprintf("第%d题：当你遇到上司和客人在一起时应先向{{1}}致意；写字楼消防控制室应{{2}}小时有人值班。", i+1),
			Blanks: []exam.Blank{{Accepted: []string{"客人", "客户"}, Points: 1}, {Accepted: []string{"24", "二十四"}, Points: 1}}})
		answer := json.RawMessage("true")
		if i%2 == 1 {
			answer = json.RawMessage("false")
		}
		tf.Questions = append(tf.Questions, exam.Question{Type: exam.TypeTrueFalse, Points: 1, Answer: answer,
			Prompt: fmt.Sprintf("第%d题：为了节能，提倡下班后关闭疏散楼梯的照明灯。", i+1)})
		sc.Questions = append(sc.Questions, exam.Question{Type: exam.TypeSingleChoice, Points: 1, Answer: json.RawMessage(`"b"`),
			Prompt:  fmt.Sprintf("第%d题：员工在上班的路上发生交通事故，是否属于工伤？", i+1),
			Options: opt("abcd", "是", "不是", "视情况而定", "由公司决定")})
		mc.Questions = append(mc.Questions, exam.Question{Type: exam.TypeMultipleChoice, Answers: []string{"a", "b", "c", "d", "e"},
			Prompt:  fmt.Sprintf("第%d题：智能化写字楼所说的“5A”是指", i+1),
			Options: opt("abcdefg", "办公智能化", "通讯智能化", "楼宇自控智能化", "消防智能化", "安保智能化", "停车智能化", "照明智能化")})
		es.Questions = append(es.Questions, exam.Question{Type: exam.TypeEssay, Points: 10,
			Prompt:          fmt.Sprintf("第%d题：做为写字楼客务经理，应重点做好哪些方面的工作？", i+1),
			ReferenceAnswer: string(essayText[:120]),
			Rubric:          []exam.RubricItem{{Criterion: "客户沟通与投诉处理", Points: 5}, {Criterion: "服务质量与团队管理", Points: 5}}})
	}
	d.Sections = []exam.Section{fill, tf, sc, mc, es}
	return d
}

// question is what the load generator knows of a published question.
type question struct {
	ID      string
	Type    string
	Blanks  int
	EssayNo int // 0..9 for essays, -1 otherwise
}

// examInfo is a published exam.
type examInfo struct {
	ID        string
	Questions []question
}

// candidate is one invitation and, once started, its attempt.
type candidate struct {
	N            int // index within its pool
	InvitationID string
	InviteToken  string
	Access       string
	AttemptID    string
	EssayNo      int // the one essay this candidate writes; the others stay empty
}

// responseFor builds a valid response to q for candidate c; variant varies
// the objective answers between saves.
func responseFor(q question, c *candidate, variant int) json.RawMessage {
	switch q.Type {
	case exam.TypeFillIn:
		sets := [][]string{{"客人", "24"}, {"客户", "二十四"}, {"上司", "１２"}, {"客人", "２４"}}
		b := sets[variant%len(sets)][:q.Blanks]
		out, _ := json.Marshal(map[string][]string{"blanks": b})
		return out
	case exam.TypeTrueFalse:
		return json.RawMessage(fmt.Sprintf(`{"value":%t}`, variant%2 == 0))
	case exam.TypeSingleChoice:
		return json.RawMessage(fmt.Sprintf(`{"choice":"%c"}`, 'a'+variant%4))
	case exam.TypeMultipleChoice:
		sets := []string{`["a","b","c"]`, `["a","f"]`, `["b","c","d","e"]`, `["g"]`, `["a","b","c","d","e"]`}
		return json.RawMessage(`{"choices":` + sets[variant%len(sets)] + `}`)
	case exam.TypeEssay:
		if q.EssayNo != c.EssayNo {
			return json.RawMessage(`{"text":""}`)
		}
		n := 80 + (variant*37)%(len(essayText)-80)
		out, _ := json.Marshal(map[string]string{"text": string(essayText[:n])})
		return out
	}
	panic("unknown question type " + q.Type)
}

// seeder creates the organization, exams, invitations and reviewers.
type seeder struct {
	api   *api
	admin string
	orgID string
}

func (s *seeder) signup(ctx context.Context) error {
	var out struct {
		AccessToken  string `json:"access_token"`
		Organization struct {
			ID string `json:"id"`
		} `json:"organization"`
	}
	email := fmt.Sprintf("bench-admin-%d@example.com", time.Now().UnixNano())
	if _, err := s.api.do(ctx, "POST", "/signup", "", map[string]string{
		"organization": "Bench 物业服务有限公司", "name": "Bench Admin", "email": email, "password": "bench-password-1",
	}, &out, 201); err != nil {
		return err
	}
	s.admin, s.orgID = out.AccessToken, out.Organization.ID
	return nil
}

// publishExam creates and publishes the bench document and reads back its
// frozen version with the server's question ids.
func (s *seeder) publishExam(ctx context.Context, title string) (*examInfo, error) {
	return s.publishDocument(ctx, benchDocument(title))
}

// publishDocument is publishExam for a bench document changed by the caller.
func (s *seeder) publishDocument(ctx context.Context, doc *exam.Document) (*examInfo, error) {
	var created struct {
		ID string `json:"id"`
	}
	if _, err := s.api.do(ctx, "POST", "/exams", s.admin, doc, &created, 201); err != nil {
		return nil, err
	}
	if _, err := s.api.do(ctx, "POST", "/exams/"+created.ID+"/publish", s.admin, nil, nil, 201); err != nil {
		return nil, err
	}
	var v struct {
		Exam exam.Document `json:"exam"`
	}
	if _, err := s.api.do(ctx, "GET", "/exams/"+created.ID+"/versions/1", s.admin, nil, &v, 200); err != nil {
		return nil, err
	}
	info := &examInfo{ID: created.ID}
	essay := 0
	for _, sec := range v.Exam.Sections {
		for _, q := range sec.Questions {
			qq := question{ID: q.ID, Type: q.Type, Blanks: len(q.Blanks), EssayNo: -1}
			if q.Type == exam.TypeEssay {
				qq.EssayNo = essay
				essay++
			}
			info.Questions = append(info.Questions, qq)
		}
	}
	if len(info.Questions) != 5*questionsPerType {
		return nil, fmt.Errorf("published exam has %d questions, want %d", len(info.Questions), 5*questionsPerType)
	}
	return info, nil
}

// invite creates n invitations to examID, at most 1000 a request.
func (s *seeder) invite(ctx context.Context, examID, pool string, n int) ([]*candidate, error) {
	var out []*candidate
	for len(out) < n {
		k := min(1000, n-len(out))
		list := make([]map[string]string, k)
		for i := range list {
			j := len(out) + i
			list[i] = map[string]string{"candidate_name": fmt.Sprintf("考生%s%05d", pool, j), "candidate_email": fmt.Sprintf("cand-%s-%05d@example.com", strings.ToLower(pool), j)}
		}
		var res struct {
			Items []struct {
				ID    string `json:"id"`
				Token string `json:"token"`
			} `json:"items"`
		}
		if _, err := s.api.do(ctx, "POST", "/exams/"+examID+"/invitations", s.admin, list, &res, 201); err != nil {
			return nil, err
		}
		for _, it := range res.Items {
			j := len(out)
			out = append(out, &candidate{N: j, InvitationID: it.ID, InviteToken: it.Token, EssayNo: j % questionsPerType})
		}
	}
	return out, nil
}

// openSession trades an invitation token for a candidate access token.
func openSession(ctx context.Context, a *api, c *candidate) error {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := a.do(ctx, "POST", "/candidate/sessions", "", map[string]string{"token": c.InviteToken}, &out, 200); err != nil {
		return err
	}
	c.Access = out.AccessToken
	return nil
}

// startAttempt starts (201) the candidate's attempt and keeps its id.
func startAttempt(ctx context.Context, a *api, c *candidate) error {
	var out struct {
		ID string `json:"id"`
	}
	if _, err := a.do(ctx, "POST", "/candidate/attempt", c.Access, nil, &out, 201); err != nil {
		return err
	}
	c.AttemptID = out.ID
	return nil
}

// startAll opens sessions and starts attempts with conc workers, unmeasured.
func startAll(ctx context.Context, a *api, cands []*candidate, conc int) error {
	return forAll(cands, conc, func(c *candidate) error {
		if err := openSession(ctx, a, c); err != nil {
			return err
		}
		return startAttempt(ctx, a, c)
	})
}

// forAll runs fn on every candidate with conc workers and returns the first
// error (each worker stops at its first). It is for unmeasured seeding: a
// request refused for load (503 with Retry-After, which does no work) is
// sent again after a pause, so a busy machine slows the seeding down
// instead of failing the run.
func forAll(cands []*candidate, conc int, fn func(*candidate) error) error {
	try := func(c *candidate) error {
		for n := 0; ; n++ {
			err := fn(c)
			var he *httpError
			if n == 50 || !errors.As(err, &he) || he.Status != http.StatusServiceUnavailable || he.RetryAfter == "" {
				return err
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cands) {
					return
				}
				if err := try(cands[i]); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// reviewer is a staff user with the reviewer role, logged in.
type reviewer struct {
	Email  string
	Access string
}

func (s *seeder) createReviewers(ctx context.Context, n int) ([]*reviewer, error) {
	var out []*reviewer
	stamp := time.Now().UnixNano()
	for i := range n {
		r := &reviewer{Email: fmt.Sprintf("bench-reviewer-%d-%d@example.com", stamp, i)}
		if _, err := s.api.do(ctx, "POST", "/users", s.admin, map[string]string{
			"email": r.Email, "name": fmt.Sprintf("阅卷人%d", i+1), "password": "bench-password-1", "role": "reviewer",
		}, nil, 201); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func login(ctx context.Context, a *api, r *reviewer) error {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := a.do(ctx, "POST", "/auth/login", "", map[string]string{"email": r.Email, "password": "bench-password-1"}, &out, 200); err != nil {
		return err
	}
	r.Access = out.AccessToken
	return nil
}

var _ = rand.IntN
