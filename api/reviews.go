package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"examd/account"
	"examd/audit"
	"examd/exam"
	"examd/grading"
)

// Review queue (reviewer, admin). Which exam to claim from comes in the
// body ({exam_id?}); an exam_id that names no exam of the caller's
// organization is 404 there, malformed or not, like an id in a path. In the
// stats query a malformed exam_id is a bad query value (400); a well-formed
// one that names no exam of the organization is 404. An empty exam_id means
// the whole organization in both.

func (s *Server) reviewExams(c echo.Context) error {
	items, err := s.grader.ReviewExams(reqCtx(c), claims(c).Org)
	return respond(c, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) claimReview(c echo.Context) error {
	var req struct {
		ExamID     *string `json:"exam_id"`
		Moderation *bool   `json:"moderation"`
	}
	// A POST without a body claims from any exam.
	if err := bindOptional(c, &req); err != nil {
		return err
	}
	examID := ""
	if req.ExamID != nil {
		examID = *req.ExamID
	}
	cl := claims(c)
	claim := s.grader.Claim
	if req.Moderation != nil && *req.Moderation {
		// Moderation (double-marked essays whose marks disagree) is for admins.
		if cl.Role != account.RoleAdmin {
			return errForbidden("only an admin may moderate")
		}
		claim = s.grader.ClaimModeration
	}
	item, err := claim(reqCtx(c), cl.Org, cl.Subject, examID)
	if err != nil {
		return err
	}
	if item == nil {
		return c.NoContent(http.StatusNoContent)
	}
	return c.JSON(http.StatusOK, item)
}

// scoreBody is a reviewer's mark as sent: {points, criteria?, comment?}.
type scoreBody struct {
	Points   *float64 `json:"points"`
	Criteria []struct {
		Index  *int     `json:"index"`
		Points *float64 `json:"points"`
	} `json:"criteria"`
	Comment *string `json:"comment" max:"10000"`
}

// mark checks the fields a mark needs and returns it.
func (b *scoreBody) mark() (grading.Mark, error) {
	var missing []exam.FieldError
	if b.Points == nil {
		missing = append(missing, exam.Problem("points", "required", nil, "is required"))
	}
	m := grading.Mark{Criteria: make([]grading.Criterion, 0, len(b.Criteria))}
	for i, c := range b.Criteria {
		at := "criteria[" + strconv.Itoa(i) + "]"
		if c.Index == nil {
			missing = append(missing, exam.Problem(at+".index", "required", nil, "is required"))
		}
		if c.Points == nil {
			missing = append(missing, exam.Problem(at+".points", "required", nil, "is required"))
		}
		if c.Index != nil && c.Points != nil {
			m.Criteria = append(m.Criteria, grading.Criterion{Index: *c.Index, Points: *c.Points})
		}
	}
	if len(missing) > 0 {
		return m, errValidation("score is not valid", missing...)
	}
	m.Points = *b.Points
	if b.Comment != nil {
		m.Comment = *b.Comment
	}
	return m, nil
}

func (s *Server) scoreReview(c echo.Context) error {
	return applyMark(c, s.grader.ScoreReviewBy)
}

// reviseReview replaces the caller's own score of an item while its
// attempt is still being graded (PUT /reviews/{id}/score).
func (s *Server) reviseReview(c echo.Context) error {
	return applyMark(c, s.grader.ReviseBy)
}

// applyMark reads a score body, hands the mark of item :id to apply (a
// first score or a revision: the same body, the same answer) and writes
// the scored item.
func applyMark(c echo.Context, apply func(context.Context, audit.Actor, string, grading.Mark) (*grading.ScoredItem, error)) error {
	var req scoreBody
	if err := bind(c, &req); err != nil {
		return err
	}
	m, err := req.mark()
	if err != nil {
		return err
	}
	res, err := apply(reqCtx(c), actor(c), c.Param("id"), m)
	return respond(c, http.StatusOK, res, err)
}

// releaseReview gives a held item back to the queue unscored. It takes no
// body; one that is present must be an empty JSON object.
func (s *Server) releaseReview(c echo.Context) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	if t := bytes.TrimSpace(b); len(t) > 0 {
		if bytes.Equal(t, []byte("null")) {
			return errBadRequest("the body must be a JSON object")
		}
		var req struct{}
		if err := decodeStrict(b, &req); err != nil {
			return err
		}
	}
	cl := claims(c)
	if err := s.grader.Release(reqCtx(c), cl.Org, cl.Subject, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// myReviews lists the caller's scored items, newest first, one exam's
// (?exam_id=) or all; ?limit= (1 … 500, default 50) and ?cursor= page.
func (s *Server) myReviews(c echo.Context) error {
	examID := c.QueryParam("exam_id")
	if examID != "" {
		if _, err := uuid.Parse(examID); err != nil {
			return errBadRequest("exam_id must be an exam id")
		}
	}
	return respondPage(c, func(limit int, cursor string) ([]grading.MyScore, string, error) {
		cl := claims(c)
		return s.grader.MyScores(reqCtx(c), cl.Org, cl.Subject, examID, limit, cursor)
	})
}

func (s *Server) reviewStats(c echo.Context) error {
	examID := c.QueryParam("exam_id")
	if examID != "" {
		if _, err := uuid.Parse(examID); err != nil {
			return errBadRequest("exam_id must be an exam id")
		}
	}
	st, err := s.grader.Stats(reqCtx(c), claims(c).Org, examID)
	return respond(c, http.StatusOK, st, err)
}

// reviewAgreement reports how an exam's two markers agree
// (GET /reviews/agreement?exam_id=, required).
func (s *Server) reviewAgreement(c echo.Context) error {
	examID := c.QueryParam("exam_id")
	if examID == "" {
		return errBadRequest("exam_id is required")
	}
	if _, err := uuid.Parse(examID); err != nil {
		return errBadRequest("exam_id must be an exam id")
	}
	a, err := s.grader.Agreement(reqCtx(c), claims(c).Org, examID)
	return respond(c, http.StatusOK, a, err)
}
