package qjson

import (
	"bytes"
	"slices"
	"testing"
)

// FuzzParser: no input makes the parser panic, cutting the input at any
// point (two Feeds) gives the same messages as one Feed, a parser Reset
// after other input gives them too, and the fast path and the slow one
// agree.
func FuzzParser(f *testing.F) {
	for _, s := range []string{
		`{"execute":"guest-sync","arguments":{"id":1}}`,
		"\xff" + ping + "\x01\x00}]garb[age" + ping + "]",
		`{"a":"\u00e9\ud83d\ude00` + "\xc3\xa9" + `","b":01,"c":1.}` + "tru\xff0e5 -\n%",
		`['a\'b',"\u12","\ud800\u0041",1e999,-0,18446744073709551616]` + "\n",
		"{\"execute\":\"gue\nst\"}[[[[[[{}",
		// 19 digits: int64 up to its limit, then a uint64, then a double.
		`{"a":9223372036854775807,"b":-9223372036854775807}{"a":9223372036854775808}{"a":-9223372036854775808}`,
		`{"a":9999999999999999999}{"a":10000000000000000000}{"a":1000000000000000000}`,
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
		// A parser Reset after any input reads as a new one.
		reset := NewParser()
		feed(reset, in[k:], in[:k])
		reset.Reset()
		if got := feed(reset, in); !slices.Equal(got, whole) {
			t.Fatalf("%q after a Reset:\n  new %q\nreset %q", in, whole, got)
		}
		slow := NewParser()
		slow.slow = true
		if got := feed(slow, in); !slices.Equal(got, whole) {
			t.Fatalf("%q: the fast path and the slow one differ:\nfast %q\nslow %q", in, whole, got)
		}
	})
}

// FuzzTemplate: an object followed by the same object with other bytes in
// place of its digits (digits of the same count, or not digits at all; or
// each run of digits replaced by the whole of digits, of another count)
// and other objects between, parses as the slow path parses it, whether a
// template matches or not.
func FuzzTemplate(f *testing.F) {
	f.Add([]byte(`{"execute":"guest-sync","arguments":{"id":1764000000000}}`), []byte("1764000000001"), []byte("\n"))
	f.Add([]byte(`{"a":-5,"b":{"c":0,"d":"x"},"e":12}`), []byte("0a9-"), []byte(""))
	f.Add([]byte(`{"id":10}`), []byte("01"), []byte("}"))
	f.Add([]byte(`{"execute":"guest-sync-delimited","arguments":{"id":8667793521898292223}}`), []byte("9223372036854775808"), []byte(""))
	f.Add([]byte(`{"id":-1000000000000000000}`), []byte("9"), []byte("\n"))
	// Ids of another length, as a client's random ones.
	f.Add([]byte(`{"execute":"guest-sync-delimited","arguments":{"id":1234567890123456789}}`), []byte("98765432109876543"), []byte(`{"execute":"guest-sync","arguments":{"id":4242}}`))
	f.Add([]byte(`{"a":1,"b":{"c":-22}}`), []byte("0"), []byte("\n"))
	f.Add([]byte(`{"a":1,"b":{"c":-22}}`), []byte("00"), []byte(""))
	f.Add([]byte(`{"a":1}`), []byte("99999999999999999999"), []byte(""))
	// More members than a Dict keeps sorted as they come.
	f.Add(bigObject(smallDict+2, 100), []byte("7"), []byte(""))
	f.Fuzz(func(t *testing.T, first, digits, tail []byte) {
		second := append([]byte(nil), first...)
		k := 0
		for i, c := range second {
			if c >= '0' && c <= '9' && len(digits) > 0 {
				second[i] = digits[k%len(digits)]
				k++
			}
		}
		var third []byte
		for i := 0; i < len(first); {
			if c := first[i]; c < '0' || c > '9' {
				third = append(third, c)
				i++
				continue
			}
			third = append(third, digits...)
			for i < len(first) && first[i] >= '0' && first[i] <= '9' {
				i++
			}
		}
		stream := bytes.Join([][]byte{first, second, tail, second, first, third, second, third, tail, third}, nil)
		slow := NewParser()
		slow.slow = true
		want := feed(slow, stream)
		if got := feed(NewParser(), stream); !slices.Equal(got, want) {
			t.Fatalf("one read %q:\n got %q\nwant %q", stream, got, want)
		}
		if got := feed(NewParser(), first, second, tail, second, first, third, second, third, tail, third); !slices.Equal(got, want) {
			t.Fatalf("a read each %q:\n got %q\nwant %q", stream, got, want)
		}
	})
}
