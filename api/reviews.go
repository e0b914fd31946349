package api

import "github.com/labstack/echo/v4"

func (s *Server) reviewExams(c echo.Context) error { return errNotFound("reviews") }
func (s *Server) claimReview(c echo.Context) error { return errNotFound("reviews") }
func (s *Server) scoreReview(c echo.Context) error { return errNotFound("reviews") }
func (s *Server) reviewStats(c echo.Context) error { return errNotFound("reviews") }
