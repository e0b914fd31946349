package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc is the API's OpenAPI 3.1 document. openapi_test.go holds it to
// the router and to real responses, so it cannot drift from the code.
//
//go:embed openapi.yaml
var openAPIDoc []byte

// openAPI serves the document. It is public: it describes the API, it
// holds no data.
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", openAPIDoc)
}
