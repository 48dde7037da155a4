package sim

import (
	"sort"

	"github.com/qgasim/qgasim/sim/trace"
)

// srcRun says that the n bytes of a reader's stream from offset at came from
// the writer's stream from offset src (src < 0: bytes no writer wrote, -1
// added by a fault, -2 fed by the World itself).
type srcRun struct{ at, src, n int64 }

// runs maps a reader's stream back to the writer's, run by run (not byte by
// byte: a run is one span of a delivery).
type runs struct {
	list []srcRun
	end  int64 // the reader's offset after the last run
}

func (r *runs) reset() { r.list, r.end = r.list[:0], 0 }

// add appends bytes read, given their writer offsets per span.
func (r *runs) add(src int64, n int64) {
	if n <= 0 {
		return
	}
	if k := len(r.list); k > 0 {
		last := &r.list[k-1]
		if (src >= 0 && last.src >= 0 && last.src+last.n == src) || (src < 0 && last.src == src) {
			last.n += n
			r.end += n
			return
		}
	}
	r.list = append(r.list, srcRun{at: r.end, src: src, n: n})
	r.end += n
}

// srcOf returns the writer offset of reader byte i (negative for added or
// internal bytes), and false when i was never read.
func (r *runs) srcOf(i int64) (int64, bool) {
	if i < 0 || i >= r.end {
		return 0, false
	}
	k := sort.Search(len(r.list), func(k int) bool { return r.list[k].at+r.list[k].n > i })
	x := r.list[k]
	if x.src < 0 {
		return x.src, true
	}
	return x.src + (i - x.at), true
}

// spans returns the writer offsets of reader bytes [from, to) as runs, as a
// delivery event gives them (negative offsets: bytes no writer wrote).
func (r *runs) spans(from, to int64) []trace.Span {
	from, to = max(from, 0), min(to, r.end)
	var out []trace.Span
	for from < to {
		k := sort.Search(len(r.list), func(k int) bool { return r.list[k].at+r.list[k].n > from })
		x := r.list[k]
		n := min(to, x.at+x.n) - from
		off := int64(-1)
		if x.src >= 0 {
			off = x.src + (from - x.at)
		}
		out = append(out, trace.Span{Off: off, N: n})
		from += n
	}
	return out
}
