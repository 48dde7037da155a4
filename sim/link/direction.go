package link

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// seg is bytes in flight: byte i is ready at start + (i+1)*bt.
type seg struct {
	data  []byte
	src   []trace.Span // writer offsets of data, as runs
	start int64
	bt    int64
}

func (s *seg) readyAt(i int) int64 {
	if s.bt == 0 {
		return s.start // no baud rate: all bytes at once
	}
	return s.readyAtRate(i)
}

// ready is how many of the first max bytes are ready at now.
func (s *seg) ready(now int64, max int) int {
	if s.bt == 0 {
		if s.start > now || max <= 0 {
			return 0
		}
		return min(len(s.data), max)
	}
	k := 0
	for k < len(s.data) && k < max && s.readyAtRate(k) <= now {
		k++
	}
	return k
}

// readyAtRate is readyAt of a segment sent at a baud rate.
func (s *seg) readyAtRate(i int) int64 {
	if s.start < vtime.Never/2 && i < 1<<31 && s.bt < 1<<31 {
		return s.start + int64(i+1)*s.bt // cannot overflow: the common case
	}
	d, ok := vtime.Mul(int64(i+1), time.Duration(s.bt))
	if !ok {
		return vtime.Never
	}
	return vtime.Add(s.start, d)
}

// Direction is one direction of the link.
type Direction struct {
	dir  Dir
	p    Params
	src  *rand.PCG // the direction's random stream (jitter), drawn through package draw
	emit func(trace.Event)
	bt   int64 // ns per byte at the baud rate, 0 unlimited
	// readMax and readAll are what a read's limit becomes from ReadMax,
	// worked out once: a limit above readMax, or none, becomes readAll.
	readMax, readAll int
	stages           []Stage
	// limiters are the stages that shape reads, in pipeline order (found
	// once: a type assertion per stage per read was a visible cost).
	limiters []ReadLimiter
	runs     SpanArena // where the run lists of reads and writes come from
	chunk    Chunk     // the write going through the stages
	scratch  []trace.Span

	written int64 // bytes the writer wrote (its stream offset)
	read    int64 // bytes the reader read (its stream offset)

	held      piece // the writer's bytes not yet in the link (blocked)
	flight    []seg
	inFlight  int   // bytes in flight
	lastReady int64 // ready time of the last byte in flight
	// head is when the first segment in flight can be read (NextReady
	// without the stall), kept as the first segment changes (setHead):
	// the World and the agent ask it at every step.
	head  int64
	stall int64 // nothing is ready before this time
}

// piece is bytes with their writer offsets as runs, as the link keeps
// them after the fault stages.
type piece struct {
	data  []byte
	src   []trace.Span
	delay int64
}

func newDirection(d Dir, p Params, src *rand.PCG, emit func(trace.Event)) *Direction {
	x := &Direction{dir: d, p: p, src: src, emit: emit}
	if p.Baud > 0 {
		x.bt = 10 * 1_000_000_000 / int64(p.Baud)
	}
	x.readMax, x.readAll = math.MaxInt, 1<<30
	if p.ReadMax > 0 {
		x.readMax, x.readAll = p.ReadMax, p.ReadMax
	}
	return x
}

// Dir is the direction.
func (d *Direction) Dir() Dir { return d.dir }

// Params are the direction's parameters with defaults filled in.
func (d *Direction) Params() Params { return d.p }

// AddStage appends a fault stage to the pipeline.
func (d *Direction) AddStage(s Stage) {
	if p, ok := s.(Passive); !ok || !p.Passive() {
		d.stages = append(d.stages, s)
	}
	if rl, ok := s.(ReadLimiter); ok {
		d.limiters = append(d.limiters, rl)
	}
}

// Written is the writer's stream offset: the offset the next written byte gets.
func (d *Direction) Written() int64 { return d.written }

// ReadOffset is the reader's stream offset.
func (d *Direction) ReadOffset() int64 { return d.read }

