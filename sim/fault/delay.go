package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// delay adds a spike of d to one write (and so to everything behind it:
// the line does not reorder). With no trigger each write is delayed with
// probability p; a time firing delays the next write.
type delay struct {
	*base
	d time.Duration
	p float64
}

func newDelay(b *base, p *params) (Fault, error) {
	f := &delay{base: b, d: p.duration("d", 100*time.Millisecond), p: p.float("p", 0.01, 0, 1)}
	return f, p.done("d", "p")
}

func (f *delay) Fire(now int64) { f.armTick(now) }

func (f *delay) Apply(now int64, c *link.Chunk) {
	hit := false
	if f.armed > 0 {
		f.armed--
		hit = true
	}
	for _, b := range c.Data {
		if f.scan(now, b) {
			hit = true
		}
	}
	if !hit && f.continuous() && f.rng.Float64() < f.p {
		hit = true
	}
	if !hit {
		return
	}
	c.Delay += int64(f.d)
	ev := f.event(now)
	ev.N, ev.Until, ev.Text = int64(len(c.Data)), now+int64(f.d), "write delayed by "+f.d.String()
	if len(c.Src) > 0 {
		ev.Off = c.Src[0]
	}
	f.env.Emit(ev)
}
