package api

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
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
					h := c.Response().Header()
					h.Set("Cache-Control", "public, max-age=31536000, immutable")
					if served, err := servePrecompressed(c, dist, p); served || err != nil {
						return err
					}
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

// precompressed are the encodings the build writes beside each asset
// (frontend/scripts/compress.mjs), best first.
var precompressed = []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// servePrecompressed answers an asset with the compressed copy the build
// wrote beside it, when the client accepts that encoding. It reports
// whether it answered. Every asset answer varies by Accept-Encoding, so a
// shared cache never hands brotli to a client that did not ask for it.
func servePrecompressed(c echo.Context, dist fs.FS, p string) (bool, error) {
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	accept := c.Request().Header.Get("Accept-Encoding")
	for _, enc := range precompressed {
		if !acceptsEncoding(accept, enc.token) {
			continue
		}
		b, err := fs.ReadFile(dist, p+enc.ext)
		if err != nil {
			continue
		}
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		h.Set("Content-Encoding", enc.token)
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
		return true, c.Blob(http.StatusOK, ctype, b)
	}
	return false, nil
}

// acceptsEncoding reports whether an Accept-Encoding header accepts token
// with a non-zero quality.
func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}
