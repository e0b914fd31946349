package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"testing/fstest"
)

// Assets go out as the build's precompressed copies when the client takes
// them, as the plain file otherwise, and always cacheable for a year; the
// page itself is never cached and a missing asset stays 404.
func TestWebPrecompressedAssets(t *testing.T) {
	js := strings.Repeat("console.log('examd');\n", 200)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(js))
	w.Close()
	dist := fstest.MapFS{
		"index.html":          {Data: []byte("<!doctype html><title>x</title>")},
		"assets/app-1.js":     {Data: []byte(js)},
		"assets/app-1.js.gz":  {Data: gz.Bytes()},
		"assets/app-1.js.br":  {Data: []byte("brotli bytes")},
		"assets/app-1.css":    {Data: []byte("body{}")},
		"assets/app-1.css.gz": {Data: []byte("not used unless asked")},
	}
	get := webApp(t, dist)
	accept := func(encodings string) reqOpt { return withHeader("Accept-Encoding", encodings) }
	immutable := "public, max-age=31536000, immutable"

	r := get("/assets/app-1.js", accept("gzip, deflate"))
	if r.Status != 200 || r.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(r.Header.Get("Content-Type"), "javascript") {
		t.Fatalf("gzip: %d %v", r.Status, r.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != js || len(r.Body) >= len(js)/4 {
		t.Fatalf("gzip body: %d bytes, decodes to %d", len(r.Body), len(plain))
	}
	if r.Header.Get("Cache-Control") != immutable || !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip headers %v", r.Header)
	}
	assertCommonHeaders(t, "gzip asset", r)

	r = get("/assets/app-1.js", accept("gzip, deflate, br"))
	if r.Header.Get("Content-Encoding") != "br" || string(r.Body) != "brotli bytes" {
		t.Fatalf("br preferred: %v %q", r.Header, r.Body)
	}
	r = get("/assets/app-1.js", accept("br;q=0, gzip"))
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("br refused with q=0 yet got %q", r.Header.Get("Content-Encoding"))
	}
	r = get("/assets/app-1.js")
	if r.Header.Get("Content-Encoding") != "" || string(r.Body) != js || r.Header.Get("Cache-Control") != immutable {
		t.Fatalf("identity: %v, %d bytes", r.Header, len(r.Body))
	}
	// No compressed copy: the plain file, even when the client takes br.
	r = get("/assets/app-1.css", accept("br"))
	if r.Header.Get("Content-Encoding") != "" || string(r.Body) != "body{}" {
		t.Fatalf("css without a br copy: %v %q", r.Header, r.Body)
	}
	if r = get("/assets/missing-2.js", accept("gzip, br")); r.Status != 404 {
		t.Fatalf("missing asset: %d", r.Status)
	}
	r = get("/", accept("gzip, br"))
	if r.Header.Get("Cache-Control") != "no-cache" || r.Header.Get("Content-Encoding") != "" {
		t.Fatalf("index: %v", r.Header)
	}
}
