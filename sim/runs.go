package sim

import (
	"sort"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// srcRun says that the n bytes of a reader's stream from offset at came from
// the writer's stream from offset src (src < 0: bytes no writer wrote, -1
// added by a fault, -2 fed by the World itself).
type srcRun struct{ at, src, n int64 }

// runs maps a reader's stream back to the writer's, run by run (not byte by
// byte: a run is one span of a delivery). It keeps the runs from start on:
// forget drops those nobody will ask about again.
type runs struct {
	list  []srcRun
	start int64 // the first reader offset kept
	end   int64 // the reader's offset after the last run
}

func (r *runs) reset() { r.list, r.start, r.end = r.list[:0], 0, 0 }

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

// kept reports whether reader byte i was read and is still kept.
func (r *runs) kept(i int64) bool { return i >= r.start && i < r.end }

// find returns the index of the run holding reader byte i (kept(i)).
func (r *runs) find(i int64) int {
	return sort.Search(len(r.list), func(k int) bool { return r.list[k].at+r.list[k].n > i })
}

// srcOf returns the writer offset of reader byte i (negative for added or
// internal bytes), and false when i was never read or is forgotten.
func (r *runs) srcOf(i int64) (int64, bool) {
	if !r.kept(i) {
		return 0, false
	}
	x := r.list[r.find(i)]
	if x.src < 0 {
		return x.src, true
	}
	return x.src + (i - x.at), true
}

// spans returns the writer offsets of reader bytes [from, to) as runs, as a
// delivery event gives them (negative offsets: bytes no writer wrote),
// carved from arena (nil: a list of their own).
func (r *runs) spans(arena *link.SpanArena, from, to int64) []trace.Span {
	from, to = max(from, r.start), min(to, r.end)
	if from >= to {
		return nil
	}
	var out []trace.Span
	if arena != nil {
		out = arena.Room(r.find(to-1) - r.find(from) + 1)
	}
	for from < to {
		x := r.list[r.find(from)]
		n := min(to, x.at+x.n) - from
		off := int64(-1)
		if x.src >= 0 {
			off = x.src + (from - x.at)
		}
		out = append(out, trace.Span{Off: off, N: n})
		from += n
	}
	if arena != nil {
		return arena.Keep(out)
	}
	return out
}

// lowestSrc is the lowest writer offset of the kept reader bytes from
// offset from on; ok is false when none came from a writer.
func (r *runs) lowestSrc(from int64) (low int64, ok bool) {
	from = max(from, r.start)
	if from >= r.end {
		return 0, false
	}
	for _, x := range r.list[r.find(from):] {
		if x.src < 0 {
			continue
		}
		s := x.src + max(0, from-x.at)
		if !ok || s < low {
			low, ok = s, true
		}
	}
	return low, ok
}

// forget drops the runs wholly before reader offset low.
func (r *runs) forget(low int64) {
	if low <= r.start {
		return
	}
	r.start = min(low, r.end)
	k := r.find(r.start)
	r.list = dropFront(r.list, k)
}

// dropFront removes the first k elements, moving the rest to a smaller
// array when a large one would be mostly empty, so that a log that is
// trimmed as it grows keeps a bounded array.
func dropFront[T any](s []T, k int) []T {
	if k <= 0 {
		return s
	}
	if n := len(s) - k; n <= k {
		// What stays is no longer than what goes: move it to the front
		// of the same array, so that the array's room is kept for the
		// next appends (slicing past the front loses it, and a log that is
		// appended to and trimmed all run long would get a new array every
		// few appends). Each element moves at most as often as one is
		// dropped.
		copy(s, s[k:])
		clear(s[n:])
		s = s[:n]
	} else {
		clear(s[:k])
		s = s[k:]
	}
	if cap(s) > 1024 && len(s) < cap(s)/4 {
		// After a spike: give the memory back.
		s = append(make([]T, 0, 2*len(s)+16), s...)
	}
	return s
}
