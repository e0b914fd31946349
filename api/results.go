package api

import "github.com/labstack/echo/v4"

func (s *Server) results(c echo.Context) error       { return errNotFound("results") }
func (s *Server) resultsCSV(c echo.Context) error    { return errNotFound("results") }
func (s *Server) attemptDetail(c echo.Context) error { return errNotFound("attempt") }
func (s *Server) amendKey(c echo.Context) error      { return errNotFound("version") }
