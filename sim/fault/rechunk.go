package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// rechunk makes the reader of its direction get bytes in reads of 1..max
// bytes, as from a real fd. With no trigger it is always on; each firing
// turns it on for `for` (0: for good).
type rechunk struct {
	*base
	max    int
	d      time.Duration
	on     bool
	until  int64
	always bool
}

var rechunkKind = &Kind{
	Name: "rechunk", Dir: link.H2A, Continuous: true, EventsPerFiring: 1,
	Doc: "the reader of its direction gets reads of 1..`max` bytes, as from a real fd; continuous, or on for `for` from each firing",
	Params: []Param{
		{Name: "max", Type: Integer, Unit: "bytes", Min: 1, Max: 1 << 20, Default: Int(8), Doc: "the largest read"},
		{Name: "for", Type: Duration, Default: Dur(0), Doc: "how long each firing keeps it on; 0: for good"},
	},
	build: func(b *base, v values) Fault {
		f := &rechunk{base: b, max: v.int("max"), d: v.dur("for")}
		f.always = f.continuous()
		return f
	},
}

func (f *rechunk) Fire(now int64) {
	if f.tick(now) {
		f.activate(now)
	}
}

func (f *rechunk) activate(now int64) {
	f.on = true
	f.until = 0
	if f.d > 0 {
		f.until = vtime.Add(now, f.d)
	}
	ev := f.event(now)
	ev.Until, ev.Text = f.until, "reads split into 1.."+itoa(f.max)+" bytes"
	f.env.Emit(ev)
}

// Passive: a rechunk that is always on, or on times, shapes reads only.
func (f *rechunk) Passive() bool { return !f.positional() }

func (f *rechunk) Apply(now int64, c *link.Chunk) {
	if f.always || f.idle(now, c.Data) {
		return
	}
	for _, b := range c.Data {
		if f.scan(now, b) {
			f.activate(now)
		}
	}
}

// ReadLimit is the size of the next read.
func (f *rechunk) ReadLimit(now int64, limit int) int {
	if f.always && !f.inWindow(now) {
		return limit
	}
	if !f.always {
		if !f.on || (f.until > 0 && now >= f.until) {
			f.on = false
			return limit
		}
	}
	return 1 + draw.IntN(f.src, min(f.max, limit))
}
