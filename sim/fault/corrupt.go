package fault

import "github.com/qgasim/qgasim/sim/link"

// corrupt flips bits: with no trigger each byte with probability p; each
// firing of a trigger changes the byte it fired at. bits is how many
// distinct bits of a byte flip.
type corrupt struct {
	*base
	p    float64
	bits int
}

func newCorrupt(b *base, p *params) (Fault, error) {
	f := &corrupt{base: b, p: p.float("p", 0.001, 0, 1), bits: p.int("bits", 1, 1, 8)}
	return f, p.done("p", "bits")
}

func (f *corrupt) Fire(now int64) { f.armTick(now) }

func (f *corrupt) Apply(now int64, c *link.Chunk) {
	cont := f.continuous()
	var changed []int64
	start := 0
	if cont {
		if start = f.skip(f.p, len(c.Data)); start == len(c.Data) {
			return
		}
	}
	for i := start; i < len(c.Data); i++ {
		b := c.Data[i]
		if cont {
			if !f.hit(f.p) {
				continue
			}
		} else if !f.scan(now, b) {
			continue
		}
		mask := byte(0)
		for n := 0; n < f.bits; {
			bit := byte(1) << f.rng.IntN(8)
			if mask&bit == 0 {
				mask |= bit
				n++
			}
		}
		c.Data[i] = b ^ mask
		changed = append(changed, c.Src[i])
	}
	f.emitBytes(now, nil, changed, 0, "bits flipped")
}
