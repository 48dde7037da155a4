package fault

import (
	"errors"
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// errNeedsTrigger is returned for a fault kind that has no continuous mode.
var errNeedsTrigger = errors.New("needs a trigger (at, every, after_bytes, on or probability)")

func needTrigger(b *base) error {
	if b.continuous() {
		return errors.New(b.kind + ": " + errNeedsTrigger.Error())
	}
	return nil
}

// stall delivers nothing on its direction for a duration (`for`) from each
// firing; the bytes wait and then arrive together.
type stall struct {
	*base
	d time.Duration
}

func newStall(b *base, p *params) (Fault, error) {
	f := &stall{base: b, d: p.duration("for", time.Second)}
	if err := p.done("for"); err != nil {
		return nil, err
	}
	return f, needTrigger(b)
}

func (f *stall) Fire(now int64) {
	if f.tick(now) {
		f.act(now)
	}
}

func (f *stall) act(now int64) {
	until := now + int64(f.d)
	f.env.Stall(now, f.dir, until)
	ev := f.event(now)
	ev.Until, ev.Text = until, "delivery stalled for "+f.d.String()
	f.env.Emit(ev)
}

func (f *stall) Apply(now int64, c *link.Chunk) {
	for _, b := range c.Data {
		if f.scan(now, b) {
			f.act(now)
		}
	}
}
