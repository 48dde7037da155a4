package link

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// randomOffsets is per-byte offsets as faults leave them: rising runs with
// gaps (drops), repeats (duplicates) and added bytes (-1).
func randomOffsets(r *rand.Rand) []int64 {
	var out []int64
	o := int64(r.IntN(5))
	for range r.IntN(40) {
		switch r.IntN(6) {
		case 0:
			out = append(out, -1)
		case 1:
			o += int64(r.IntN(3))
			out = append(out, o)
		default:
			out = append(out, o)
			o++
		}
	}
	return out
}

// Cutting, dropping and joining runs gives what Spans gives of the per-byte
// offsets cut, dropped and joined: the link's runs are what the per-byte
// bookkeeping they replace would report.
func TestSpansKeepTheirForm(t *testing.T) {
	r := rand.New(rand.NewPCG(seed, 1))
	for n := 0; n < 2000; n++ {
		a, b := randomOffsets(r), randomOffsets(r)
		sa, sb := Spans(a), Spans(b)
		if got, want := appendSpans(appendSpans(nil, sa), sb), Spans(append(slices.Clone(a), b...)); !slices.Equal(got, want) {
			t.Fatalf("seed %d: join %v %v = %v, want %v", seed, a, b, got, want)
		}
		if spansLen(sa) != int64(len(a)) {
			t.Fatalf("seed %d: length of %v", seed, a)
		}
		i := r.IntN(len(a) + 1)
		j := i + r.IntN(len(a)-i+1)
		if got, want := cutSpans(nil, sa, int64(i), int64(j)), Spans(a[i:j]); !slices.Equal(got, want) {
			t.Fatalf("seed %d: cut %v [%d,%d) = %v, want %v", seed, a, i, j, got, want)
		}
		if got, want := dropSpans(slices.Clone(sa), int64(i)), Spans(a[i:]); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("seed %d: drop %d of %v = %v, want %v", seed, i, a, got, want)
		}
		c := Chunk{Data: make([]byte, len(a)), Base: int64(i)}
		if got, want := c.spans(), Spans(c.Offsets()); !slices.Equal(got, want) {
			t.Fatalf("seed %d: chunk at %d: %v, want %v", seed, i, got, want)
		}
		if o, ok := firstSrc(sa); ok != slices.ContainsFunc(a, func(x int64) bool { return x >= 0 }) || ok && o != a[slices.IndexFunc(a, func(x int64) bool { return x >= 0 })] {
			t.Fatalf("seed %d: first offset of %v: %d %v", seed, a, o, ok)
		}
	}
}

// Lists carved from the arena stay what they were while more are carved,
// whatever a holder appends to its own.
func TestSpanArenaKeepsCarvedLists(t *testing.T) {
	r := rand.New(rand.NewPCG(seed, 2))
	var a SpanArena
	type kept struct{ got, want []trace.Span }
	var all []kept
	for n := 0; n < 3000; n++ {
		src := Spans(randomOffsets(r))
		if n%4 == 1 && len(src) > 0 {
			src = src[:1] // one run: cut's short way
		}
		i := r.IntN(int(spansLen(src)) + 1)
		j := int64(i + r.IntN(int(spansLen(src))-i+1))
		var got []trace.Span
		if n%3 == 0 {
			got = a.one(int64(n), int64(i+1))
			all = append(all, kept{got, []trace.Span{{Off: int64(n), N: int64(i + 1)}}})
		} else {
			got = a.cut(src, int64(i), j)
			all = append(all, kept{got, cutSpans(nil, src, int64(i), j)})
		}
		_ = append(got, trace.Span{Off: -1, N: 1}) // a holder's append must not reach the next list
	}
	for k, x := range all {
		if !slices.Equal(x.got, x.want) {
			t.Fatalf("seed %d: list %d became %v, want %v", seed, k, x.got, x.want)
		}
	}
}

// Spans gives the runs that spell the offsets byte for byte, each as long
// as it can be, in a list of exactly their number.
func TestSpansOfOffsets(t *testing.T) {
	r := rand.New(rand.NewPCG(seed, 3))
	for n := 0; n < 2000; n++ {
		a := randomOffsets(r)
		sp := Spans(a)
		var back []int64
		for k, s := range sp {
			if k > 0 {
				last := sp[k-1]
				if (s.Off == -1 && last.Off == -1) || (s.Off >= 0 && last.Off >= 0 && last.Off+last.N == s.Off) {
					t.Fatalf("seed %d: %v: runs %d and %d could be one: %v", seed, a, k-1, k, sp)
				}
			}
			for i := range s.N {
				if s.Off < 0 {
					back = append(back, -1)
				} else {
					back = append(back, s.Off+i)
				}
			}
		}
		if !slices.Equal(back, a) || cap(sp) != len(sp) || (len(a) == 0) != (sp == nil) {
			t.Fatalf("seed %d: Spans(%v) = %v (cap %d)", seed, a, sp, cap(sp))
		}
	}
}
