package link

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// Offsets given as runs (SetRuns) read as the per-byte offsets they
// stand for: Off byte by byte, Offsets, spans, and what the pipeline
// hands on, for writes with bytes dropped and copies added at random.
func TestChunkRunsReadAsPerByte(t *testing.T) {
	r := rand.New(rand.NewPCG(seed, 21))
	d := newDirection(A2H, Params{}, rand.NewPCG(seed, 22), func(trace.Event) {})
	for round := 0; round < 500; round++ {
		base := int64(r.IntN(1000))
		n := 1 + r.IntN(60)
		// The per-byte reference, and the same as runs.
		var want []int64
		c := Chunk{Data: make([]byte, n), Base: base}
		runs := c.RunList()
		for i := 0; i < n; i++ {
			switch r.IntN(6) {
			case 0: // dropped
			case 1: // kept, then a copy added
				want = append(want, base+int64(i), -1)
				runs = AppendRun(runs, base+int64(i), 1)
				runs = AppendRun(runs, -1, 1)
			default:
				want = append(want, base+int64(i))
				runs = AppendRun(runs, base+int64(i), 1)
			}
		}
		if !c.Plain() {
			t.Fatalf("seed %d round %d: a fresh chunk is not plain", seed, round)
		}
		c.Data = make([]byte, len(want))
		c.SetRuns(runs)
		if c.Plain() && len(want) > 0 {
			t.Fatalf("seed %d round %d: a chunk with runs is plain", seed, round)
		}
		if got := Spans(want); !slices.Equal(runs, got) && len(got) > 0 {
			t.Fatalf("seed %d round %d: runs %v, Spans of the offsets %v", seed, round, runs, got)
		}
		for i, w := range want {
			if got := c.Off(i); got != w {
				t.Fatalf("seed %d round %d: Off(%d) = %d, want %d", seed, round, i, got, w)
			}
		}
		if got := c.spans(); !slices.Equal(got, Spans(want)) {
			t.Fatalf("seed %d round %d: spans %v, want %v", seed, round, got, Spans(want))
		}
		// Through the pipeline, as a stage would leave it.
		d.stages = []Stage{setRuns{want, runs}}
		p := d.pipeline(0, make([]byte, n), true)
		if !slices.Equal(p.src, Spans(want)) {
			t.Fatalf("seed %d round %d: pipeline runs %v, want %v", seed, round, p.src, Spans(want))
		}
		if got := c.Offsets(); !slices.Equal(got, want) && len(want) > 0 {
			t.Fatalf("seed %d round %d: Offsets %v, want %v", seed, round, got, want)
		}
		if c.Src == nil && len(want) > 0 || c.runs != nil {
			t.Fatalf("seed %d round %d: after Offsets: Src %v, runs %v", seed, round, c.Src, c.runs)
		}
	}
}

// setRuns is a stage that leaves a write's offsets as given runs.
type setRuns struct {
	offs []int64
	runs []trace.Span
}

func (s setRuns) Apply(_ int64, c *Chunk) {
	c.Data = make([]byte, len(s.offs))
	c.SetRuns(append(c.RunList(), s.runs...))
}
