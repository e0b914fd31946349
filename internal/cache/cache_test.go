package cache

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestBoundNeverExceeded(t *testing.T) {
	c := New[int, string](3, 0)
	for i := range 10 {
		c.Put(i, fmt.Sprint(i))
		if c.Len() > 3 {
			t.Fatalf("after %d puts the cache holds %d entries, more than its bound 3", i+1, c.Len())
		}
		if v, ok := c.Get(i); !ok || v != fmt.Sprint(i) {
			t.Fatalf("the entry just put (%d) is missing: %q %v", i, v, ok)
		}
	}
}

func TestReplacingAKeyDoesNotStartOver(t *testing.T) {
	c := New[string, int](2, 0)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("b", 3) // same key: the map is full but nothing new is added
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Errorf("a = %v %v after replacing b, want 1 true", v, ok)
	}
	if v, _ := c.Get("b"); v != 3 {
		t.Errorf("b = %v, want 3", v)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Unix(1000, 0)
	c := New[string, int](10, time.Minute).WithClock(func() time.Time { return now })
	c.Put("k", 7)
	now = now.Add(59 * time.Second)
	if v, ok := c.Get("k"); !ok || v != 7 {
		t.Fatalf("before its time: %v %v, want 7 true", v, ok)
	}
	now = now.Add(2 * time.Second)
	if _, ok := c.Get("k"); ok {
		t.Fatal("an entry older than its time to live was returned")
	}
	c.Put("k", 8)
	if v, ok := c.Get("k"); !ok || v != 8 {
		t.Fatalf("put again after expiry: %v %v, want 8 true", v, ok)
	}
}

func TestNoTTLKeepsEntries(t *testing.T) {
	now := time.Unix(0, 0)
	c := New[string, int](10, 0).WithClock(func() time.Time { return now })
	c.Put("k", 1)
	now = now.Add(1000 * time.Hour)
	if _, ok := c.Get("k"); !ok {
		t.Fatal("an entry without time to live expired")
	}
}

func TestForget(t *testing.T) {
	c := New[[2]string, int](10, 0)
	c.Put([2]string{"e", "1"}, 1)
	c.Put([2]string{"e", "2"}, 2)
	c.Put([2]string{"f", "1"}, 3)
	c.Forget([2]string{"e", "1"})
	if _, ok := c.Get([2]string{"e", "1"}); ok {
		t.Error("a forgotten entry was returned")
	}
	c.ForgetIf(func(k [2]string) bool { return k[0] == "e" })
	if _, ok := c.Get([2]string{"e", "2"}); ok {
		t.Error("ForgetIf left a matching entry")
	}
	if v, ok := c.Get([2]string{"f", "1"}); !ok || v != 3 {
		t.Error("ForgetIf dropped an entry that did not match")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New[int, int](64, time.Hour)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := (g*2000 + i) % 200
				c.Put(k, k)
				if v, ok := c.Get(k); ok && v != k {
					t.Errorf("key %d holds %d", k, v)
				}
				if i%97 == 0 {
					c.Forget(k)
				}
			}
		}()
	}
	wg.Wait()
	if c.Len() > 64 {
		t.Errorf("%d entries, more than the bound 64", c.Len())
	}
}
