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

// pageCSP is the policy of every HTML page. Vite's build loads one module
// script and one stylesheet from /assets and inlines neither, so no
// 'unsafe-inline' is needed: an injected <script> or on* attribute does
// not run. React sets style properties through the CSSOM, which
// style-src does not govern. img-src allows data: for the inline SVG
// favicon; frame-ancestors 'none' keeps the pages out of other sites'
// frames (clickjacking), with X-Frame-Options for older browsers.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// otherCSP is the policy of every other response (JSON, assets, errors):
// nothing there is meant to be rendered as a document.
const otherCSP = "default-src 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries, before routing,
// so that errors, probes and unknown paths have them too. Staff tokens sit
// in localStorage: no response may be sniffed into script, and no URL
// (an invitation token in /take/…) may leak through Referer.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", otherCSP)
		return next(c)
	}
}

// htmlPage answers with an HTML page under the page policy.
func htmlPage(c echo.Context, page []byte) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
	return c.HTMLBlob(http.StatusOK, page)
}

// mountWeb serves the embedded single-page app.
func mountWeb(e *echo.Echo) { serveWeb(e, frontend.Dist()) }

// serveWeb serves the single-page app in dist: its files, and index.html
// for any other path that is neither the API nor under /assets/, so deep
// links work. A missing asset is 404: a stale page asking for an old
// bundle must not get HTML back as its script.
func serveWeb(e *echo.Echo, dist fs.FS) {
	files := http.FileServer(http.FS(dist))
	index, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		index = []byte(notBuiltPage)
	}
	e.GET("/*", func(c echo.Context) error {
		p := strings.TrimPrefix(c.Request().URL.Path, "/")
		if strings.HasPrefix(p, "api/") {
			return errNotFound("endpoint")
		}
		if p != "" && p != "index.html" {
			if st, err := fs.Stat(dist, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(c.Response(), c.Request())
				return nil
			}
			if p == "assets" || strings.HasPrefix(p, "assets/") {
				return errNotFound("asset")
			}
		}
		return htmlPage(c, index)
	})
}
