package opaque

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestNewTokensAreRandomAndHashedAsStored(t *testing.T) {
	a, ha := New(24)
	b, hb := New(24)
	if a == b || bytes.Equal(ha, hb) {
		t.Fatalf("two tokens alike: %q %q", a, b)
	}
	raw, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || len(raw) != 24 || len(a) != 32 {
		t.Errorf("token %q (%d chars) is not 24 bytes of unpadded base64url: %v", a, len(a), err)
	}
	if want := sha256.Sum256([]byte(a)); !bytes.Equal(ha, want[:]) || !bytes.Equal(Hash(a), ha) {
		t.Errorf("hash of %q = %x, want its SHA-256 %x", a, ha, want)
	}
	if tok, _ := New(32); len(tok) != 43 {
		t.Errorf("a 32-byte token has %d chars, want 43", len(tok))
	}
}