// InFlight is the number of bytes in the link (not the held ones).
func (d *Direction) InFlight() int { return d.inFlight }

// Held is the number of bytes the writer could not put into the link yet.
func (d *Direction) Held() int { return len(d.held.data) }

// StallUntil is the end of the current stall (0 or past: none).
func (d *Direction) StallUntil() int64 { return d.stall }

// Stall stops delivery until t.
func (d *Direction) Stall(t int64) {
	if t > d.stall {
		d.stall = t
	}
}

// Pending returns the spans of writer offsets still in the link or held.
func (d *Direction) Pending() []trace.Span {
	var src []trace.Span
	for i := range d.flight {
		src = appendSpans(src, d.flight[i].src)
	}
	return appendSpans(src, d.held.src)
}

// FirstPending is the writer offset of the oldest byte still in the link
// or held (bytes a fault added, which have none, are passed over); false
// when there is none. The link keeps the writer's order, so no byte still
// to come has a smaller offset.
func (d *Direction) FirstPending() (int64, bool) {
	for i := range d.flight {
		if o, ok := firstSrc(d.flight[i].src); ok {
			return o, true
		}
	}
	return firstSrc(d.held.src)
}

// pipeline takes a writer's bytes through the fault stages. It returns
// the chunk that came out; the Link decides where it goes. With shared the
// link keeps data itself rather than a copy: the writer never changes it
// again, and neither does the link (stages copy before a change, Own).
func (d *Direction) pipeline(now int64, data []byte, shared bool) piece {
	n := len(data)
	// The chunk lives in the direction: passed to the stages through an
	// interface, a local would be a new object on every write.
	// Between writes it holds only its spare offsets array (Src nil, no
	// Delay): the fields a write has are set one by one.
	c := &d.chunk
	if shared {
		c.Data = data[:n:n]
	} else {
		c.Data = append([]byte(nil), data...)
	}
	c.Base, c.shared = d.written, shared
	d.written += int64(n)
	for _, s := range d.stages {
		if len(c.Data) == 0 && c.Delay == 0 {
			break
		}
		s.Apply(now, c)
	}
	p := piece{data: c.Data, delay: c.Delay}
	switch {
	case len(c.Data) == 0:
	case c.Src == nil && c.runs == nil:
		d.runs.fit()
		p.src = d.runs.carve(c.Base, int64(len(c.Data)))
	case c.Src == nil:
		// Runs a stage set: carved at their number.
		p.src = d.runs.Keep(append(d.runs.Room(len(c.runs)), c.runs...))
	default:
		// Runs built once in the direction's scratch list, then carved
		// at their number.
		runs := appendRuns(d.scratch[:0], c.Src)
		p.src = d.runs.Keep(append(d.runs.Room(len(runs)), runs...))
		if cap(runs) <= maxSpare {
			d.scratch = runs[:0]
		}
	}
	// The link keeps nothing through the chunk but an offsets array for
	// the next write: the runs above are a copy, and no stage holds Src.
	if c.Src != nil {
		if cap(c.Src) > cap(c.spare) && cap(c.Src) <= maxSpare {
			c.spare = c.Src[:0]
		}
		c.Src = nil
	}
	if c.runs != nil {
		if cap(c.runs) > cap(c.spareRuns) && cap(c.runs) <= maxSpare {
			c.spareRuns = c.runs[:0]
		}
		c.runs = nil
	}
	c.Data, c.Delay = nil, 0
	return p
}

