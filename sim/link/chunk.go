package link

import "github.com/qgasim/qgasim/sim/trace"

// Chunk is bytes on their way through one direction: one write as it
// leaves the writer, changed by the fault stages in turn.
type Chunk struct {
	// Data may be the writer's own array (a shared write): a stage
	// changes its bytes in place only after Own, and a stage that builds
	// a new Data needs none.
	Data []byte
	// Src is, for each byte of Data, its offset in the writer's stream, or
	// -1 for a byte a fault added. It is nil while no stage touched the
	// offsets: byte i then has offset Base+i (a write as it was written,
	// the common case, costs no per-byte bookkeeping), or the offsets are
	// runs a stage set (SetRuns). A stage that drops, adds or reports
	// bytes calls Offsets first, or, while the chunk is Plain, may give
	// the offsets as runs instead.
	Src  []int64
	Base int64
	// Delay is extra time before delivery that a fault added.
	Delay int64
	// shared: Data is still the writer's array, which the link keeps
	// without a copy and no one may change (a write handed over with
	// HostWriteShared or AgentWriteShared). A stage that changes bytes in
	// place calls Own first.
	shared bool
	// spare is an array for Src that no one holds: the direction keeps its
	// chunk's from write to write, so that the offsets are not a new
	// array each time a stage asks for them.
	spare []int64
	// runs, when not nil (and Src nil), are the offsets of Data as runs,
	// in Spans' form: a stage that dropped or added a few bytes of a
	// plain write said so without per-byte offsets. spareRuns is its
	// array kept between writes, as spare is Src's.
	runs, spareRuns []trace.Span
}

// maxSpare bounds the offsets array a direction keeps between writes.
const maxSpare = 4096

// Own makes Data the chunk's own, so that a stage may change its bytes in
// place: bytes the writer shared with the link are copied first. A stage
// that builds a new Data instead needs no Own.
func (c *Chunk) Own() []byte {
	if c.shared {
		c.Data = append([]byte(nil), c.Data...)
		c.shared = false
	}
	return c.Data
}

// Len is the number of bytes.
func (c *Chunk) Len() int { return len(c.Data) }

// Offsets makes the per-byte offsets (Src) explicit and returns them; a
// stage may then change Src and Data together.
func (c *Chunk) Offsets() []int64 {
	if c.Src == nil && len(c.Data) > 0 {
		if cap(c.spare) >= len(c.Data) {
			c.Src = c.spare[:len(c.Data)]
		} else {
			c.Src = make([]int64, len(c.Data))
		}
		if c.runs != nil {
			at := 0
			for _, r := range c.runs {
				for k := range r.N {
					c.Src[at] = r.Off
					if r.Off >= 0 {
						c.Src[at] += k
					}
					at++
				}
			}
		} else {
			for i := range c.Src {
				c.Src[i] = c.Base + int64(i)
			}
		}
	}
	c.runs = nil
	return c.Src
}

// Off is the writer offset of byte i.
func (c *Chunk) Off(i int) int64 {
	if c.Src != nil {
		return c.Src[i]
	}
	if c.runs != nil {
		return c.runOff(i)
	}
	return c.Base + int64(i)
}

// runOff is Off of byte i when the offsets are runs.
func (c *Chunk) runOff(i int) int64 {
	at := int64(i)
	for _, r := range c.runs {
		if at < r.N {
			if r.Off < 0 {
				return -1
			}
			return r.Off + at
		}
		at -= r.N
	}
	panic("link: Chunk.Off past the runs")
}

// Plain reports that byte i of Data still has offset Base+i: no stage
// gave the offsets per byte or as runs (or no byte is left). A stage may
// then give them as runs (SetRuns).
func (c *Chunk) Plain() bool { return c.Src == nil && c.runs == nil }

// RunList is an empty list to build runs in for SetRuns: the chunk's
// array kept from write to write, so that a stage that sets runs makes
// no new one.
func (c *Chunk) RunList() []trace.Span { return c.spareRuns[:0] }

// AppendRun appends the run {off, n} to runs, joining it to the last
// when they continue (Spans' form); an empty run is left out.
func AppendRun(runs []trace.Span, off, n int64) []trace.Span {
	return appendSpan(runs, trace.Span{Off: off, N: n})
}

// SetRuns gives the offsets of Data (as it is now) as runs, built with
// AppendRun from a Plain chunk's: a stage that dropped or added a few
// bytes says where without per-byte offsets. The runs must cover Data.
func (c *Chunk) SetRuns(runs []trace.Span) {
	c.Src, c.runs = nil, runs
}

// spans is the chunk's offsets as runs.
func (c *Chunk) spans() []trace.Span {
	if len(c.Data) == 0 {
		return nil
	}
	if c.Src == nil {
		if c.runs != nil {
			return append([]trace.Span(nil), c.runs...)
		}
		return []trace.Span{{Off: c.Base, N: int64(len(c.Data))}}
	}
	return Spans(c.Src)
}

// Spans compresses per-byte source offsets into runs; added bytes (-1)
// become runs with Off -1. The list is made at its size (nil for none).
func Spans(src []int64) []trace.Span {
	if len(src) == 0 {
		return nil
	}
	return appendRuns(make([]trace.Span, 0, runCount(src)), src)
}

// continues reports that offset s can join the run whose last byte has
// offset prev: both added, or both the writer's and consecutive.
func continues(prev, s int64) bool {
	// The writer's next byte first, by far the usual case (s > 0 then).
	return (prev >= 0 && s == prev+1) || (s == -1 && prev == -1)
}

// runCount is the number of runs Spans makes of src.
func runCount(src []int64) int {
	n := 0
	for i, s := range src {
		if i == 0 || !continues(src[i-1], s) {
			n++
		}
	}
	return n
}

// appendRuns appends the runs of src to dst (which starts a new list).
func appendRuns(dst []trace.Span, src []int64) []trace.Span {
	for i, s := range src {
		if i > 0 && continues(src[i-1], s) {
			dst[len(dst)-1].N++
			continue
		}
		dst = append(dst, trace.Span{Off: s, N: 1})
	}
	return dst
}

// Stage is a fault on one direction: it sees each write on its way and
// changes it (drops, changes, adds bytes, adds delay): in place after
// Chunk.Own, or with a new Data. A stage
// reports what it did itself, as a trace event.
type Stage interface {
	Apply(now int64, c *Chunk)
}

// Passive is a stage that can say its Apply would leave every write as
// it is and needs to see none (a fault that acts only at its times): the
// direction then never calls Apply. The answer must not change.
type Passive interface {
	Passive() bool
}

// ReadLimiter is a stage that also shapes reads: the reader of the
// direction asks it how many bytes (at most max) the next read returns.
type ReadLimiter interface {
	ReadLimit(now int64, max int) int
}
