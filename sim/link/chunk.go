package link

import "github.com/qgasim/qgasim/sim/trace"

// Chunk is bytes on their way through one direction: one write as it
// leaves the writer, changed by the fault stages in turn.
type Chunk struct {
	Data []byte
	// Src is, for each byte of Data, its offset in the writer's stream, or
	// -1 for a byte a fault added.
	Src []int64
	// Delay is extra time before delivery that a fault added.
	Delay int64
}

// Len is the number of bytes.
func (c *Chunk) Len() int { return len(c.Data) }

// Spans compresses per-byte source offsets into runs; added bytes (-1)
// become runs with Off -1.
func Spans(src []int64) []trace.Span {
	var out []trace.Span
	for _, s := range src {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if (s == -1 && last.Off == -1) || (s >= 0 && last.Off >= 0 && last.Off+last.N == s) {
				last.N++
				continue
			}
		}
		out = append(out, trace.Span{Off: s, N: 1})
	}
	return out
}

// Stage is a fault on one direction: it sees each write on its way and
// changes it in place (drops, changes, adds bytes, adds delay). A stage
// reports what it did itself, as a trace event.
type Stage interface {
	Apply(now int64, c *Chunk)
}

// ReadLimiter is a stage that also shapes reads: the reader of the
// direction asks it how many bytes (at most max) the next read returns.
type ReadLimiter interface {
	ReadLimit(now int64, max int) int
}
