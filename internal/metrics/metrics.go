// Package metrics holds examd's Prometheus metrics. cmd/examd serves them
// on METRICS_ADDR only (never on the public listener); the API counts
// requests through Middleware, the sweeper counts timeout submissions, and
// features with a backlog (the outbox) register a gauge function.
package metrics

import (
	"database/sql"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Routes whose successful answers are counted as saves and submissions.
const (
	saveRoute   = "/api/v1/candidate/attempt/answers/:question_id"
	submitRoute = "/api/v1/candidate/attempt/submit"
)

// Metrics is one registry with examd's metrics. A nil *Metrics is valid
// and records nothing, so code may call it unconditionally.
type Metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	saves          prometheus.Counter
	submits        prometheus.Counter
	timeoutSubmits prometheus.Counter

	// children caches the labelled series per (route, status), so that a
	// hot route (autosave) finds its counter and histogram without
	// building label strings on every request.
	children sync.Map // routeStatus -> *series
}

type routeStatus struct {
	route  string
	status int
}

type series struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// New returns a registry with the request, save and submit metrics and the
// Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "examd_http_requests_total", Help: "HTTP requests answered, by route template and status code.",
	}, []string{"route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "examd_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route template and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "status"})
	m.saves = prometheus.NewCounter(prometheus.CounterOpts{Name: "examd_saves_total", Help: "Answers saved (200 to PUT .../answers/{question_id})."})
	m.submits = prometheus.NewCounter(prometheus.CounterOpts{Name: "examd_submits_total", Help: "Attempts submitted by the candidate (200 to POST .../submit)."})
	m.timeoutSubmits = prometheus.NewCounter(prometheus.CounterOpts{Name: "examd_timeout_submits_total", Help: "Attempts submitted by the sweeper at their deadline."})
	m.reg.MustRegister(m.requests, m.latency, m.saves, m.submits, m.timeoutSubmits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// DBPool registers the connection pool's statistics (open, in use, idle,
// waits, wait time, closed connections) as examd_db_*.
func (m *Metrics) DBPool(db *sql.DB) {
	if m == nil {
		return
	}
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, "examd"))
}

// Gauge registers a gauge read by calling f at every scrape, such as the
// review queue depth or the outbox backlog. A failing f reports NaN (the
// scrape still answers, and the gap is visible).
func (m *Metrics) Gauge(name, help string, f func() (int64, error)) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		n, err := f()
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	}))
}

// TimeoutSubmits counts n attempts submitted at their deadline.
func (m *Metrics) TimeoutSubmits(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.timeoutSubmits.Add(float64(n))
}

func (m *Metrics) seriesOf(route string, status int) *series {
	k := routeStatus{route, status}
	if s, ok := m.children.Load(k); ok {
		return s.(*series)
	}
	code := strconv.Itoa(status)
	s, _ := m.children.LoadOrStore(k, &series{count: m.requests.WithLabelValues(route, code), latency: m.latency.WithLabelValues(route, code)})
	return s.(*series)
}

// Middleware counts every request by its route template (c.Path(), so ids
// never become labels; unmatched paths are "unmatched") and final status.
// It must run outside the middleware that turns errors into responses.
func (m *Metrics) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	if m == nil {
		return next
	}
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			if he, ok := err.(*echo.HTTPError); ok {
				status = he.Code
			} else if !c.Response().Committed {
				status = http.StatusInternalServerError
			}
		}
		route := c.Path()
		if route == "" || route == "/api/v1/*" || route == "/*" {
			route = "unmatched"
		}
		s := m.seriesOf(route, status)
		s.count.Inc()
		s.latency.Observe(time.Since(start).Seconds())
		if status == http.StatusOK {
			switch route {
			case saveRoute:
				m.saves.Inc()
			case submitRoute:
				m.submits.Inc()
			}
		}
		return err
	}
}
