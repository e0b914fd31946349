package api

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"examd/bank"
	"examd/exam"
)

var bankTypes = []string{exam.TypeFillIn, exam.TypeTrueFalse, exam.TypeSingleChoice, exam.TypeMultipleChoice, exam.TypeEssay}

func invalid(msg string, probs []exam.FieldError) error {
	return &exam.ValidationError{Message: msg, Problems: probs}
}

func decodeBankQuestion(c echo.Context) (*exam.Question, error) {
	var q exam.Question
	if err := bind(c, &q); err != nil {
		return nil, err
	}
	if probs := bank.Validate("", &q); len(probs) > 0 {
		return nil, invalid("question is not valid", probs)
	}
	return &q, nil
}

func (s *Server) createBankBatch(c echo.Context) error {
	var body struct {
		Questions []exam.Question `json:"questions"`
	}
	if err := bind(c, &body); err != nil {
		return err
	}
	var probs []exam.FieldError
	switch {
	case len(body.Questions) == 0:
		probs = append(probs, exam.Problem("questions", "too_few", exam.P{"min": 1}, "needs at least one question"))
	case len(body.Questions) > bank.MaxBatch:
		probs = append(probs, exam.Problem("questions", "too_many", exam.P{"max": bank.MaxBatch}, fmt.Sprintf("at most %d questions per batch", bank.MaxBatch)))
	}
	for i := range body.Questions {
		probs = append(probs, bank.Validate(fmt.Sprintf("questions[%d]", i), &body.Questions[i])...)
	}
	if len(probs) > 0 {
		return invalid("questions are not valid", probs)
	}
	items, err := s.bank.CreateBatch(reqCtx(c), claims(c).Org, body.Questions)
	return respond(c, http.StatusCreated, map[string]any{"items": items}, err)
}

func (s *Server) listBankQuestions(c echo.Context) error {
	for k := range c.QueryParams() {
		if !slices.Contains([]string{"tag", "type", "q", "limit", "cursor"}, k) {
			return errBadRequest(fmt.Sprintf("unknown query parameter %q; use tag, type, q, limit or cursor", k))
		}
	}
	f := bank.Filter{Tag: c.QueryParam("tag"), Type: c.QueryParam("type"), Q: c.QueryParam("q")}
	if f.Type != "" && !slices.Contains(bankTypes, f.Type) {
		return errBadRequest(fmt.Sprintf("type %q is not a question type", f.Type))
	}
	return respondPage(c, func(limit int, cursor string) ([]bank.Question, string, error) {
		f.Limit, f.Cursor = limit, cursor
		return s.bank.List(reqCtx(c), claims(c).Org, f)
	})
}

func decodePosition(c echo.Context) (*bank.PositionInput, error) {
	var in bank.PositionInput
	if err := bind(c, &in); err != nil {
		return nil, err
	}
	if probs := in.Validate(); len(probs) > 0 {
		return nil, invalid("position is not valid", probs)
	}
	return &in, nil
}

func (s *Server) listPositions(c echo.Context) error {
	items, err := s.bank.Positions(reqCtx(c), claims(c).Org)
	return respond(c, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) positionCandidates(c echo.Context) error {
	cl := claims(c)
	p, err := s.bank.Position(reqCtx(c), cl.Org, c.Param("id"))
	if err != nil {
		return err
	}
	items, err := s.grader.PositionCandidates(reqCtx(c), cl.Org, p.ID)
	return respond(c, http.StatusOK, map[string]any{"items": items}, err)
}
