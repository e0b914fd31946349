package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"examd/exam"
	"examd/internal/jsonreq"
	"examd/internal/savecheck"
)

// hangAfter is how long a request may take before the drill calls it a
// hang; requestTimeout is when the client gives up on it.
const (
	hangAfter      = 5 * time.Second
	requestTimeout = 15 * time.Second
)

var hc = &http.Client{Timeout: requestTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}}

// call sends a JSON request and decodes a 2xx answer into out. status is 0
// when no answer came.
func call(ctx context.Context, base, method, path, token string, body, out any) (int, error) {
	req, err := jsonreq.New(ctx, method, base+path, token, body)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<22))
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// org is an organization signed up for one scenario, with a published
// exam and its candidates started.
type org struct {
	admin     string
	examID    string
	questions []string // question ids, in order
	cands     []*cand
}

type cand struct {
	email, token, access, attempt string
	base                          string // the examd this candidate talks to
}

// drillDocument is a short exam: three single choices, two true/false
// and an essay, so a save is small and the load is the saves themselves.
func drillDocument(limit int) *exam.Document {
	grace := 0
	d := &exam.Document{Title: "演练试卷 drill", TimeLimitSeconds: limit, GraceSeconds: &grace, PassScore: 3}
	sc := exam.Section{Title: "单选"}
	for i := range 3 {
		sc.Questions = append(sc.Questions, exam.Question{Type: exam.TypeSingleChoice, Points: 1, Answer: json.RawMessage(`"b"`),
			Prompt:  fmt.Sprintf("第%d题：写字楼消防控制室应几小时有人值班？", i+1),
			Options: []exam.Option{{Key: "a", Text: "8"}, {Key: "b", Text: "24"}, {Key: "c", Text: "12"}}})
	}
	tf := exam.Section{Title: "判断"}
	for i := range 2 {
		tf.Questions = append(tf.Questions, exam.Question{Type: exam.TypeTrueFalse, Points: 1, Answer: json.RawMessage("true"),
			Prompt: fmt.Sprintf("第%d题：投诉应做到首问负责。", i+1)})
	}
	es := exam.Section{Title: "论述", Questions: []exam.Question{{Type: exam.TypeEssay, Points: 5,
		Prompt: "客务经理应重点做好哪些工作？", ReferenceAnswer: "客户沟通、投诉处理、服务质量、团队建设。"}}}
	d.Sections = []exam.Section{sc, tf, es}
	return d
}

// setupOrg signs up an organization on base, publishes an exam with the
// given time limit and starts n candidates, spread over bases.
func setupOrg(ctx context.Context, base string, bases []string, n, limit int) (*org, error) {
	o := &org{}
	stamp := time.Now().UnixNano()
	var su struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := call(ctx, base, "POST", "/api/v1/signup", "", map[string]string{"organization": "演练公司 Drill", "name": "Drill Admin",
		"email": fmt.Sprintf("drill-%d@example.com", stamp), "password": "drill-password-1"}, &su); err != nil {
		return nil, err
	}
	o.admin = su.AccessToken
	var ex struct {
		ID string `json:"id"`
	}
	if _, err := call(ctx, base, "POST", "/api/v1/exams", o.admin, drillDocument(limit), &ex); err != nil {
		return nil, err
	}
	o.examID = ex.ID
	if _, err := call(ctx, base, "POST", "/api/v1/exams/"+ex.ID+"/publish", o.admin, nil, nil); err != nil {
		return nil, err
	}
	var v struct {
		Exam exam.Document `json:"exam"`
	}
	if _, err := call(ctx, base, "GET", "/api/v1/exams/"+ex.ID+"/versions/1", o.admin, nil, &v); err != nil {
		return nil, err
	}
	for _, s := range v.Exam.Sections {
		for _, q := range s.Questions {
			o.questions = append(o.questions, q.ID)
		}
	}
	list := make([]map[string]string, n)
	for i := range list {
		list[i] = map[string]string{"candidate_name": fmt.Sprintf("考生%03d", i), "candidate_email": fmt.Sprintf("cand-%d-%03d@example.com", stamp, i)}
	}
	var inv struct {
		Items []struct {
			Token string `json:"token"`
		} `json:"items"`
	}
	if _, err := call(ctx, base, "POST", "/api/v1/exams/"+ex.ID+"/invitations", o.admin, list, &inv); err != nil {
		return nil, err
	}
	for i, it := range inv.Items {
		c := &cand{email: list[i]["candidate_email"], token: it.Token, base: bases[i%len(bases)]}
		var s struct {
			AccessToken string `json:"access_token"`
		}
		if _, err := call(ctx, c.base, "POST", "/api/v1/candidate/sessions", "", map[string]string{"token": c.token}, &s); err != nil {
			return nil, err
		}
		c.access = s.AccessToken
		var a struct {
			ID string `json:"id"`
		}
		if _, err := call(ctx, c.base, "POST", "/api/v1/candidate/attempt", c.access, nil, &a); err != nil {
			return nil, err
		}
		c.attempt = a.ID
		o.cands = append(o.cands, c)
	}
	return o, nil
}

type key struct{ attempt, question string }

type ack struct {
	seq  int64
	resp json.RawMessage
}

