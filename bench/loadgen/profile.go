package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// profile captures examd's CPU profile during the first app run of a
// closed-loop phase when -pprof names examd's pprof listener (EXAMD_PPROF).
// The returned func waits for the capture to end.
func (b *bench) profile(name string, run int) func() {
	if b.cfg.pprof == "" || run != 0 {
		return func() {}
	}
	secs := int(b.sz.AppDur.Seconds()) - 1
	if secs < 1 {
		secs = 1
	}
	if name == "S4" || name == "S6start" { // runs of a fixed count, a few seconds
		secs = 3
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", b.cfg.pprof, secs))
		if err != nil {
			b.detail("profile %s: %v", name, err)
			return
		}
		defer resp.Body.Close()
		path := filepath.Join(b.cfg.tmp, fmt.Sprintf("cpu-%s-%s.pb.gz", name, time.Now().Format("150405")))
		f, err := os.Create(path)
		if err != nil {
			return
		}
		defer f.Close()
		if _, err := io.Copy(f, resp.Body); err == nil {
			fmt.Fprintf(os.Stderr, "profile of %s written to %s\n", name, path)
		}
	}()
	return func() { <-done }
}
