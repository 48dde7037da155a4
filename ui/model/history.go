package model

import "math"

// History says how far back the panes go. The model keeps a window of
// each kind of history (Limits): bytes and their segments, deliveries, the
// timeline, the request table. Once a window has dropped its oldest items,
// the panes show everything only from From on.
type History struct {
	Whole bool  // nothing dropped yet: the panes reach back to the start
	From  int64 // otherwise the virtual time (ns) from which every pane is whole
}

// History is how far back the panes go now.
func (m *Model) History() History {
	h := History{Whole: true}
	from := func(t int64) {
		h.Whole = false
		h.From = max(h.From, t)
	}
	for _, s := range []*Stream{m.H2A, m.A2H} {
		if s.Evicted > 0 && len(s.Segs) > 0 {
			from(s.Segs[0].T)
		}
	}
	if m.evictedTL > 0 && len(m.Timeline) > 0 {
		from(m.Timeline[0].T)
	}
	if m.evictedReqs > 0 && len(m.Requests) > 0 {
		from(m.Requests[0].Issued)
	}
	return h
}

// Scaled returns limits that keep about n timeline lines of history and the
// other windows in the same proportion as DefaultLimits (n 4096 gives
// DefaultLimits): one number for a user to raise or lower.
func Scaled(n int) Limits {
	d := DefaultLimits
	if n <= 0 {
		return d
	}
	// v*n/Timeline, saturated: with a huge n the product wrapped, and
	// --history 10^14 gave 1024 bytes of stream history.
	scale64 := func(v int64) int64 {
		if n > 0 && v > math.MaxInt64/int64(n) {
			return math.MaxInt64 / int64(d.Timeline)
		}
		return v * int64(n) / int64(d.Timeline)
	}
	scale := func(v int) int { return max(1, int(min(scale64(int64(v)), math.MaxInt))) }
	return Limits{
		StreamBytes:    max(1024, scale64(d.StreamBytes)),
		StreamSegments: scale(d.StreamSegments),
		Deliveries:     scale(d.Deliveries),
		Timeline:       n,
		Requests:       scale(d.Requests),
	}
}
