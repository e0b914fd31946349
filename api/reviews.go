package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"examd/exam"
)

// Review queue (reviewer, admin). Which exam to claim from comes in the
// body ({exam_id?}); an exam_id that names no exam of the caller's
// organization is 404 there, malformed or not, like an id in a path. In the
// stats query a malformed exam_id is a bad query value (400); a well-formed
// one that names no exam of the organization is 404. An empty exam_id means
// the whole organization in both.

func (s *Server) reviewExams(c echo.Context) error {
	items, err := s.grader.ReviewExams(ctx(c), claims(c).Org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func (s *Server) claimReview(c echo.Context) error {
	var req struct {
		ExamID *string `json:"exam_id"`
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
	item, err := s.grader.Claim(ctx(c), cl.Org, cl.Subject, examID)
	if err != nil {
		return err
	}
	if item == nil {
		return c.NoContent(http.StatusNoContent)
	}
	return c.JSON(http.StatusOK, item)
}

func (s *Server) scoreReview(c echo.Context) error {
	var req struct {
		Points  *float64 `json:"points"`
		Comment *string  `json:"comment" max:"10000"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Points == nil {
		return errValidation("score is not valid", exam.Problem("points", "required", nil, "is required"))
	}
	comment := ""
	if req.Comment != nil {
		comment = *req.Comment
	}
	cl := claims(c)
	res, err := s.grader.Score(ctx(c), cl.Org, cl.Subject, c.Param("id"), *req.Points, comment)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) reviewStats(c echo.Context) error {
	examID := c.QueryParam("exam_id")
	if examID != "" {
		if _, err := uuid.Parse(examID); err != nil {
			return errBadRequest("exam_id must be an exam id")
		}
	}
	st, err := s.grader.Stats(ctx(c), claims(c).Org, examID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
