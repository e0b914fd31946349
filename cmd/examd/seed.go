package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"examd/account"
	"examd/bank"
	"examd/exam"
	"examd/exam/demo"
	"examd/grading"
)

// Demo staff accounts; their passwords are random and printed once.
var demoStaff = []struct{ role, email, name string }{
	{account.RoleAdmin, "admin@demo.examd.test", "演示管理员 Demo Admin"},
	{account.RoleRecruiter, "recruiter@demo.examd.test", "王招聘 Wang (recruiter)"},
	{account.RoleReviewer, "reviewer@demo.examd.test", "李评卷 Li (reviewer)"},
}

func randomPassword() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// seedDemo loads the demo organization, its staff, the published demo exam
// and one invitation per track. It refuses to load twice.
func seedDemo(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("seed-demo", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, db, err := open()
	if err != nil {
		return err
	}
	if err := applyMigrations(context.Background(), log, db); err != nil {
		return err
	}
	data, err := demo.Load()
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	ctx := context.Background()
	accounts := account.NewStore(db)
	passwords := make([]string, len(demoStaff))
	for i := range passwords {
		passwords[i] = randomPassword()
	}
	admin, err := accounts.Signup(ctx, data.Organization, account.NewUser{Email: demoStaff[0].email, Name: demoStaff[0].name, Password: passwords[0]})
	if errors.Is(err, account.ErrEmailTaken) {
		fmt.Fprintln(os.Stderr, "seed-demo: the demo is already loaded (its logins and links were printed when it was; `make run` keeps them in .data/demo.txt)")
		return nil
	}
	if err != nil {
		return err
	}
	org := admin.Organization.ID
	var recruiter *account.User
	for i, s := range demoStaff[1:] {
		u, err := accounts.CreateUser(ctx, org, account.NewUser{Email: s.email, Name: s.name, Password: passwords[i+1], Role: s.role})
		if err != nil {
			return err
		}
		if s.role == account.RoleRecruiter {
			recruiter = u
		}
	}
	// The positions, then the bank: a copy of every exam question with its
	// tags. The exam's questions name their bank copies (bank_id) and the
	// exam belongs to the first position, as if the recruiter had built it
	// from the bank.
	bankStore := bank.NewStore(db)
	var positions []*bank.Position
	for i := range data.Positions {
		p, err := bankStore.CreatePosition(ctx, org, &data.Positions[i])
		if err != nil {
			return err
		}
		positions = append(positions, p)
	}
	var qs []exam.Question
	data.Exam.Questions(func(_, _ int, _ *exam.Section, q *exam.Question) { qs = append(qs, *q) })
	banked, err := bankStore.CreateBatch(ctx, org, qs)
	if err != nil {
		return err
	}
	n := 0
	data.Exam.Questions(func(_, _ int, _ *exam.Section, q *exam.Question) {
		q.BankID = banked[n].ID
		n++
	})
	data.Exam.PositionID = positions[0].ID
	exams := exam.NewStore(db, grading.NewScorer(db))
	e, err := exams.Create(ctx, org, recruiter.ID, &data.Exam)
	if err != nil {
		return err
	}
	if _, err := exams.Publish(ctx, org, e.ID, recruiter.ID); err != nil {
		return err
	}
	invs, err := exams.Invite(ctx, org, recruiter.ID, e.ID, []exam.NewInvitation{
		{CandidateName: "张经理(演示考生)", CandidateEmail: "manager.candidate@demo.examd.test", Track: "manager"},
		{CandidateName: "刘主管(演示考生)", CandidateEmail: "supervisor.candidate@demo.examd.test", Track: "supervisor"},
	}, true, cfg.PublicURL)
	if err != nil {
		return err
	}
	fmt.Printf("Demo loaded: organization %q, exam %q (version 1), %d bank questions, positions", data.Organization, data.Exam.Title, len(banked))
	for _, p := range positions {
		fmt.Printf(" %q", p.Title)
	}
	fmt.Println(".")
	for _, n := range data.Notes {
		fmt.Println("  note:", n)
	}
	fmt.Println("Staff logins (passwords shown only now):")
	for i, s := range demoStaff {
		fmt.Printf("  %-9s %-28s %s\n", s.role, s.email, passwords[i])
	}
	fmt.Println("Candidate links:")
	for _, inv := range invs {
		fmt.Printf("  %-10s %s  %s\n", inv.Track, inv.CandidateName, inv.Link)
	}
	return nil
}
