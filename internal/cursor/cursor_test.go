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

func TestSerialCursors(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 987654000, time.UTC)
	gotAt, gotID, err := DecodeSerial(EncodeSerial(at, 4711))
	if err != nil || !gotAt.Equal(at) || gotID != 4711 {
		t.Fatalf("DecodeSerial(EncodeSerial) = %v %d %v, want %v 4711", gotAt, gotID, err, at)
	}
	for _, s := range []string{Encode(at, "0"), Encode(at, "-3"), Encode(at, "abc"),
		Encode(at, "6ecc4b7c-deee-447b-88d4-4b2e8fd67afe"), "!!"} {
		if _, _, err := DecodeSerial(s); !errors.Is(err, ErrBad) {
			t.Errorf("DecodeSerial(%q) = %v, want ErrBad", s, err)
		}
	}
	if _, _, err := Decode(EncodeSerial(at, 12)); !errors.Is(err, ErrBad) {
		t.Errorf("Decode of a serial cursor = %v, want ErrBad (the id is not a uuid)", err)
	}
}

func TestTrimKeepsLimitAndNamesTheLastKept(t *testing.T) {
	name := func(r *int) string { return string(rune('a' + *r)) }
	if rows, next := Trim([]int{0, 1, 2}, 2, name); len(rows) != 2 || next != "b" {
		t.Fatalf("a row over: %v %q, want [0 1] \"b\"", rows, next)
	}
	for _, in := range [][]int{{0, 1}, {0}, nil} {
		if rows, next := Trim(in, 2, name); len(rows) != len(in) || next != "" {
			t.Fatalf("Trim(%v, 2) = %v %q, want the rows and no cursor", in, rows, next)
		}
	}
}
