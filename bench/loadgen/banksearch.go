package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The bank search phase (issue 14): a bank of many questions written
// through POST /bank/questions/batch, then GET /bank/questions?q= for
// Chinese words inside prompts and options, one request after another.
const bankP99Target = 50.0 // ms

// bankWords make the prompts: competency phrases a customer-service
// bank would hold. Each query word below is in some of them, so a search
// has matches spread over the whole bank, not only its newest rows.
var bankWords = []string{"客户投诉处理", "服务意识", "团队管理", "收费管理", "安全管理", "沟通技巧", "现场巡查", "满意度回访",
	"紧急事件", "维修工单", "业主沟通", "绩效考核", "培训计划", "物业费催缴", "保洁检查", "设备维护"}

var bankQueries = []string{"投诉", "团队", "回访", "工单", "催缴"}

func bankQuestion(r *rand.Rand, i int) map[string]any {
	var p strings.Builder
	for k := 0; k < 3; k++ {
		p.WriteString(bankWords[r.IntN(len(bankWords))])
		p.WriteString("，")
	}
	fmt.Fprintf(&p, "第 %d 题：下列做法哪一项最恰当？", i)
	opts := make([]map[string]any, 4)
	for k := range opts {
		opts[k] = map[string]any{"key": string(rune('a' + k)), "text": bankWords[r.IntN(len(bankWords))] + "的做法"}
	}
	return map[string]any{"type": "single_choice", "prompt": p.String(), "points": 1, "options": opts, "answer": "a",
		"tags": []string{bankWords[r.IntN(len(bankWords))]}}
}

func (b *bench) bankSearch(s *seeder) error {
	n, repeats := b.sz.BankQuestions, b.sz.BankRepeats
	const per = 1000
	t0 := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	var seedErr atomic.Value
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 14))
			for {
				from := int(next.Add(per)) - per
				if from >= n {
					return
				}
				qs := make([]map[string]any, 0, per)
				for i := from; i < min(from+per, n); i++ {
					qs = append(qs, bankQuestion(r, i))
				}
				if _, err := b.api.do(b.ctx, "POST", "/bank/questions/batch", s.admin, map[string]any{"questions": qs}, nil, 201); err != nil {
					seedErr.Store(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	if err, ok := seedErr.Load().(error); ok {
		return fmt.Errorf("bank seed: %w", err)
	}
	seeded := time.Since(t0)
	if _, err := b.db.Exec(b.ctx, `ANALYZE bank_questions`); err != nil {
		return err
	}

	var empty int64
	var got struct {
		Items []struct {
			Prompt string `json:"prompt"`
		} `json:"items"`
	}
	p50, p99, errs := b.serial("Bank search", repeats, func(i int) error {
		path := "/bank/questions?limit=50&q=" + url.QueryEscape(bankQueries[i%len(bankQueries)])
		if i%4 == 3 {
			path += "&type=single_choice"
		}
		if _, err := b.api.do(b.ctx, "GET", path, s.admin, nil, &got, 200); err != nil {
			return err
		}
		if len(got.Items) == 0 {
			empty++
		}
		return nil
	})
	if empty > 0 {
		b.fail("Bank search: %d of %d searches found nothing in a bank where every query word is common", empty, repeats)
	}
	b.detail("Bank search: %d bank questions written through POST /bank/questions/batch (%d a batch, 4 at a time) in %.1f s (unmeasured); GET /bank/questions?q=… (%s; every fourth also ?type=) %d times one after another, 50 a page: p50 %.1f, p99 %.1f ms at the client.",
		n, per, seeded.Seconds(), strings.Join(bankQueries, ", "), repeats, p50, p99)
	b.add(Scenario{Name: fmt.Sprintf("bank search (%s questions, GET /bank/questions?q= a two-character Chinese word)", thousands(n)), Value: round(p99),
		Unit: fmt.Sprintf("ms (p99 of %d)", repeats), Target: fmt.Sprintf("p99 <= %.0f ms, every search finds matches", bankP99Target),
		Met: p99 <= bankP99Target && errs == 0 && empty == 0, P50ms: num(p50), P99ms: num(p99), Errors: errs + empty})
	return nil
}

// thousands writes n with a comma every three digits, as the issues name
// the rows ("10,000 attempts").
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
