package fault

import (
	"bytes"
	"math"
	"math/rand/v2"

	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// base is what every fault shares: its identity, its random stream and the
// trigger's state.
type base struct {
	// src is the fault's own random stream; draws go through package
	// draw, which gives Rand's values without the Rand.
	src *rand.PCG
	// from and until are the trigger's window, kept where the fields
	// asked on every write and read are (Trigger is large).
	from, until int64
	name, kind  string
	dir         link.Dir
	trig        Trigger
	env         Env

	fired   int   // firings so far (for Max)
	armed   int   // time firings waiting for the next byte
	next    int64 // next time firing
	hasNext bool
	seen    int64  // bytes seen
	recent  []byte // the last len(On) bytes seen, a ring from rpos
	rpos    int
	rlen    int
	gap     int64 // continuous mode: bytes to pass before the next hit
	gapSet  bool
	// isTimed and isPositional are timed() and positional(), worked out
	// once from the trigger (which never changes): Apply asks them for
	// every write, and scan for every byte.
	isTimed, isPositional bool
}

func (b *base) Name() string  { return b.name }
func (b *base) Kind() string  { return b.kind }
func (b *base) Dir() link.Dir { return b.dir }

func (b *base) start() {
	t := b.trig
	b.from, b.until = int64(t.From), int64(t.Until)
	b.isTimed = t.At != nil || t.Every > 0
	b.isPositional = t.AfterBytes != nil || len(t.On) > 0 || (t.Probability > 0 && !b.isTimed)
	switch {
	case t.At != nil:
		b.next, b.hasNext = int64(*t.At), true
	case t.Every > 0:
		b.next, b.hasNext = int64(t.Every), true
	}
}

// timed reports a time trigger.
func (b *base) timed() bool { return b.isTimed }

// positional reports a byte trigger: an offset, a match, or a bare
// probability per byte.
func (b *base) positional() bool { return b.isPositional }

// continuous reports a fault with no trigger condition.
func (b *base) continuous() bool { return !b.timed() && !b.positional() }

func (b *base) NextFire() (int64, bool) {
	if b.trig.Max > 0 && b.fired >= b.trig.Max {
		return 0, false
	}
	return b.next, b.hasNext
}

// tick advances the time trigger at now and reports whether this occasion
// fires.
func (b *base) tick(now int64) bool {
	if b.trig.Every > 0 {
		b.next = vtime.Add(now, b.trig.Every)
	} else {
		b.hasNext = false
	}
	return b.allow(now)
}

// inWindow reports whether now is inside the trigger's window [From,
// Until). Every mode honours it: a continuous fault too acts only inside.
func (b *base) inWindow(now int64) bool {
	return now >= b.from && (b.until <= 0 || now < b.until)
}

// capped reports that the fault has fired Max times.
func (b *base) capped() bool { return b.trig.Max > 0 && b.fired >= b.trig.Max }

// active reports whether a continuous fault may act at now: inside its
// window and under its maximum.
func (b *base) active(now int64) bool { return b.inWindow(now) && !b.capped() }

// allow checks the window, the maximum and the probability of one
// occasion, and counts a firing.
func (b *base) allow(now int64) bool {
	t := b.trig
	if !b.inWindow(now) || b.capped() {
		return false
	}
	if t.Probability > 0 && t.Probability < 1 && draw.Float64(b.src) >= t.Probability {
		return false
	}
	b.fired++
	return true
}

// scan is called for every byte that passes, in order; it reports whether
// the fault fires at this byte (an armed time firing, or a byte trigger).
func (b *base) scan(now int64, c byte) bool {
	off := b.seen
	b.seen++
	if len(b.trig.On) > 0 {
		b.recent = b.ringAdd(b.recent, c)
	}
	if b.armed > 0 {
		b.armed--
		return true
	}
	if !b.positional() {
		return false
	}
	t := b.trig
	if t.AfterBytes != nil && off != *t.AfterBytes {
		return false
	}
	if len(t.On) > 0 && (c != t.On[len(t.On)-1] || !b.matchOn()) {
		return false
	}
	return b.allow(now)
}

// quiet reports that scan cannot fire at any byte: no time firing is
// armed and the fault has no byte trigger. Scan would then only count
// the bytes (it keeps no ring: without a byte trigger there is no On).
func (b *base) quiet() bool { return b.armed == 0 && !b.isPositional }

// ringAdd puts c in the ring of the last len(On) bytes.
func (b *base) ringAdd(ring []byte, c byte) []byte {
	n := len(b.trig.On)
	if ring == nil {
		ring = make([]byte, n)
	}
	ring[b.rpos] = c
	b.rpos++
	if b.rpos == n {
		b.rpos = 0
	}
	b.rlen = min(b.rlen+1, n)
	return ring
}

// matchOn reports whether the last bytes seen are On. The ring's oldest
// byte is at rpos.
func (b *base) matchOn() bool {
	on := b.trig.On
	n := len(on)
	if b.rlen < n {
		return false
	}
	return bytes.Equal(b.recent[b.rpos:], on[:n-b.rpos]) && bytes.Equal(b.recent[:b.rpos], on[n-b.rpos:])
}

// idle reports that a fault on a trigger cannot fire on any byte of data
// at now, so that its Apply has nothing to do (once what a firing started
// is done): no time firing waits for a byte, and it fires only at times,
// or it has fired Max times, or its window is over or has not begun. A run with many faults
// fixed to one firing each in a window, as shrink makes, then pays for
// each only while its window is open. Before the window the bytes are
// still counted (after-bytes) and the last ones kept (on), as scan would.
func (b *base) idle(now int64, data []byte) bool {
	if b.armed > 0 {
		return false
	}
	if !b.positional() {
		// On a time trigger with no firing armed, no byte can fire it
		// (and nothing counts bytes); a continuous fault is never idle.
		return b.timed()
	}
	t := b.trig
	if b.capped() || (t.Until > 0 && now >= int64(t.Until)) {
		return true
	}
	if now >= int64(t.From) {
		return false
	}
	b.seen += int64(len(data))
	if n := len(t.On); n > 0 {
		for _, c := range data[max(0, len(data)-n):] {
			b.recent = b.ringAdd(b.recent, c)
		}
	}
	return true
}

// event is a fault event with the common fields filled in.
func (b *base) event(now int64) trace.Event {
	return trace.Event{T: now, Kind: trace.KindFault, Fault: b.kind, Name: b.name, Dir: b.dir.String()}
}

// emitBytes reports the bytes a firing touched, if any.
func (b *base) emitBytes(now int64, lost, changed []int64, added int, text string) {
	if len(lost) == 0 && len(changed) == 0 && added == 0 {
		return
	}
	ev := b.event(now)
	ev.Lost, ev.Changed, ev.Added, ev.Text = link.Spans(lost), link.Spans(changed), int64(added), text
	ev.N = int64(len(lost) + len(changed) + added)
	b.env.Emit(ev)
}

// armTick is the Fire of a byte fault: a time firing arms it for the next
// byte.
func (b *base) armTick(now int64) {
	if b.tick(now) {
		b.armed++
	}
}

// geom draws, for a per-byte probability p, how many bytes pass before the
// next one is hit: one draw per hit instead of one per byte (the gaps of a
// Bernoulli process are geometric).
func (b *base) geom(p float64) int64 {
	switch {
	case p <= 0:
		return math.MaxInt64
	case p >= 1:
		return 0
	}
	u := draw.Float64(b.src)
	g := math.Floor(math.Log1p(-u) / math.Log1p(-p))
	if g > math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	return int64(g)
}

// hit is the continuous mode of a per-byte fault: it reports whether the
// next byte is hit, keeping the gap to the next hit in b.gap. A hit counts
// as a firing; a fault that has fired Max times hits nothing.
func (b *base) hit(p float64) bool {
	if b.capped() {
		return false
	}
	if !b.gapSet {
		b.gap, b.gapSet = b.geom(p), true
	}
	if b.gap > 0 {
		b.gap--
		return false
	}
	b.gap = b.geom(p)
	b.fired++
	return true
}

// dropWhere takes out of c, in place, the bytes lose says are lost (asked
// once a byte, in order), and returns their writer offsets.
func dropWhere(c *link.Chunk, lose func(b byte) bool) (lost []int64) {
	src := c.Offsets()
	k := 0
	for i, b := range c.Data {
		if lose(b) {
			if k == i {
				c.Own() // the first byte lost: the rest moves down
			}
			lost = append(lost, src[i])
			continue
		}
		if k != i {
			c.Data[k], src[k] = b, src[i]
		}
		k++
	}
	c.Data, c.Src = c.Data[:k], c.Src[:k]
	return lost
}

// firstHit is where a continuous per-byte fault with probability p first
// hits c's n bytes: i == n when it is not active now or passes them all.
func (b *base) firstHit(now int64, p float64, c *link.Chunk) (i, n int) {
	n = len(c.Data)
	if !b.active(now) {
		return n, n
	}
	if b.gapSet && b.gap >= int64(n) {
		// No hit in this write, the usual case: skip's first branch,
		// without the call (active says it is not capped).
		b.gap -= int64(n)
		return n, n
	}
	return b.skip(p, n), n
}

// skip is how many of the next n bytes a continuous per-byte fault can pass
// without looking at them one by one.
func (b *base) skip(p float64, n int) int {
	if b.capped() {
		return n
	}
	if !b.gapSet {
		b.gap, b.gapSet = b.geom(p), true
	}
	if b.gap >= int64(n) {
		b.gap -= int64(n)
		return n
	}
	k := int(b.gap)
	b.gap = 0
	return k
}
