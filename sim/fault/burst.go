package fault

import (
	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/link"
)

// burst is Gilbert-Elliott loss with netem's parameters (loss gemodel p r
// 1-h 1-k), per byte: p is the chance to go from the good state to the bad
// one, r to come back; in the bad state a byte is lost with probability
// bad (netem's 1-h), in the good state with probability good (1-k). With
// no trigger the chain runs all the time; each firing of a trigger puts it
// in the bad state, and it runs until it is good again.
type burst struct {
	*base
	p, r, bad, good float64
	inBad           bool
	running         bool
}

var burstKind = &Kind{
	Name: "burst", Dir: link.H2A, Continuous: true,
	Doc: "Gilbert-Elliott loss per byte with netem's `loss gemodel p r 1-h 1-k`: `p` good→bad, `r` bad→good, " +
		"`bad` = 1-h loss in the bad state, `good` = 1-k loss in the good state; continuous, or each firing " +
		"starts a burst that lasts until the chain is good again",
	Params: []Param{
		{Name: "p", Type: Number, Max: 1, Default: Num(0.0005), Doc: "the chance, per byte, to go from the good state to the bad one"},
		{Name: "r", Type: Number, Max: 1, Default: Num(0.1), Doc: "the chance, per byte, to come back to the good state"},
		{Name: "bad", Type: Number, Max: 1, Default: Num(1), Doc: "the chance that a byte is lost in the bad state (netem's 1-h)"},
		{Name: "good", Type: Number, Max: 1, Default: Num(0), Doc: "the chance that a byte is lost in the good state (netem's 1-k)"},
	},
	build: func(b *base, v values) Fault {
		f := &burst{base: b, p: v.num("p"), r: v.num("r"), bad: v.num("bad"), good: v.num("good")}
		f.running = f.continuous()
		return f
	},
}

func (f *burst) Fire(now int64) { f.armTick(now) }

func (f *burst) Apply(now int64, c *link.Chunk) {
	cont := f.continuous()
	if cont && !f.inWindow(now) || !f.running && f.idle(now, c.Data) {
		return
	}
	lost := dropWhere(c, func(b byte) bool {
		if f.scan(now, b) {
			f.inBad, f.running = true, true
		}
		loss := false
		if f.running {
			if f.inBad {
				loss = f.bad >= 1 || draw.Float64(f.src) < f.bad
				if draw.Float64(f.src) < f.r {
					f.inBad = false
					f.running = cont
				}
			} else {
				loss = f.good > 0 && draw.Float64(f.src) < f.good
				if draw.Float64(f.src) < f.p && !f.capped() {
					f.inBad = true
					if cont {
						f.fired++ // a continuous burst counts its bursts
					}
				}
			}
		}
		return loss
	})
	f.emitBytes(now, lost, nil, 0, "burst loss")
}
