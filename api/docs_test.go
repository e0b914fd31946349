package api

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The project's HTTP reference, docs/api.md, is prose for people; these
// tests keep it naming the same routes as api/openapi.yaml, so neither can
// gain or lose a route without the other.

var docsRouteRe = regexp.MustCompile("(GET|POST|PUT|PATCH|DELETE)[`, ]+(?:(?:GET|POST|PUT|PATCH|DELETE)[`, ]+)*(/(?:api/v1/)?[A-Za-z0-9_./{}-]*)")

func readAPIDocs(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatalf("docs/api.md: %v", err)
	}
	return string(b)
}

// docsRoutes lists "METHOD /path" for every route docs/api.md names, also
// where several methods share a path ("`GET`, `PUT`, `DELETE /api/v1/x/{id}`").
func docsRoutes(doc string) map[string]bool {
	out := map[string]bool{}
	methodRe := regexp.MustCompile(`GET|POST|PUT|PATCH|DELETE`)
	for _, m := range docsRouteRe.FindAllStringSubmatch(doc, -1) {
		path := strings.TrimRight(m[2], ".")
		if path == "/" || path == "" {
			continue
		}
		// Prose may leave out the common prefix ("POST /users"); only the
		// probes live at the root.
		if !strings.HasPrefix(path, "/api/v1/") && path != "/healthz" && path != "/readyz" {
			path = "/api/v1" + path
		}
		for _, method := range methodRe.FindAllString(strings.TrimSuffix(m[0], m[2]), -1) {
			out[method+" "+path] = true
		}
	}
	return out
}

func TestDocsNameEveryDocumentedRoute(t *testing.T) {
	documented := docsRoutes(readAPIDocs(t))
	for _, o := range oaLoad(t).operations() {
		if o.path == "/api/v1/openapi.yaml" {
			continue
		}
		if !documented[o.key()] {
			t.Errorf("docs/api.md does not describe %s (it is in api/openapi.yaml)", o.key())
		}
	}
}

func TestDocsNameNoRouteTheServerLacks(t *testing.T) {
	known := map[string]bool{}
	for _, o := range oaLoad(t).operations() {
		known[o.key()] = true
	}
	for k := range docsRoutes(readAPIDocs(t)) {
		if !known[k] {
			t.Errorf("docs/api.md describes %s, which api/openapi.yaml does not have", k)
		}
	}
}

func TestDocsRouteExtraction(t *testing.T) {
	got := docsRoutes("- `GET`, `PUT`, `DELETE /api/v1/bank/questions/{id}`. Also `POST /exams/{id}/publish` and GET /healthz.")
	for _, want := range []string{"GET /api/v1/bank/questions/{id}", "PUT /api/v1/bank/questions/{id}", "DELETE /api/v1/bank/questions/{id}", "POST /api/v1/exams/{id}/publish", "GET /healthz"} {
		if !got[want] {
			t.Errorf("%q not extracted from the sample; got %v", want, got)
		}
	}
	if len(got) != 5 {
		t.Errorf("extracted %d routes, want 5: %v", len(got), got)
	}
}

// TestWebLimitsMatchTheDocument: the web app's character counters
// (frontend/src/lib/limits.ts) show the maxima api/openapi.yaml documents,
// so a counter never lets through what the server refuses, or the reverse.
func TestWebLimitsMatchTheDocument(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/lib/limits.ts")
	if err != nil {
		t.Fatal(err)
	}
	d := oaLoad(t)
	line := regexp.MustCompile(`(?m)^\s+(\w+): (\d+), // openapi: ([\w.*]+)$`)
	found := line.FindAllStringSubmatch(string(src), -1)
	if len(found) < 10 {
		t.Fatalf("limits.ts names %d limits; its lines must read `name: n, // openapi: Schema.member`", len(found))
	}
	for _, m := range found {
		want, _ := strconv.Atoi(m[2])
		parts := strings.Split(m[3], ".")
		s := d.deref(map[string]any{"$ref": "#/components/schemas/" + parts[0]})
		for _, p := range parts[1:] {
			if p == "*" {
				s = d.deref(s["additionalProperties"])
			} else {
				s = d.deref(oaMap(s["properties"])[p])
			}
		}
		got, ok := s["maxLength"].(float64)
		if !ok {
			t.Errorf("%s: %s has no maxLength in openapi.yaml", m[1], m[3])
		} else if int(got) != want {
			t.Errorf("%s: limits.ts says %d, openapi.yaml %s says %v", m[1], want, m[3], got)
		}
	}
}
