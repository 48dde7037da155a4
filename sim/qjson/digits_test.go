package qjson

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"testing"
)

// digits8 is v (< 1e8) as eight ASCII digits, the slow way.
func digits8(v uint32) string {
	s := strconv.FormatUint(uint64(v), 10)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}

// TestDigits8 checks the 8-digit words both ways on every value below
// 1e8 (a stride of them in -short).
func TestDigits8(t *testing.T) {
	step := uint32(1)
	if testing.Short() {
		step = 997
	}
	var b [8]byte
	for v := uint32(0); v < 1e8; v += step {
		x := spreadDigits8(v) + ascii0x8
		binary.LittleEndian.PutUint64(b[:], x)
		if v%9973 == 0 || v < 1e5 {
			if got := string(b[:]); got != digits8(v) {
				t.Fatalf("spreadDigits8(%d) = %q", v, got)
			}
		}
		if !isDigits8(x) {
			t.Fatalf("isDigits8(%q) = false", b[:])
		}
		if got := parseDigits8(x); got != uint64(v) {
			t.Fatalf("parseDigits8(%q) = %d", b[:], got)
		}
	}
}

// TestIsDigits8 puts each byte value at each place of a word of digits.
func TestIsDigits8(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			b := []byte("12345678")
			b[pos] = byte(c)
			want := c >= '0' && c <= '9'
			if got := isDigits8(binary.LittleEndian.Uint64(b)); got != want {
				t.Errorf("isDigits8(%q) = %v", b, got)
			}
		}
	}
}

// TestReadDigits compares readDigits with a digit-by-digit reading.
func TestReadDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("0123456789012345678901234567890123456789}/:a ")
	for range 100000 {
		s := make([]byte, rng.IntN(30))
		for i := range s {
			s[i] = alphabet[rng.IntN(len(alphabet))]
		}
		at := rng.IntN(len(s) + 1)
		max := rng.IntN(20)
		var want uint64
		j := at
		for j < len(s) && j-at < max && s[j] >= '0' && s[j] <= '9' {
			want = want*10 + uint64(s[j]-'0')
			j++
		}
		if v, k := readDigits(s, at, max); v != want || k != j {
			t.Fatalf("readDigits(%q, %d, %d) = %d, %d; want %d, %d", s, at, max, v, k, want, j)
		}
	}
}
