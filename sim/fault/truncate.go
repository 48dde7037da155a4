package fault

import (
	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/link"
)

// truncate cuts one write: the write keeps `after` more bytes (after the
// byte a trigger fired at, or from its start for a time firing and the
// continuous mode) and the rest of that write is lost. after -1 picks a
// length at random. With no trigger each write is cut with probability p.
// A time firing while the writer has bytes held (a big reply the link could
// not take yet) cuts those instead: the agent's current write ends there.
type truncate struct {
	*base
	after int
	p     float64
}

var truncateKind = &Kind{
	Name: "truncate", Dir: link.A2H, Continuous: true,
	Doc: "cuts one write: it keeps `after` bytes (after the trigger's byte, or from the write's start) and the rest of " +
		"that write is lost; continuous: each write with probability `p`. A time firing while the writer has bytes " +
		"held (a big reply the link could not take) cuts those: the agent's current write ends there",
	Params: []Param{
		{Name: "after", Type: Integer, Unit: "bytes", Min: -1, Max: 1 << 30, Default: Int(-1), Doc: "bytes the cut write keeps; -1 picks a length at random"},
		{Name: "p", Type: Number, Max: 1, Default: Num(0.01), Doc: "with no trigger: the chance that each write is cut"},
	},
	build: func(b *base, v values) Fault { return &truncate{base: b, after: v.int("after"), p: v.num("p")} },
}

func (f *truncate) Fire(now int64) {
	if !f.tick(now) {
		return
	}
	if n := f.env.CutHeld(now, f.dir, 0); n > 0 {
		ev := f.event(now)
		ev.N, ev.Text = int64(n), "cut the write in progress (bytes held by the writer)"
		f.env.Emit(ev)
		return
	}
	f.armed++
}

func (f *truncate) keep(n int) int {
	if f.after >= 0 {
		return min(n, f.after)
	}
	return draw.IntN(f.src, n+1)
}

func (f *truncate) Apply(now int64, c *link.Chunk) {
	if f.idle(now, c.Data) {
		return
	}
	n := len(c.Data)
	cut := -1
	switch {
	case f.armed > 0:
		f.armed--
		cut = f.keep(n)
	case f.continuous():
		if f.active(now) && draw.Float64(f.src) < f.p {
			f.fired++
			cut = f.keep(n)
		}
	}
	scanned := 0
	for i := 0; i < n && (cut < 0 || i < cut); i++ {
		scanned++
		if f.scan(now, c.Data[i]) && cut < 0 {
			cut = i + 1 + f.keep(n-i-1)
		}
	}
	if cut < 0 || cut >= n {
		return
	}
	lost := append([]int64(nil), c.Offsets()[cut:]...)
	c.Data, c.Src = c.Data[:cut], c.Src[:cut]
	f.emitBytes(now, lost, nil, 0, "write truncated")
}
