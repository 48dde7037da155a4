package sim

import (
	"bytes"
	"testing"
)

// TestSlabCopy: each copy holds its bytes whatever is copied after it or
// appended to it, a copy bigger than a block gets one of its own, and an
// empty one is nil.
func TestSlabCopy(t *testing.T) {
	s := newSlab[byte](8)
	if s.copy(nil) != nil || s.copy([]byte{}) != nil {
		t.Fatal("an empty copy is not nil")
	}
	src := []byte("abc")
	a := s.copy(src)
	src[0] = 'x'
	b := s.copy([]byte("defgh"))
	_ = append(a, 'Z') // no room: must not write into b
	c := s.copy([]byte("0123456789"))
	d := s.copy([]byte("ij"))
	for _, k := range []struct{ got, want string }{{string(a), "abc"}, {string(b), "defgh"}, {string(c), "0123456789"}, {string(d), "ij"}} {
		if k.got != k.want {
			t.Errorf("copy holds %q, want %q", k.got, k.want)
		}
	}
	if !bytes.Equal(b, []byte("defgh")) {
		t.Errorf("append to a copy changed the next one: %q", b)
	}
}
