// Package api is examd's HTTP layer: the Echo route table, handlers, JWT
// and role middleware, strict JSON binding and the one mapping of errors to
// the contract's status codes (docs/api.md). It holds no SQL: it
// calls the account, exam and grading packages.
package api

import (
	"context"
	"examd/bank"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"gorm.io/gorm"

	"examd/account"
	"examd/exam"
	"examd/grading"
	"examd/internal/config"
	"examd/internal/database"
	"examd/internal/metrics"
	"examd/internal/ratelimit"
	"examd/notify"
)

// Server carries what handlers need.
type Server struct {
	cfg      *config.Config
	db       *gorm.DB
	log      *slog.Logger
	tokens   *Tokens
	accounts *account.Store
	limiter  *ratelimit.Limiter
	exams    *exam.Store
	bank     *bank.Store
	grader   *grading.Grader
	webhooks *notify.Store
}

// Options configure New.
type Options struct {
	Config *config.Config
	DB     *gorm.DB
	Logger *slog.Logger
	// Exams and Grader may be given to share them with background work
	// (the sweeper); otherwise New makes them.
	Exams  *exam.Store
	Grader *grading.Grader
	// Metrics, when set, counts every request (served elsewhere, on
	// METRICS_ADDR: never on this router).
	Metrics *metrics.Metrics
}

// Rate limits of the contract (the login limits are in loginlimit.go).
var (
	tokenPerAddr = ratelimit.Rule{Scope: "invitation_addr", Max: 30, Window: 15 * time.Minute}
)

// New builds the Echo app with every route.
func New(o Options) *echo.Echo {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: o.Config, db: o.DB, log: log, tokens: NewTokens(o.Config.JWTSecret),
		accounts: account.NewStore(o.DB), limiter: ratelimit.New(o.DB), exams: o.Exams, grader: o.Grader,
		webhooks: notify.NewStore(o.DB)}
	if s.exams == nil {
		s.exams = exam.NewStore(o.DB, grading.NewScorer(o.DB))
	}
	s.bank = bank.NewStore(o.DB)
	if s.grader == nil {
		s.grader = grading.New(o.DB, s.exams)
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(log)
	e.IPExtractor = ipExtractor(o.Config.TrustedProxies)
	e.Pre(securityHeaders)
	e.Use(middleware.RequestID())
	e.Use(o.Metrics.Middleware) // outside requestLog, which turns errors into answers
	e.Use(requestLog(log))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err, "stack", string(stack))
		return err
	}}))

	e.GET("/healthz", func(c echo.Context) error { return c.JSON(200, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.readyz)

	// Load shedding covers the API only: /healthz and /readyz (a balancer's
	// probes) and the web app's files are cheap and must answer while the
	// API sheds, or an overloaded server would look dead.
	admit := lanes{main: newAdmission(o.Config.MaxInFlight, o.Config.QueueLength, o.Config.QueueWait, o.Config.QueueOverloadWait), hashing: hashingLane(o.Config.QueueWait)}
	v1 := e.Group("/api/v1", admit.middleware, bodyLimit(o.Config.BodyLimit))
	s.routes(v1)
	v1.Any("/*", func(c echo.Context) error { return errNotFound("endpoint") })
	mountWeb(e)
	return e
}

// ipExtractor takes the client address from the connection unless trusted
// proxies are configured: a forged X-Forwarded-For must not reset a limit.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			status := 0
			switch {
			case clientGone(c, err):
				// Dropped quietly: no answer, no error line, not a 500.
				status = statusClientClosed
			case err != nil:
				c.Error(err)
			}
			if status == 0 {
				status = c.Response().Status
			}
			// Typed attributes (LogAttrs): the line is written for every
			// request, and boxing each value for log.Info's ...any cost
			// allocations on the hottest paths.
			ms := slog.Float64("ms", float64(time.Since(start).Microseconds())/1000)
			id := slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			method, path := slog.String("method", c.Request().Method), slog.String("path", c.Path())
			st, client := slog.Int("status", status), slog.String("client", c.RealIP())
			if status == statusClientClosed {
				log.LogAttrs(context.Background(), slog.LevelInfo, "request", id, method, path, st, ms, client, slog.String("error", err.Error()))
			} else {
				log.LogAttrs(context.Background(), slog.LevelInfo, "request", id, method, path, st, ms, client)
			}
			return nil
		}
	}
}

func (s *Server) readyz(c echo.Context) error {
	if err := database.Ping(c.Request().Context(), s.db); err != nil {
		e := newError(503, "unavailable", "the database does not answer")
		e.cause = err
		return e
	}
	return c.JSON(200, map[string]string{"status": "ready"})
}

// reqCtx is the request's context.
func reqCtx(c echo.Context) context.Context { return c.Request().Context() }

// The handlers of a resource of the caller's organization that only call
// its store: each returns the echo handler the route table names.

// getByID is a GET of the organization's resource :id (200).
func getByID[T any](get func(context.Context, string, string) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := get(reqCtx(c), claims(c).Org, c.Param("id"))
		return respond(c, http.StatusOK, v, err)
	}
}

// createFrom is a POST that creates, in the caller's organization, what
// decode reads from the body (201 with what create returns).
func createFrom[B, R any](decode func(echo.Context) (B, error), create func(context.Context, string, B) (R, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		in, err := decode(c)
		if err != nil {
			return err
		}
		out, err := create(reqCtx(c), claims(c).Org, in)
		return respond(c, http.StatusCreated, out, err)
	}
}

// replaceByID is a PUT of the organization's resource :id: one of another
// organization (or none) is 404 (find's error) before its body is judged,
// then the body decoded replaces it, 200 with what replace returns.
func replaceByID[F, B, R any](find func(context.Context, string, string) (F, error),
	decode func(echo.Context) (B, error), replace func(context.Context, string, string, B) (R, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		org, id := claims(c).Org, c.Param("id")
		if _, err := find(reqCtx(c), org, id); err != nil {
			return err
		}
		in, err := decode(c)
		if err != nil {
			return err
		}
		out, err := replace(reqCtx(c), org, id, in)
		return respond(c, http.StatusOK, out, err)
	}
}

// deleteByID is a DELETE of the organization's resource :id (204).
func deleteByID(del func(context.Context, string, string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := del(reqCtx(c), claims(c).Org, c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// respond is a handler's last step after the store's call: its error, or
// v as JSON with status.
func respond(c echo.Context, status int, v any, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, v)
}
