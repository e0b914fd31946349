package main

import (
	"fmt"
	"math/rand/v2"

	"examd/exam"
)

// The draws phase (issue 14): S3's start rush on an exam of the bench's 50
// questions plus three draw sections, each drawing from a frozen pool of
// drawPool bank questions, so every start makes and stores its own draw.
const drawPool = 1000

var drawTags = []string{"抽题甲", "抽题乙", "抽题丙"}

func (b *bench) draws(s *seeder) error {
	pool := min(drawPool, max(b.sz.BankQuestions, 20))
	r := rand.New(rand.NewPCG(3, 14))
	for _, tag := range drawTags {
		for from := 0; from < pool; from += 1000 {
			qs := make([]map[string]any, 0, 1000)
			for i := from; i < min(from+1000, pool); i++ {
				q := bankQuestion(r, i)
				q["tags"] = []string{tag}
				qs = append(qs, q)
			}
			if _, err := b.api.do(b.ctx, "POST", "/bank/questions/batch", s.admin, map[string]any{"questions": qs}, nil, 201); err != nil {
				return fmt.Errorf("draw pools: %w", err)
			}
		}
	}
	doc := benchDocument("客户服务经理面试题（压测抽题）")
	for _, tag := range drawTags {
		doc.Sections = append(doc.Sections, exam.Section{Title: "随机抽题 " + tag, Questions: []exam.Question{},
			Draw: &exam.Draw{Count: 5, Tags: []string{tag}, Type: exam.TypeSingleChoice}})
	}
	e, err := s.publishDocument(b.ctx, doc)
	if err != nil {
		return fmt.Errorf("draws exam: %w", err)
	}
	D, err := s.invite(b.ctx, e.ID, "D", b.sz.W)
	if err != nil {
		return fmt.Errorf("invitations D: %w", err)
	}
	b.rush("Draws", fmt.Sprintf("start with three draw sections (pools of %s; %d candidates: session + start)", thousands(pool), len(D)), D)
	var drawn, distinct int
	if err := b.db.QueryRow(b.ctx, `SELECT count(*) FILTER (WHERE drawn IS NOT NULL), count(DISTINCT drawn) FROM attempts WHERE exam_id = $1`, e.ID).Scan(&drawn, &distinct); err != nil {
		return err
	}
	b.detail("Draws: the exam has the bench's 50 questions and three sections drawing 5 single-choice questions each from pools of %d bank questions (frozen at publish); in SQL afterwards %d attempts hold a draw, %d different draws.", pool, drawn, distinct)
	if drawn != len(D) {
		b.fail("Draws: %d of %d attempts hold a draw", drawn, len(D))
	}
	return nil
}
