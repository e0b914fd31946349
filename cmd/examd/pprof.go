package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
)

// startPprof serves Go's profiler on EXAMD_PPROF (e.g. 127.0.0.1:6060) when
// that variable is set, for `make bench` profiles. It is a separate
// listener, never the API's, and off by default.
func startPprof(log *slog.Logger) {
	addr := os.Getenv("EXAMD_PPROF")
	if addr == "" {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		log.Info("pprof listening", "addr", addr)
		if err := http.ListenAndServe(addr, mux); err != nil {
			log.Warn("pprof stopped", "error", err)
		}
	}()
}
