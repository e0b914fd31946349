package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"examd/exam"
	"examd/grading"
)

// statistics: GET /exams/{id}/versions/{n}/statistics[?track=] (admin,
// recruiter). An empty ?track= is the same as none; a track the version
// does not have is 422 on track.
func (s *Server) statistics(c echo.Context) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	var track *string
	if v := c.QueryParam("track"); v != "" {
		track = &v
	}
	st, err := s.grader.Statistics(reqCtx(c), claims(c).Org, c.Param("id"), n, track)
	if errors.Is(err, grading.ErrUnknownTrack) {
		return errValidation("unknown track", exam.FieldError{Field: "track", Code: "unknown_track",
			Params: exam.P{"track": *track}, Message: "the version has no track " + *track})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
