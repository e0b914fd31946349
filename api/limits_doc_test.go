package api

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

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
