package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"examd/internal/jsonreq"
)

// api is a thin JSON client of examd. It keeps connections alive (one pool
// for the whole run) and never decodes bodies it does not need.
type api struct {
	base string
	hc   *http.Client
}

func newAPI(base string) *api {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &api{base: base + "/api/v1", hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// httpError is a response with an unexpected status.
type httpError struct {
	Method, Path string
	Status       int
	Body         string
	RetryAfter   string // the Retry-After header, if any
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Body)
}

// do sends body (nil, []byte or a value to encode) with token and returns
// the status and, when out is non-nil, decodes the body into it. A status
// not in want is an *httpError.
func (a *api) do(ctx context.Context, method, path, token string, body any, out any, want ...int) (int, error) {
	req, err := jsonreq.New(ctx, method, a.base+path, token, body)
	if err != nil {
		return 0, err
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	ok := len(want) == 0 && resp.StatusCode < 300
	for _, w := range want {
		if resp.StatusCode == w {
			ok = true
		}
	}
	if !ok {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return resp.StatusCode, &httpError{Method: method, Path: path, Status: resp.StatusCode, Body: string(b), RetryAfter: resp.Header.Get("Retry-After")}
	}
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decoding: %w", method, path, err)
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}