// enqueue puts a chunk into the link, as far as the capacity allows.
func (d *Direction) enqueue(now int64, c piece) {
	if len(c.data) == 0 {
		return
	}
	if len(d.held.data) > 0 {
		d.hold(now, c, "behind held bytes")
		return
	}
	room := len(c.data)
	if d.p.Capacity > 0 {
		room = min(room, max(0, d.p.Capacity-d.inFlight))
	}
	if room == len(c.data) {
		d.toFlight(now, c.data[:room:room], c.src, c.delay)
		return
	}
	if room > 0 {
		d.toFlight(now, c.data[:room:room], cutSpans(nil, c.src, 0, int64(room)), c.delay)
	}
	rest := piece{data: c.data[room:], src: cutSpans(nil, c.src, int64(room), int64(len(c.data)))}
	if d.p.DropWhenFull {
		d.lose(now, rest.src, "buffer full")
		return
	}
	d.hold(now, rest, "buffer full")
}

func (d *Direction) hold(now int64, c piece, why string) {
	d.held.data = append(d.held.data, c.data...)
	d.held.src = appendSpans(d.held.src, c.src)
	// Off is the writer offset of the first held byte (trace-format.md):
	// held bytes are the tail of what came down the pipeline, in order.
	off, _ := firstSrc(c.src)
	d.emit(trace.Event{T: now, Kind: trace.KindHold, Dir: d.dir.String(), Off: off, N: int64(len(c.data)), Text: why})
}

func (d *Direction) toFlight(now int64, data []byte, src []trace.Span, delay int64) {
	start := vtime.Add(vtime.Add(now, d.p.Latency), time.Duration(delay))
	if d.p.Jitter > 0 {
		start = vtime.Add(start, time.Duration(draw.Int64N(d.src, int64(d.p.Jitter))))
	}
	if d.inFlight > 0 && d.lastReady > start {
		start = d.lastReady
	}
	// The link owns data and src from here: the pipeline made them fresh
	// and the callers pass slices capped at their length.
	if d.bt == 0 && len(d.flight) > 0 {
		// Merge with the segment before when it is ready at the same time,
		// so that one read can take both.
		last := &d.flight[len(d.flight)-1]
		if last.bt == 0 && last.start == start {
			last.data = append(last.data, data...)
			last.src = appendSpans(last.src, src)
			d.inFlight += len(data)
			return
		}
	}
	d.flight = append(d.flight, seg{data: data, src: src, start: start, bt: d.bt})
	d.inFlight += len(data)
	d.lastReady = d.flight[len(d.flight)-1].readyAt(len(data) - 1)
	if len(d.flight) == 1 {
		d.setHead()
	}
}

// popFlight removes the first segment. A few left move to the front
// rather than the array being sliced past: the next writes fill it again
// instead of a new array (a link is written and read all run long, and
// mostly holds one to a few segments).
func (d *Direction) popFlight() {
	n := len(d.flight) - 1
	if n <= 8 {
		copy(d.flight, d.flight[1:])
		d.flight[n] = seg{} // nothing in the array keeps its bytes
		d.flight = d.flight[:n]
		return
	}
	d.flight[0] = seg{}
	d.flight = d.flight[1:]
}

// pump moves held bytes into the link as the capacity allows.
func (d *Direction) pump(now int64) {
	if len(d.held.data) == 0 {
		return
	}
	c := d.held
	d.held = piece{}
	d.enqueueHeld(now, c)
}

func (d *Direction) enqueueHeld(now int64, c piece) {
	room := len(c.data)
	if d.p.Capacity > 0 {
		room = min(room, max(0, d.p.Capacity-d.inFlight))
	}
	if room > 0 {
		d.toFlight(now, append([]byte(nil), c.data[:room]...), cutSpans(nil, c.src, 0, int64(room)), 0)
	}
	if room < len(c.data) {
		d.held = piece{data: c.data[room:], src: cutSpans(nil, c.src, int64(room), int64(len(c.data)))}
	}
}

// NextReady is the time the first byte in flight can be read.
func (d *Direction) NextReady() (int64, bool) {
	if len(d.flight) == 0 {
		return 0, false
	}
	return max(d.head, d.stall), true
}

