package main

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestBucketsRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 255, 256, 1000, 4095, 1 << 20, 123456789} {
		i := bucketOf(v)
		if lo, hi := lowOf(i), lowOf(i+1); v < lo || v >= hi {
			t.Fatalf("%d in bucket %d = [%d, %d)", v, i, lo, hi)
		}
	}
}

func TestQuantilesWithinOnePercent(t *testing.T) {
	h := newHist()
	var xs []float64
	for range 100000 {
		us := rand.ExpFloat64() * 3000
		h.record(time.Duration(us) * time.Microsecond)
		xs = append(xs, float64(uint64(us))/1000)
	}
	sort.Float64s(xs)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := exactQuantile(xs, q)
		got := h.quantile(q)
		if math.Abs(got-want)/want > 0.01 {
			t.Errorf("q%.3f: got %.3f ms, want %.3f ms", q, got, want)
		}
	}
	other := newHist()
	other.record(time.Second)
	h.merge(other)
	if h.n != 100001 || h.quantile(1) != 1000 {
		t.Fatalf("merge: n=%d max=%.1f", h.n, h.quantile(1))
	}
}
