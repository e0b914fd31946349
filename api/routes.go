package api

import (
	"github.com/labstack/echo/v4"

	"examd/account"
)

// routes is the whole API, grouped by audience, each route with its roles.
func (s *Server) routes(g *echo.Group) {
	staff := func(roles ...string) echo.MiddlewareFunc { return s.requireAuth(audStaff, roles...) }
	anyStaff := staff(account.RoleAdmin, account.RoleRecruiter, account.RoleReviewer)
	admin := staff(account.RoleAdmin)
	authors := staff(account.RoleAdmin, account.RoleRecruiter)
	reviewers := staff(account.RoleAdmin, account.RoleReviewer)
	candidate := s.requireAuth(audCandidate, roleCandidate)
	g.GET("/openapi.yaml", s.openAPI)

	// Accounts
	g.POST("/signup", s.signup)
	g.POST("/auth/login", s.login)
	g.POST("/auth/refresh", s.refresh)
	g.POST("/auth/logout", s.logout)
	g.GET("/me", s.me, anyStaff)
	g.POST("/users", s.createUser, admin)
	g.GET("/users", s.listUsers, admin)
	g.GET("/users/:id", s.getUser, admin)

	// Authoring (admin, recruiter)
	g.POST("/exams", s.createExam, authors)
	g.GET("/exams", s.listExams, authors)
	g.GET("/exams/:id", getByID(s.exams.Get), authors)
	g.PUT("/exams/:id", replaceByID(s.exams.Get, decodeDocument, s.exams.Replace), authors)
	g.POST("/exams/:id/publish", s.publishExam, authors)
	g.GET("/exams/:id/versions/:n", s.getVersion, authors)
	g.POST("/imports", s.importExam, authors)
	g.GET("/exams/:id/export", s.exportExam, authors)
	g.GET("/exams/:id/versions/:n/export", s.exportVersion, authors)
	g.GET("/imports/template.xlsx", s.importTemplate, authors)

	// Question bank and positions (admin, recruiter)
	g.POST("/bank/questions", createFrom(decodeBankQuestion, s.bank.Create), authors)
	g.POST("/bank/questions/batch", s.createBankBatch, authors)
	g.GET("/bank/questions", s.listBankQuestions, authors)
	g.GET("/bank/questions/:id", getByID(s.bank.Get), authors)
	g.PUT("/bank/questions/:id", replaceByID(s.bank.Get, decodeBankQuestion, s.bank.Update), authors)
	g.DELETE("/bank/questions/:id", deleteByID(s.bank.Delete), authors)
	g.POST("/positions", createFrom(decodePosition, s.bank.CreatePosition), authors)
	g.GET("/positions", s.listPositions, authors)
	g.GET("/positions/:id", getByID(s.bank.Position), authors)
	g.PUT("/positions/:id", replaceByID(s.bank.Position, decodePosition, s.bank.UpdatePosition), authors)
	g.DELETE("/positions/:id", deleteByID(s.bank.DeletePosition), authors)
	g.GET("/positions/:id/candidates", s.positionCandidates, authors)

	// Invitations (admin, recruiter)
	g.POST("/exams/:id/invitations", s.createInvitations, authors)
	g.GET("/exams/:id/invitations", s.listInvitations, authors)
	g.DELETE("/invitations/:id", s.revokeInvitation, authors)
	g.PATCH("/invitations/:id", s.patchInvitation, authors)
	g.POST("/invitations/:id/link", s.newLink, authors)

	// Taking an exam (candidate token)
	g.POST("/candidate/sessions", s.candidateSession)
	g.POST("/candidate/attempt", s.startAttempt, candidate)
	g.GET("/candidate/attempt", s.getAttempt, candidate)
	g.PUT("/candidate/attempt/answers/:question_id", s.saveAnswer, candidate)
	g.POST("/candidate/attempt/submit", s.submitAttempt, candidate)
	g.POST("/candidate/attempt/events", s.recordEvent, candidate)

	// Review (reviewer, admin)
	g.GET("/reviews/exams", s.reviewExams, reviewers)
	g.POST("/reviews/claim", s.claimReview, reviewers)
	g.POST("/reviews/:id/score", s.scoreReview, reviewers)
	g.PUT("/reviews/:id/score", s.reviseReview, reviewers)
	g.POST("/reviews/:id/release", s.releaseReview, reviewers)
	g.GET("/reviews/mine", s.myReviews, reviewers)
	g.GET("/reviews/stats", s.reviewStats, reviewers)
	g.GET("/reviews/agreement", s.reviewAgreement, reviewers)

	// Results (admin, recruiter)
	g.GET("/exams/:id/results", s.results, authors)
	g.GET("/exams/:id/results.csv", s.resultsCSV, authors)
	g.GET("/exams/:id/results.xlsx", s.resultsXLSX, authors)
	g.GET("/exams/:id/versions/:n/statistics", s.statistics, authors)
	g.GET("/attempts/:id", getByID(s.grader.AttemptDetail), authors)
	g.POST("/attempts/:id/reopen", s.reopenAttempt, admin)
	g.PUT("/exams/:id/versions/:n/questions/:question_id/key", s.amendKey, authors)

	// Operations (admin)
	g.GET("/audit", s.auditLog, admin)
	g.POST("/candidates/erase", s.eraseCandidate, admin)
	// Webhooks (admin)
	g.POST("/webhooks", s.createWebhook, admin)
	g.GET("/webhooks", s.listWebhooks, admin)
	g.DELETE("/webhooks/:id", s.deleteWebhook, admin)
	g.GET("/webhooks/:id/deliveries", s.webhookDeliveries, admin)
	g.POST("/webhooks/:id/deliveries/:delivery_id/retry", s.retryDelivery, admin)
}