// setHead works out head after the first segment in flight changed (one
// came first, or a read or a drop took bytes of it).
func (d *Direction) setHead() {
	if len(d.flight) == 0 {
		return
	}
	s := &d.flight[0]
	t := s.readyAt(0)
	if s.bt > 0 && d.p.ReadTrigger > 1 {
		if len(s.data) >= d.p.ReadTrigger {
			t = s.readyAt(d.p.ReadTrigger - 1)
		} else {
			t = s.readyAt(len(s.data)-1) + 4*s.bt
		}
	}
	d.head = t
}

// Read takes the bytes ready at now, at most max (0: the direction's
// ReadMax), shaped by read-limiting stages. It returns the reader offset of
// the first byte.
func (d *Direction) Read(now int64, limit int) (off int64, data []byte, src []trace.Span) {
	return d.read1(now, limit, false)
}

// ReadPiece is one read() of a port: like Read, but it never returns more
// than what is left of the first piece in flight (a write, or writes that
// arrived together), as a virtio-serial port or a tty hands data over.
func (d *Direction) ReadPiece(now int64, limit int) (off int64, data []byte, src []trace.Span) {
	return d.read1(now, limit, true)
}

func (d *Direction) read1(now int64, limit int, onePiece bool) (off int64, data []byte, src []trace.Span) {
	off = d.read
	if now < d.stall {
		return off, nil, nil
	}
	if limit <= 0 || limit > d.readMax {
		limit = d.readAll
	}
	for _, rl := range d.limiters {
		limit = rl.ReadLimit(now, limit)
	}
	if len(d.flight) == 0 || limit <= 0 {
		return off, nil, nil
	}
	if s := &d.flight[0]; s.bt == 0 && (onePiece || limit <= len(s.data) || len(d.flight) == 1) {
		// No baud rate, and no more than the first segment is read: the
		// usual read, as the loop below makes it but without the loop.
		if s.start > now {
			return off, nil, nil
		}
		k := min(len(s.data), limit)
		data = s.data[:k:k]
		switch {
		case k == len(s.data):
			src = s.src[:len(s.src):len(s.src)]
			d.popFlight()
			d.setHead()
		case len(s.src) == 1:
			// The head of one run (a write's, the usual case): the
			// run's head is handed over, and the run goes on from k.
			r := &s.src[0]
			d.runs.fit()
			src = d.runs.carve(r.Off, int64(k))
			if r.Off >= 0 {
				r.Off += int64(k)
			}
			r.N -= int64(k)
			s.data = s.data[k:] // head stays: without a baud rate it is start
		default:
			src = d.runs.cut(s.src, 0, int64(k))
			s.data, s.src = s.data[k:], dropSpans(s.src, int64(k))
		}
		d.inFlight -= k
		d.read += int64(k)
		return off, data, src
	}
	for len(d.flight) > 0 && len(data) < limit {
		s := &d.flight[0]
		k := s.ready(now, limit-len(data))
		if k == 0 {
			break
		}
		whole := k == len(s.data)
		switch {
		case data == nil && whole:
			// A whole segment: hand over its slices, no copy.
			data, src = s.data[:k:k], s.src[:len(s.src):len(s.src)]
		case data == nil:
			// The head of a segment: its bytes are never written again
			// (the segment goes on from k), so they need no copy.
			data, src = s.data[:k:k], d.runs.cut(s.src, 0, int64(k))
		default:
			data = append(data, s.data[:k]...)
			src = cutSpans(src, s.src, 0, int64(k))
		}
		if whole {
			d.popFlight()
		} else {
			s.data, s.src = s.data[k:], dropSpans(s.src, int64(k))
			s.start += int64(k) * s.bt
		}
		if onePiece {
			break
		}
	}
	d.setHead()
	d.inFlight -= len(data)
	d.read += int64(len(data))
	return off, data, src
}

