package main

import (
	"context"
	"fmt"
)

// S6 start throughput: POST /candidate/attempt for invitations never
// started, closed loop against the upsert reference. Pool S is exam S's,
// a slice of fresh invitations a run (spare slices for runs repeated after
// a disturbance); their sessions are opened beforehand, unmeasured, so the
// phase times the start alone: the invitation lookup, the attempt insert
// with its outbox event, and the view the start answers with.
func (b *bench) s6start(s *seeder) error {
	// An exam of its own, so the later phases' counts of exam A and B's
	// attempts stay theirs.
	exS, err := s.publishExam(b.ctx, "客户服务经理面试题（压测S，开考）")
	if err != nil {
		return fmt.Errorf("exam S: %w", err)
	}
	per := b.sz.CPerRun
	S, err := s.invite(b.ctx, exS.ID, "S", per*(b.sz.Runs+b.sz.S4Spare))
	if err != nil {
		return fmt.Errorf("invitations S: %w", err)
	}
	if err := forAll(S, 32, func(c *candidate) error { return openSession(b.ctx, b.api, c) }); err != nil {
		return fmt.Errorf("sessions of pool S: %w", err)
	}
	ps, errs, err := b.pairs("S6start", "upsert.sql", b.sz.S4Spare, func(call int) *result {
		slice := S[call*per : (call+1)*per]
		return closedLoop(b.ctx, b.sz.Conns, 0, int64(len(slice)), func(ctx context.Context, _ int, i int64) error {
			return startAttempt(ctx, b.api, slice[i])
		})
	})
	if err != nil {
		return err
	}
	m := medianBy(ps, throughputRatio)
	b.add(Scenario{Name: fmt.Sprintf("S6 start throughput (POST /candidate/attempt, fresh invitations, closed loop, 16 conns, %d a run)", per),
		Value: round(m.app.rate()), Unit: "req/s", Reference: num(m.ref.TPS), Ratio: num(throughputRatio(m)),
		Target: ">= 0.20 of reference (pgbench upsert TPS)", Met: throughputRatio(m) >= 0.20 && errs == 0,
		P50ms: num(m.app.p50()), P99ms: num(m.app.p99()), Errors: errs})
	return nil
}
