// Package jsonreq builds the JSON requests that examd's own load tools send
// to it (the benchmark's load generator and the fault drill): one place for
// how a body is encoded and which headers go with it.
package jsonreq

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
)

// New returns a request to url with body as JSON: nil sends no body, a
// []byte is sent as it is, anything else is encoded. A body gets
// Content-Type application/json; a non-empty token goes as a Bearer
// Authorization header.
func New(ctx context.Context, method, url, token string, body any) (*http.Request, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}