// lose reports bytes removed by the transport.
func (d *Direction) lose(now int64, src []trace.Span, why string) {
	if len(src) == 0 {
		return
	}
	d.emit(trace.Event{T: now, Kind: trace.KindDrop, Dir: d.dir.String(), Lost: src, N: spansLen(src), Text: why})
}

// dropFlight removes the bytes in flight, keeping the first keep of them
// (or, with keepTail, the last keep).
func (d *Direction) dropFlight(now int64, keep int, keepTail bool, why string) {
	if d.inFlight <= keep {
		return
	}
	var data []byte
	var src []trace.Span
	for i := range d.flight {
		data = append(data, d.flight[i].data...)
		src = appendSpans(src, d.flight[i].src)
	}
	first := d.flight[0]
	d.flight, d.inFlight = nil, 0
	var lost, ks []trace.Span
	var kd []byte
	n := int64(len(data))
	if keepTail {
		lost, kd, ks = cutSpans(nil, src, 0, n-int64(keep)), data[len(data)-keep:], cutSpans(nil, src, n-int64(keep), n)
	} else {
		lost, kd, ks = cutSpans(nil, src, int64(keep), n), data[:keep], cutSpans(nil, src, 0, int64(keep))
	}
	d.lose(now, lost, why)
	if keep > 0 {
		d.flight = []seg{{data: kd, src: ks, start: max(first.start, now-first.bt), bt: first.bt}}
		d.inFlight = keep
		d.lastReady = d.flight[0].readyAt(keep - 1)
		d.setHead()
	}
}

// trailingFrom counts the bytes at the end of the flight that the writer
// wrote at offset from or later (bytes a fault added count with them), or
// 0 when open is false: no connection is writing any more.
func (d *Direction) trailingFrom(from int64, open bool) int {
	if !open {
		return 0
	}
	n := 0
	for i := len(d.flight) - 1; i >= 0; i-- {
		src := d.flight[i].src
		for k := len(src) - 1; k >= 0; k-- {
			s := src[k]
			switch {
			case s.Off < 0 || s.Off >= from:
				n += int(s.N)
			case s.Off+s.N > from:
				// Offsets rise along a run: its last bytes are from on.
				return n + int(s.Off+s.N-from)
			default:
				return n
			}
		}
	}
	return n
}

// readyCount is the number of bytes in flight that are ready at now.
func (d *Direction) readyCount(now int64) int {
	n := 0
	for i := range d.flight {
		s := &d.flight[i]
		if s.bt == 0 {
			if s.start > now {
				return n
			}
			n += len(s.data)
			continue
		}
		for k := range s.data {
			if s.readyAt(k) > now {
				return n
			}
			n++
		}
	}
	return n
}

// dropReady removes the bytes already ready at now (arrived at the reader's
// side), keeping those still on the way.
func (d *Direction) dropReady(now int64, why string) {
	var lost []trace.Span
	for len(d.flight) > 0 {
		s := &d.flight[0]
		k := s.ready(now, len(s.data))
		if k == 0 {
			break
		}
		lost = cutSpans(lost, s.src, 0, int64(k))
		d.inFlight -= k
		if k == len(s.data) {
			d.popFlight()
		} else {
			s.data, s.src = s.data[k:], dropSpans(s.src, int64(k))
			s.start += int64(k) * s.bt
		}
	}
	d.setHead()
	d.lose(now, lost, why)
}

// dropHeld removes the writer's held bytes, keeping the first keep.
func (d *Direction) dropHeld(now int64, keep int, why string) int {
	if len(d.held.data) <= keep {
		return 0
	}
	total := int64(len(d.held.data))
	lost := cutSpans(nil, d.held.src, int64(keep), total)
	n := len(d.held.data) - keep
	d.lose(now, lost, why)
	d.held.data, d.held.src = d.held.data[:keep:keep], cutSpans(nil, d.held.src, 0, int64(keep))
	if keep == 0 {
		d.held = piece{}
	}
	return n
}
