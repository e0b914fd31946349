package api

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"examd/frontend"
)

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>examd</title>
<p>The web app is not built into this binary. Run <code>make run</code> (or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>, then rebuild examd). The API is at <code>/api/v1</code>.</p>`

// mountWeb serves the single-page app: files from the embedded build, and
// index.html for any other path that is not the API, so deep links work.
func mountWeb(e *echo.Echo) {
	dist := frontend.Dist()
	files := http.FileServer(http.FS(dist))
	e.GET("/*", func(c echo.Context) error {
		p := strings.TrimPrefix(c.Request().URL.Path, "/")
		if strings.HasPrefix(p, "api/") {
			return errNotFound("endpoint")
		}
		if !frontend.Built() {
			return c.HTML(http.StatusOK, notBuiltPage)
		}
		if p != "" {
			if st, err := fs.Stat(dist, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(c.Response(), c.Request())
				return nil
			}
		}
		index, err := fs.ReadFile(dist, "index.html")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, index)
	})
}
