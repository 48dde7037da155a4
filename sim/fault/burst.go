package fault

import "github.com/qgasim/qgasim/sim/link"

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

func newBurst(b *base, p *params) (Fault, error) {
	f := &burst{base: b,
		p:    p.float("p", 0.0005, 0, 1),
		r:    p.float("r", 0.1, 0, 1),
		bad:  p.float("bad", 1, 0, 1),
		good: p.float("good", 0, 0, 1),
	}
	f.running = f.continuous()
	return f, p.done("p", "r", "bad", "good")
}

func (f *burst) Fire(now int64) { f.armTick(now) }

func (f *burst) Apply(now int64, c *link.Chunk) {
	cont := f.continuous()
	var lost []int64
	k := 0
	for i, b := range c.Data {
		if f.scan(now, b) {
			f.inBad, f.running = true, true
		}
		loss := false
		if f.running {
			if f.inBad {
				loss = f.bad >= 1 || f.rng.Float64() < f.bad
				if f.rng.Float64() < f.r {
					f.inBad = false
					f.running = cont
				}
			} else {
				loss = f.good > 0 && f.rng.Float64() < f.good
				if f.rng.Float64() < f.p {
					f.inBad = true
				}
			}
		}
		if loss {
			lost = append(lost, c.Src[i])
			continue
		}
		c.Data[k], c.Src[k] = b, c.Src[i]
		k++
	}
	c.Data, c.Src = c.Data[:k], c.Src[:k]
	f.emitBytes(now, lost, nil, 0, "burst loss")
}
