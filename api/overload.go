package api

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
)

// admission bounds the API work in flight. Without it, a rush past what
// the database can serve piles requests up without limit: each holds a
// goroutine, its body and a place in database/sql's unbounded wait for a
// connection, memory grows past the soft limit and, once clients give up,
// the server is still working on requests nobody waits for. So at most
// len(slots) requests run at once (sized to the connection pool, which is
// what bounds the real work); a request that finds them all taken may wait
// for one if policy lets it (see shedPolicy: a brief stall is waited out,
// sustained overload is refused at once); anything refused is answered 503
// with Retry-After before its body is read or its token checked, which
// costs microseconds.
type admission struct {
	slots  chan struct{}
	policy *shedPolicy
}

// retryAfterSeconds is what a refused client is told to wait: long enough
// for a queue of a few dozen requests to drain many times over, short
// enough that an autosave retried then is not noticeably late.
const retryAfterSeconds = "1"

func newAdmission(inFlight, queue int, wait, overloadWait time.Duration) *admission {
	if inFlight <= 0 {
		return nil
	}
	return &admission{slots: make(chan struct{}, inFlight), policy: newShedPolicy(inFlight, queue, wait, overloadWait)}
}

// errShed is the cause of a refusal for load: expected under overload and
// counted in the request log, so not logged again as a server failure (at
// thousands a second, that would be one more cost of the overload).
var errShed = errors.New("api: refused for load")

func errOverloaded() *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable",
		Message: "the server is at capacity; try again shortly", Header: map[string]string{"Retry-After": retryAfterSeconds}, cause: errShed}
}

// hashingRoutes run argon2id: tens of milliseconds of CPU and 19 MiB each,
// behind account's own cap of one hash a core. They get a small lane of
// their own, so that a flood of logins waits (or is refused) there and
// never takes the places autosaves need, and the other way round.
// All three are POSTs; the map holds their paths.
var hashingRoutes = map[string]bool{
	"/api/v1/auth/login": true,
	"/api/v1/signup":     true,
	"/api/v1/users":      true,
}

// hashingLane sizes the lane of hashingRoutes from the cores: one request
// hashing and one about to, a core, and a queue that a few seconds of
// hashing drain.
func hashingLane(wait time.Duration) *admission {
	n := max(1, runtime.NumCPU())
	w := max(wait, time.Second)
	return newAdmission(2*n, 8*n, w, w)
}

// lanes sends each request to its admission: hashing routes to theirs,
// everything else to main. With shedding off (main nil) nothing is limited.
type lanes struct{ main, hashing *admission }

func (l lanes) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	if l.main == nil {
		return next
	}
	main, hashing := l.main.middleware(next), l.hashing.middleware(next)
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodPost && hashingRoutes[c.Path()] {
			return hashing(c)
		}
		return main(c)
	}
}

// middleware admits a request or refuses it; nil (shedding off) admits all.
func (a *admission) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	if a == nil {
		return next
	}
	return func(c echo.Context) error {
		if err := a.acquire(c.Request().Context()); err != nil {
			return err
		}
		start := time.Now()
		defer func() {
			a.policy.served(time.Since(start))
			<-a.slots
		}()
		return next(c)
	}
}

func (a *admission) acquire(ctx context.Context) error {
	now := time.Now()
	a.policy.arrive(now)
	select {
	case a.slots <- struct{}{}:
		return nil
	default:
	}
	wait, ok := a.policy.enqueue(now)
	if !ok {
		return errOverloaded()
	}
	defer a.policy.dequeue()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case a.slots <- struct{}{}:
		return nil
	case <-t.C:
		return errOverloaded()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// statusClientClosed is nginx's "client closed request": logged for a
// request whose client went away before it was answered. Nothing is sent.
const statusClientClosed = 499

// clientGone reports whether a failed request failed because its client
// left: the request's context is cancelled (net/http does that when the
// connection closes) and nothing has been written yet. Whatever the error
// then says (a cancelled query, a dropped connection), no one reads the
// answer, and it is not a server failure.
func clientGone(c echo.Context, err error) bool {
	if c.Response().Committed {
		return false
	}
	return err != nil && errors.Is(c.Request().Context().Err(), context.Canceled)
}
