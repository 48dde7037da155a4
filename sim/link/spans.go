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
