package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// delay adds a spike of d to one write (and so to everything behind it:
// the line does not reorder). With no trigger each write is delayed with
// probability p; a time firing delays the next write.
type delay struct {
	*base
	d time.Duration
	p float64
}

var delayKind = &Kind{
	Name: "delay", Dir: link.H2A, Continuous: true,
	Doc: "a delay spike: one write (and, since the line does not reorder, all behind it) arrives `d` later; " +
		"continuous: each write with probability `p`; a time firing delays the next write",
	Params: []Param{
		{Name: "d", Type: Duration, Default: Dur(100 * time.Millisecond), Doc: "the extra delay of a write"},
		{Name: "p", Type: Number, Max: 1, Default: Num(0.01), Doc: "with no trigger: the chance that each write is delayed"},
	},
	build: func(b *base, v values) Fault { return &delay{base: b, d: v.dur("d"), p: v.num("p")} },
}

func (f *delay) Fire(now int64) { f.armTick(now) }

func (f *delay) Apply(now int64, c *link.Chunk) {
	if f.idle(now, c.Data) {
		return
	}
	hit := false
	if f.armed > 0 {
		f.armed--
		hit = true
	}
	if f.quiet() {
		// A continuous delay between firings: no byte can fire it, so
		// only count them, as scan would, instead of byte by byte.
		f.seen += int64(len(c.Data))
	} else {
		for _, b := range c.Data {
			if f.scan(now, b) {
				hit = true
			}
		}
	}
	if !hit && f.continuous() && f.active(now) && draw.Float64(f.src) < f.p {
		f.fired++
		hit = true
	}
	if !hit {
		return
	}
	c.Delay += int64(f.d)
	ev := f.event(now)
	ev.N, ev.Until, ev.Text = int64(len(c.Data)), vtime.Add(now, f.d), "write delayed by "+f.d.String()
	if len(c.Data) > 0 {
		ev.Off = c.Off(0)
	}
	f.env.Emit(ev)
}
