package fault

import "github.com/qgasim/qgasim/sim/link"

// drop removes bytes: with no trigger each byte with probability p; each
// firing of a trigger removes the next n bytes (from the byte it fired at).
type drop struct {
	*base
	p       float64
	n       int
	pending int // bytes still to drop from the last firing
}

func newDrop(b *base, p *params) (Fault, error) {
	f := &drop{base: b, p: p.float("p", 0.001, 0, 1), n: p.int("n", 1, 1, 1<<30)}
	return f, p.done("p", "n")
}

func (f *drop) Fire(now int64) { f.armTick(now) }

func (f *drop) Apply(now int64, c *link.Chunk) {
	if f.continuous() && f.pending == 0 {
		f.applyContinuous(now, c)
		return
	}
	var lost []int64
	k := 0
	for i, b := range c.Data {
		if f.scan(now, b) {
			f.pending += f.n
		}
		if f.pending > 0 {
			f.pending--
			lost = append(lost, c.Src[i])
			continue
		}
		c.Data[k], c.Src[k] = b, c.Src[i]
		k++
	}
	c.Data, c.Src = c.Data[:k], c.Src[:k]
	f.emitBytes(now, lost, nil, 0, "dropped")
}

// applyContinuous drops each byte with probability p, jumping from hit to
// hit.
func (f *drop) applyContinuous(now int64, c *link.Chunk) {
	n := len(c.Data)
	i := f.skip(f.p, n)
	if i == n {
		return
	}
	var lost []int64
	k := i
	for ; i < n; i++ {
		if f.hit(f.p) {
			lost = append(lost, c.Src[i])
			continue
		}
		c.Data[k], c.Src[k] = c.Data[i], c.Src[i]
		k++
	}
	c.Data, c.Src = c.Data[:k], c.Src[:k]
	f.emitBytes(now, lost, nil, 0, "dropped")
}
