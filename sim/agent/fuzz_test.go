package agent

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// maxReplyOverhead bounds a reply beyond what its own input can explain:
// guest-info, the longest answer of the default guest, is about 3.5 KiB.
const maxReplyOverhead = 8192

// FuzzAgent: no stream makes the simulated agent panic; each reply is
// bounded by the input that made it (escaping at most multiplies a byte by
// eight) plus a constant; and the same stream cut into other reads gives
// the same bytes.
func FuzzAgent(f *testing.F) {
	cases := loadCases(f, filepath.Join("testdata", "diff"))
	for _, c := range cases {
		var in []byte
		for _, conn := range c.conns {
			for _, w := range conn {
				in = append(in, w...)
			}
		}
		if len(in) < 4096 {
			f.Add(in, uint64(len(in)))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, seed uint64) {
		whole := New(Config{}, nil)
		var want []byte
		var last int64
		for _, r := range whole.Feed(0, in) {
			if limit := 8*(r.InputEnd-last+1) + maxReplyOverhead; int64(len(r.Bytes)) > limit {
				t.Fatalf("reply of %d bytes for %d bytes of input: %q", len(r.Bytes), r.InputEnd-last, r.Bytes)
			}
			last = r.InputEnd
			want = append(want, r.Bytes...)
		}
		rng := rand.New(rand.NewPCG(seed, 0))
		split := New(Config{}, nil)
		var got []byte
		for rest := in; len(rest) > 0; {
			n := 1 + rng.IntN(len(rest))
			for _, r := range split.Feed(0, rest[:n]) {
				got = append(got, r.Bytes...)
			}
			rest = rest[n:]
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%q (seed %d): split reads differ:\n one %q\nsplit %q", in, seed, want, got)
		}
	})
}
