// Package connlimit keeps examd's open HTTP connections near a cap. Each
// open connection costs the server about 17 KB even when idle (its
// goroutine and read and write buffers: 5,000 idle keep-alive connections
// took examd from 38 to 122 MB), so 20,000 candidates each keeping one
// open would hold far more than the 128 MiB soft limit while doing
// nothing. Past the cap the guard turns keep-alive off: idle connections
// are closed at once and every answer carries Connection: close, so open
// connections fall to those with a request in progress, which the API's
// admission limit bounds. Below nine tenths of the cap keep-alive returns.
// Nothing is refused: a client past the cap only pays a new connection
// per request.
package connlimit

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Guard counts srv's open connections and switches its keep-alive.
type Guard struct {
	srv         *http.Server
	max, resume int64
	open        atomic.Int64
	mu          sync.Mutex
	shedding    bool
}

// Install hooks a guard with cap max into srv's ConnState (keeping any hook
// already there). It must be called before srv serves. max <= 0 installs
// nothing and returns nil.
func Install(srv *http.Server, max int) *Guard {
	if max <= 0 {
		return nil
	}
	g := &Guard{srv: srv, max: int64(max), resume: int64(max) * 9 / 10}
	prev := srv.ConnState
	srv.ConnState = func(c net.Conn, s http.ConnState) {
		g.observe(s)
		if prev != nil {
			prev(c, s)
		}
	}
	return g
}

// Open is the number of connections open now.
func (g *Guard) Open() int64 { return g.open.Load() }

// KeepAlive reports whether keep-alive is on (the count is under the cap).
func (g *Guard) KeepAlive() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.shedding
}

func (g *Guard) observe(s http.ConnState) {
	switch s {
	case http.StateNew:
		if g.open.Add(1) > g.max {
			g.set(true)
		}
	case http.StateClosed, http.StateHijacked:
		if g.open.Add(-1) <= g.resume {
			g.set(false)
		}
	}
}

func (g *Guard) set(shed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shedding == shed {
		return
	}
	g.shedding = shed
	// Off also closes the idle connections at once.
	g.srv.SetKeepAlivesEnabled(!shed)
}
