package qjson

import (
	"slices"
	"testing"
)

// FuzzParser: no input makes the parser panic, and cutting the input at
// any point (two Feeds) gives the same messages as one Feed.
func FuzzParser(f *testing.F) {
	for _, s := range []string{
		`{"execute":"guest-sync","arguments":{"id":1}}`,
		"\xff" + ping + "\x01\x00}]garb[age" + ping + "]",
		`{"a":"\u00e9\ud83d\ude00` + "\xc3\xa9" + `","b":01,"c":1.}` + "tru\xff0e5 -\n%",
		`['a\'b',"\u12","\ud800\u0041",1e999,-0,18446744073709551616]` + "\n",
		"{\"execute\":\"gue\nst\"}[[[[[[{}",
	} {
		f.Add([]byte(s), uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, in []byte, cut uint16) {
		k := int(cut) % (len(in) + 1)
		whole := feed(NewParser(), in)
		split := feed(NewParser(), in[:k], in[k:])
		if !slices.Equal(whole, split) {
			t.Fatalf("%q cut at %d:\n one Feed %q\ntwo Feeds %q", in, k, whole, split)
		}
		slow := NewParser()
		slow.slow = true
		if got := feed(slow, in); !slices.Equal(got, whole) {
			t.Fatalf("%q: the fast path and the slow one differ:\nfast %q\nslow %q", in, whole, got)
		}
	})
}
