package link

import "github.com/qgasim/qgasim/sim/trace"

// The link keeps the writer offsets of the bytes it carries as runs
// (trace.Span, Off -1 for bytes a fault added), in the canonical form
// Spans gives: adjacent runs that could be one are one. Cutting and
// joining such lists keeps the form, so what the link reports is what
// Spans of the per-byte offsets would be.

// appendSpan appends one run, joining it to the last when they continue.
func appendSpan(dst []trace.Span, s trace.Span) []trace.Span {
	if s.N <= 0 {
		return dst
	}
	if n := len(dst); n > 0 {
		last := &dst[n-1]
		if (s.Off < 0 && last.Off < 0) || (s.Off >= 0 && last.Off >= 0 && last.Off+last.N == s.Off) {
			last.N += s.N
			return dst
		}
	}
	return append(dst, s)
}

// appendSpans appends runs, joining at the seam.
func appendSpans(dst, src []trace.Span) []trace.Span {
	for _, s := range src {
		dst = appendSpan(dst, s)
	}
	return dst
}

// spansLen is the number of bytes the runs describe.
func spansLen(sp []trace.Span) int64 {
	n := int64(0)
	for _, s := range sp {
		n += s.N
	}
	return n
}

// cutSpans appends to dst the runs of bytes [i, j) of sp.
func cutSpans(dst, sp []trace.Span, i, j int64) []trace.Span {
	at := int64(0)
	for _, s := range sp {
		if at >= j {
			break
		}
		lo, hi := max(i, at), min(j, at+s.N)
		if lo < hi {
			off := s.Off
			if off >= 0 {
				off += lo - at
			}
			dst = appendSpan(dst, trace.Span{Off: off, N: hi - lo})
		}
		at += s.N
	}
	return dst
}

// dropSpans removes the first k bytes of sp, in place: sp is the link's own.
func dropSpans(sp []trace.Span, k int64) []trace.Span {
	for k > 0 && len(sp) > 0 {
		if sp[0].N <= k {
			k -= sp[0].N
			sp = sp[1:]
			continue
		}
		if sp[0].Off >= 0 {
			sp[0].Off += k
		}
		sp[0].N -= k
		k = 0
	}
	return sp
}

// firstSrc is the first writer offset of sp (added bytes passed over).
func firstSrc(sp []trace.Span) (int64, bool) {
	for _, s := range sp {
		if s.Off >= 0 {
			return s.Off, true
		}
	}
	return 0, false
}

// SpanArena hands out small run lists carved from a shared block, one
// allocation for many lists (a direction returns runs on every read). A
// carved list is capped at its length and its part of the block is never
// written again, so a holder may keep it; the block is dropped for a new
// one when full and lives as long as a list carved from it.
type SpanArena struct{ buf []trace.Span }

// A World's first block is small (most runs are short), the next ones
// double up to spanBlock.
const (
	spanFirst = 8
	spanBlock = 256
)

// Room returns an empty list with room for n runs, to append to and then
// give to Keep.
func (a *SpanArena) Room(n int) []trace.Span {
	if cap(a.buf)-len(a.buf) < n {
		size := min(spanBlock, max(spanFirst, 2*cap(a.buf)))
		a.buf = make([]trace.Span, 0, max(size, n))
	}
	at := len(a.buf)
	return a.buf[at:at:cap(a.buf)]
}

// Keep carves out, built in the list Room returned (within its room), and
// returns it capped at its length.
func (a *SpanArena) Keep(out []trace.Span) []trace.Span {
	a.buf = a.buf[:len(a.buf)+len(out)]
	return out[:len(out):len(out)]
}

// cut returns the runs of bytes [i, j) of sp, carved from the arena.
func (a *SpanArena) cut(sp []trace.Span, i, j int64) []trace.Span {
	if len(sp) == 1 && 0 <= i && i < j && j <= sp[0].N {
		// Part of one run (a read of a write's head, the usual case).
		off := sp[0].Off
		if off >= 0 {
			off += i
		}
		return a.one(off, j-i)
	}
	return a.Keep(cutSpans(a.Room(len(sp)), sp, i, j))
}

// one returns the single run {off, n}, carved from the arena.
func (a *SpanArena) one(off, n int64) []trace.Span {
	a.fit()
	return a.carve(off, n)
}

// fit makes room for one run. With carve it is one, in two parts small
// enough to be inlined where a read or a write asks for its run (the most
// common list, thousands a run).
func (a *SpanArena) fit() {
	if len(a.buf) == cap(a.buf) {
		a.renew()
	}
}

// carve returns the single run {off, n} from the room fit made.
func (a *SpanArena) carve(off, n int64) []trace.Span {
	at := len(a.buf)
	a.buf = a.buf[:at+1]
	a.buf[at] = trace.Span{Off: off, N: n}
	return a.buf[at : at+1 : at+1]
}

// renew starts a new block: fit's rare case, kept out of line so that fit
// is inlined.
//
//go:noinline
func (a *SpanArena) renew() { a.Room(1) }
