package main

import (
	"math"
	"math/bits"
	"sort"
	"time"
)

// hist is a log-linear latency histogram in microseconds, in the manner of
// HdrHistogram: values below 128 µs are exact, larger ones keep 7
// significant bits (under 1 % relative error). One hist per goroutine,
// merged at the end, so recording takes no lock.
type hist struct {
	counts []uint64
	n      uint64
	max    uint64
	sum    float64
}

const subBits = 7 // 128 sub-buckets per power of two

func newHist() *hist { return &hist{counts: make([]uint64, 64<<subBits)} }

func bucketOf(us uint64) int {
	if us < 1<<subBits {
		return int(us)
	}
	shift := bits.Len64(us) - subBits
	return (shift << (subBits - 1)) + int(us>>shift)
}

// lowOf is the smallest value of bucket i; the bucket spans to the next one.
func lowOf(i int) uint64 {
	if i < 1<<subBits {
		return uint64(i)
	}
	shift := i>>(subBits-1) - 1
	mant := uint64(i - (shift << (subBits - 1)))
	return mant << shift
}

func (h *hist) record(d time.Duration) {
	us := uint64(d / time.Microsecond)
	if d < 0 {
		us = 0
	}
	i := bucketOf(us)
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i]++
	h.n++
	h.sum += float64(us)
	if us > h.max {
		h.max = us
	}
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	if o.max > h.max {
		h.max = o.max
	}
}

// quantile returns the q-th quantile (0..1) in milliseconds: the middle of
// the bucket holding the rank, never above the largest value seen.
func (h *hist) quantile(q float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo := lowOf(i)
			hi := lowOf(i + 1)
			v := float64(lo+hi) / 2
			if i < 1<<subBits {
				v = float64(lo)
			}
			if v > float64(h.max) {
				v = float64(h.max)
			}
			return v / 1000
		}
	}
	return float64(h.max) / 1000
}

func (h *hist) mean() float64 {
	if h.n == 0 {
		return math.NaN()
	}
	return h.sum / float64(h.n) / 1000
}

// exactQuantile is for small sample lists (pgbench's per-transaction log).
func exactQuantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	if !sort.Float64sAreSorted(sorted) {
		sort.Float64s(sorted)
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	if i < 0 {
		i = 0
	}
	return sorted[i]
}
