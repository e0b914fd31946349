package account

import (
	"context"
	"strings"
	"testing"
)

func TestPasswordHashing(t *testing.T) {
	ctx := context.Background()
	h1, err := HashPassword(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword(ctx, "correct horse battery")
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash format %q", h1)
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := VerifyPassword(ctx, h1, c.pw)
		if err != nil || ok != c.want {
			t.Errorf("verify %q: %v %v", c.pw, ok, err)
		}
	}
	if _, err := VerifyPassword(ctx, "$2a$10$bcrypt-hash", "x"); err == nil {
		t.Fatal("an unknown hash format verified")
	}
	// A cancelled request does not wait for a hashing slot.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for i := 0; i < cap(hashSlots); i++ {
		hashSlots <- struct{}{}
	}
	_, err = HashPassword(cctx, "x")
	for i := 0; i < cap(hashSlots); i++ {
		<-hashSlots
	}
	if err == nil {
		t.Fatal("hashing ignored a cancelled context while all slots were busy")
	}
}
