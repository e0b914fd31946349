package cursor

import (
	"errors"
	"testing"
	"time"
)

func TestRoundTripKeepsMicroseconds(t *testing.T) {
	at := time.Date(2026, 12, 2, 13, 45, 1, 123456000, time.FixedZone("CST", 8*3600))
	id := "6ecc4b7c-deee-447b-88d4-4b2e8fd67afe"
	gotAt, gotID, err := Decode(Encode(at, id))
	if err != nil || !gotAt.Equal(at) || gotID != id {
		t.Fatalf("Decode(Encode) = %v %q %v, want %v %q", gotAt, gotID, err, at, id)
	}
}

func TestForeignCursorsAreBad(t *testing.T) {
	for _, s := range []string{"", "!!", "bm9waXBl", Encode(time.Now(), "not-a-uuid"),
		"MjAyNi0xMi0wMnw2ZWNjNGI3Yy1kZWVlLTQ0N2ItODhkNC00YjJlOGZkNjdhZmU"} { // "2026-12-02|<uuid>": not RFC 3339
		if _, _, err := Decode(s); !errors.Is(err, ErrBad) {
			t.Errorf("Decode(%q) = %v, want ErrBad", s, err)
		}
	}
}