// tally counts what the clients saw.
type tally struct {
	sent, acked, unavailable, server5xx, other4xx, transport, hangs, stale atomic.Int64
	firstOdd                                                               atomic.Value
}

func (t *tally) odd(err error) { t.firstOdd.CompareAndSwap(nil, err.Error()) }

// errors is every save that did not get its 200.
func (t *tally) errors() int64 {
	return t.unavailable.Load() + t.server5xx.Load() + t.other4xx.Load() + t.transport.Load()
}

func (t *tally) String() string {
	s := fmt.Sprintf("%d saves sent, %d acknowledged; not acknowledged: %d × 503, %d × other 5xx, %d × other 4xx, %d without an answer (connection refused or cut); %d hangs over %s",
		t.sent.Load(), t.acked.Load(), t.unavailable.Load(), t.server5xx.Load(), t.other4xx.Load(), t.transport.Load(), t.hangs.Load(), hangAfter)
	if v, ok := t.firstOdd.Load().(string); ok {
		s += "; first unexpected answer: " + v
	}
	return s
}

// fleet is the candidates autosaving: each saves its next answer every
// pace, with a seq taken from one rising clock, and remembers the newest
// acknowledged save of each answer.
type fleet struct {
	o    *org
	pace time.Duration
	seq  atomic.Int64
	t    tally

	mu   sync.Mutex
	acks map[key]ack
	at   map[key]time.Time // when each newest ack came

	stop chan struct{}
	wg   sync.WaitGroup
}

func newFleet(o *org, pace time.Duration) *fleet {
	f := &fleet{o: o, pace: pace, acks: map[key]ack{}, at: map[key]time.Time{}, stop: make(chan struct{})}
	f.seq.Store(time.Now().UnixMicro())
	return f
}

func response(qi int, seq int64) json.RawMessage {
	switch {
	case qi < 3:
		return json.RawMessage(fmt.Sprintf(`{"choice":"%c"}`, 'a'+seq%3))
	case qi < 5:
		return json.RawMessage(fmt.Sprintf(`{"value":%t}`, seq%2 == 0))
	}
	return json.RawMessage(`{"text":"客户沟通与投诉处理，第` + strconv.FormatInt(seq, 10) + `稿"}`)
}

func (f *fleet) start() {
	for i, c := range f.o.cands {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			for n := r.IntN(len(f.o.questions)); ; n++ {
				select {
				case <-f.stop:
					return
				case <-time.After(f.pace/2 + time.Duration(r.Int64N(int64(f.pace)))):
				}
				qi := n % len(f.o.questions)
				f.save(c, qi)
			}
		}()
	}
}

func (f *fleet) halt() {
	close(f.stop)
	f.wg.Wait()
}

func (f *fleet) save(c *cand, qi int) {
	seq := f.seq.Add(1)
	resp := response(qi, seq)
	q := f.o.questions[qi]
	var out struct {
		Seq int64 `json:"seq"`
	}
	f.t.sent.Add(1)
	began := time.Now()
	status, err := call(context.Background(), c.base, "PUT", "/api/v1/candidate/attempt/answers/"+q, c.access,
		map[string]any{"response": resp, "seq": seq}, &out)
	if time.Since(began) > hangAfter {
		f.t.hangs.Add(1)
	}
	switch {
	case err == nil && status == 200 && out.Seq == seq:
		f.t.acked.Add(1)
		k := key{c.attempt, q}
		f.mu.Lock()
		if f.acks[k].seq < seq {
			f.acks[k] = ack{seq, resp}
			f.at[k] = time.Now()
		}
		f.mu.Unlock()
	case err == nil:
		f.t.stale.Add(1)
	case status == 0:
		f.t.transport.Add(1)
	case status == 503:
		f.t.unavailable.Add(1)
	case status >= 500:
		f.t.server5xx.Add(1)
		f.t.odd(err)
	default:
		f.t.other4xx.Add(1)
		f.t.odd(err)
	}
}

// snapshot copies the acknowledged saves so far.
func (f *fleet) snapshot() map[key]ack {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := make(map[key]ack, len(f.acks))
	for k, v := range f.acks {
		m[k] = v
	}
	return m
}

// lost counts acknowledged saves the database at url does not hold: the
// stored seq must be at least the acknowledged one, and the same response
// when equal (a higher stored seq is a later save whose answer was cut).
func lost(ctx context.Context, url string, acks map[key]ack) (int, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var conn *pgx.Conn
	var err error
	for range 60 { // the database may just have come back
		if conn, err = pgx.Connect(ctx, url); err == nil {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close(ctx)
	ids := map[string]bool{}
	for k := range acks {
		ids[k.attempt] = true
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	stored, err := savecheck.Stored(ctx, conn, list)
	if err != nil {
		return 0, nil, err
	}
	n := 0
	var examples []string
	for k, a := range acks {
		s, ok := stored[savecheck.Key{Attempt: k.attempt, Question: k.question}]
		if ok && (s.Seq > a.seq || s.Seq == a.seq && savecheck.SameJSON(s.Resp, a.resp)) {
			continue
		}
		n++
		if len(examples) < 3 {
			examples = append(examples, fmt.Sprintf("%s/%s acknowledged seq %d, stored %d", k.attempt, k.question, a.seq, s.Seq))
		}
	}
	return n, examples, nil
}
