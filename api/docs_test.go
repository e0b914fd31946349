package api

import (
	"os"
	"regexp"
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
	got := docsRoutes("- `GET`, `PUT`, `DELETE /api/v1/bank/questions/{id}`. Also `POST /api/v1/exams/{id}/publish` and GET /healthz.")
	for _, want := range []string{"GET /api/v1/bank/questions/{id}", "PUT /api/v1/bank/questions/{id}", "DELETE /api/v1/bank/questions/{id}", "POST /api/v1/exams/{id}/publish", "GET /healthz"} {
		if !got[want] {
			t.Errorf("%q not extracted from the sample; got %v", want, got)
		}
	}
	if len(got) != 5 {
		t.Errorf("extracted %d routes, want 5: %v", len(got), got)
	}
}
