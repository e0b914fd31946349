package connlimit

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// client is one raw keep-alive connection.
type client struct {
	c  net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{c: c, br: bufio.NewReader(c)}
}

// get sends one request and reports whether the server will close the
// connection after it.
func (cl *client) get(t *testing.T) (closing bool) {
	t.Helper()
	if _, err := io.WriteString(cl.c, "GET / HTTP/1.1\r\nHost: examd.test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(cl.br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return resp.Close
}

// closed reports whether the server closed the connection within a second.
func (cl *client) closed() bool {
	cl.c.SetReadDeadline(time.Now().Add(time.Second))
	_, err := cl.br.ReadByte()
	return err == io.EOF
}

// waitOpen waits until from lo to hi connections are open.
func waitOpen(t *testing.T, g *Guard, lo, hi int64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); g.Open() < lo || g.Open() > hi; {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want %d to %d", g.Open(), lo, hi)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPastTheCapIdleConnectionsCloseAndKeepAliveStops(t *testing.T) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })}
	// The test's own hook, kept by Install, counts idle connections.
	var mu sync.Mutex
	states := map[net.Conn]http.ConnState{}
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		states[c] = s
	}
	idleCount := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, s := range states {
			if s == http.StateIdle {
				n++
			}
		}
		return n
	}
	g := Install(srv, 4)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()

	var idle []*client
	for range 4 {
		cl := dial(t, addr)
		if cl.get(t) {
			t.Fatal("under the cap a connection is kept alive")
		}
		idle = append(idle, cl)
	}
	waitOpen(t, g, 4, 4)
	for deadline := time.Now().Add(5 * time.Second); idleCount() != 4; {
		if time.Now().After(deadline) {
			t.Fatalf("%d idle connections, want 4", idleCount())
		}
		time.Sleep(5 * time.Millisecond)
	}

	// The fifth connection passes the cap: the idle ones are closed at
	// once, and the fifth is served.
	fifth := dial(t, addr)
	fifth.get(t)
	for i, cl := range idle {
		if !cl.closed() {
			t.Fatalf("idle connection %d still open past the cap", i)
		}
	}
	// The fifth may be closed too, if its answer went out while keep-alive
	// was off.
	waitOpen(t, g, 0, 1)
	// With the idle ones gone the count is under the cap: keep-alive is
	// back, and connections live on again.
	if !g.KeepAlive() {
		t.Fatal("keep-alive did not come back under the cap")
	}
	again := dial(t, addr)
	if again.get(t) || again.get(t) {
		t.Fatal("under the cap again, a connection should be kept alive")
	}
	waitOpen(t, g, 1, 2)
}

func TestNoCapInstallsNothing(t *testing.T) {
	srv := &http.Server{}
	if Install(srv, 0) != nil || srv.ConnState != nil {
		t.Fatal("a cap of 0 must leave the server alone")
	}
}
