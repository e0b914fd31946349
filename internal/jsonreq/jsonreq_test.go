package jsonreq

import (
	"context"
	"io"
	"testing"
)

func TestNew(t *testing.T) {
	cases := []struct {
		name     string
		body     any
		token    string
		wantBody string
		wantType string
		wantAuth string
	}{
		{"no body, no token", nil, "", "", "", ""},
		{"raw bytes sent as they are", []byte(`{"a":1}`), "tok", `{"a":1}`, "application/json", "Bearer tok"},
		{"a value is encoded", map[string]int{"seq": 3}, "", `{"seq":3}`, "application/json", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := New(context.Background(), "PUT", "http://example.test/x", c.token, c.body)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if req.Body != nil {
				b, _ := io.ReadAll(req.Body)
				got = string(b)
			}
			if got != c.wantBody || req.Header.Get("Content-Type") != c.wantType || req.Header.Get("Authorization") != c.wantAuth {
				t.Errorf("body %q type %q auth %q; want %q %q %q", got, req.Header.Get("Content-Type"), req.Header.Get("Authorization"), c.wantBody, c.wantType, c.wantAuth)
			}
		})
	}
	if _, err := New(context.Background(), "POST", "http://example.test/x", "", func() {}); err == nil {
		t.Error("a value JSON cannot encode was accepted")
	}
}
