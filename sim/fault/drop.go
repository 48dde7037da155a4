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

var dropKind = &Kind{
	Name: "drop", Dir: link.H2A, Continuous: true,
	Doc: "continuous: each byte lost with probability `p`; a firing loses the next `n` bytes from the byte it fired at",
	Params: []Param{
		{Name: "p", Type: Number, Max: 1, Default: Num(0.001), Doc: "with no trigger: the chance that each byte is lost"},
		{Name: "n", Type: Integer, Unit: "bytes", Min: 1, Max: 1 << 30, Default: Int(1), Doc: "bytes lost at each firing, from the byte it fired at"},
	},
	build: func(b *base, v values) Fault { return &drop{base: b, p: v.num("p"), n: v.int("n")} },
}

func (f *drop) Fire(now int64) { f.armTick(now) }

func (f *drop) Apply(now int64, c *link.Chunk) {
	if f.continuous() && f.pending == 0 {
		f.applyContinuous(now, c)
		return
	}
	if f.pending == 0 && f.idle(now, c.Data) {
		return
	}
	lost := dropWhere(c, func(b byte) bool {
		if f.scan(now, b) {
			f.pending += f.n
		}
		if f.pending > 0 {
			f.pending--
			return true
		}
		return false
	})
	f.emitBytes(now, lost, nil, 0, "dropped")
}

// applyContinuous drops each byte with probability p, jumping from hit to
// hit.
func (f *drop) applyContinuous(now int64, c *link.Chunk) {
	i, n := f.firstHit(now, f.p, c)
	if i == n {
		return
	}
	if c.Plain() {
		f.dropPlain(now, c, i, n)
		return
	}
	var lost []int64
	src := c.Offsets()
	data := c.Own() // byte i is lost: the rest moves down
	k := i
	for i < n {
		f.hit(f.p) // byte i, where skip stopped, is hit
		lost = append(lost, src[i])
		i++
		// The bytes up to the next hit move down at once.
		j := f.skip(f.p, n-i)
		copy(data[k:], data[i:i+j])
		copy(src[k:], src[i:i+j])
		k, i = k+j, i+j
	}
	c.Data, c.Src = data[:k], src[:k]
	f.emitBytes(now, lost, nil, 0, "dropped")
}

// dropPlain is applyContinuous of a write whose byte i has offset
// Base+i, its first hit at i: the bytes kept are runs between the hits,
// given as such rather than per byte (the same hits, the same draws).
func (f *drop) dropPlain(now int64, c *link.Chunk, i, n int) {
	var lost []int64
	data := c.Own() // byte i is lost: the rest moves down
	runs := link.AppendRun(c.RunList(), c.Base, int64(i))
	k := i
	for i < n {
		f.hit(f.p) // byte i, where skip stopped, is hit
		lost = append(lost, c.Base+int64(i))
		i++
		// The bytes up to the next hit move down at once.
		j := f.skip(f.p, n-i)
		copy(data[k:], data[i:i+j])
		runs = link.AppendRun(runs, c.Base+int64(i), int64(j))
		k, i = k+j, i+j
	}
	c.Data = data[:k]
	c.SetRuns(runs)
	f.emitBytes(now, lost, nil, 0, "dropped")
}
