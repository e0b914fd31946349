package api

import (
	"testing"
	"time"
)

// Every request, answered or refused, leaves exactly one request line with
// its id (the X-Request-ID the client got), method, route, status,
// duration and client address.
func TestRequestLogHasOneLinePerRequest(t *testing.T) {
	logs := &lockedBuffer{}
	a := newShedApp(t, 24, 48, time.Minute, logs)
	ok := a.do("GET", "/healthz", nil, "")
	unauth := a.do("GET", "/api/v1/candidate/attempt", nil, "")
	missing := a.do("GET", "/api/v1/no-such-endpoint", nil, "")
	for _, want := range []struct {
		r      *resp
		path   string
		status int
	}{{ok, "/healthz", 200}, {unauth, "/api/v1/candidate/attempt", 401}, {missing, "/api/v1/*", 404}} {
		if want.r.Status != want.status {
			t.Fatalf("%s answered %d, want %d", want.path, want.r.Status, want.status)
		}
		id := want.r.Header.Get("X-Request-ID")
		if id == "" {
			t.Fatalf("%s: no X-Request-ID", want.path)
		}
		var found []map[string]any
		for _, l := range logs.lines(t) {
			if l["msg"] == "request" && l["request_id"] == id {
				found = append(found, l)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%s: %d request lines with id %s, want 1: %v", want.path, len(found), id, logs.lines(t))
		}
		l := found[0]
		if l["level"] != "INFO" || l["method"] != "GET" || l["path"] != want.path || l["status"] != float64(want.status) {
			t.Errorf("request line %v, want GET %s %d at INFO", l, want.path, want.status)
		}
		if ms, isNum := l["ms"].(float64); !isNum || ms < 0 {
			t.Errorf("request line ms = %v, want a duration in milliseconds", l["ms"])
		}
		if c, _ := l["client"].(string); c == "" {
			t.Errorf("request line without the client's address: %v", l)
		}
	}
}
