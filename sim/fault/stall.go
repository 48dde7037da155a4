package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// stall delivers nothing on its direction for a duration (`for`) from each
// firing; the bytes wait and then arrive together.
type stall struct {
	*base
	d time.Duration
}

var stallKind = &Kind{
	Name: "stall", Dir: link.H2A, EventsPerFiring: 1,
	Doc: "nothing is delivered on its direction for `for` from each firing; the bytes wait and then arrive together",
	Params: []Param{
		{Name: "for", Type: Duration, Default: Dur(time.Second), Doc: "how long delivery stops at each firing"},
	},
	build: func(b *base, v values) Fault { return &stall{base: b, d: v.dur("for")} },
}

func (f *stall) Fire(now int64) {
	if f.tick(now) {
		f.act(now)
	}
}

func (f *stall) act(now int64) {
	until := vtime.Add(now, f.d)
	f.env.Stall(now, f.dir, until)
	ev := f.event(now)
	ev.Until, ev.Text = until, "delivery stalled for "+f.d.String()
	f.env.Emit(ev)
}

// Passive: a stall on times acts when it fires and watches no bytes.
func (f *stall) Passive() bool { return !f.positional() }

func (f *stall) Apply(now int64, c *link.Chunk) {
	if f.idle(now, c.Data) {
		return
	}
	for _, b := range c.Data {
		if f.scan(now, b) {
			f.act(now)
		}
	}
}
