package fault

import "github.com/qgasim/qgasim/sim/link"

// duplicate sends bytes twice: with no trigger each byte with probability
// p is followed by a copy; each firing of a trigger repeats the n bytes
// from the byte it fired at (within the write) right after them.
type duplicate struct {
	*base
	p float64
	n int
}

var duplicateKind = &Kind{
	Name: "duplicate", Dir: link.H2A, Continuous: true,
	Doc: "a byte (continuous, probability `p`) or the `n` bytes from the trigger's byte are sent twice; the copies are added bytes",
	Params: []Param{
		{Name: "p", Type: Number, Max: 1, Default: Num(0.001), Doc: "with no trigger: the chance that each byte is sent twice"},
		{Name: "n", Type: Integer, Unit: "bytes", Min: 1, Max: 1 << 30, Default: Int(1), Doc: "bytes repeated at each firing, from the byte it fired at"},
	},
	build: func(b *base, v values) Fault { return &duplicate{base: b, p: v.num("p"), n: v.int("n")} },
}

func (f *duplicate) Fire(now int64) { f.armTick(now) }

func (f *duplicate) Apply(now int64, c *link.Chunk) {
	if f.continuous() {
		f.applyContinuous(now, c)
		return
	}
	if f.idle(now, c.Data) {
		return
	}
	var data []byte
	var src []int64
	added := 0
	for i := 0; i < len(c.Data); i++ {
		b := c.Data[i]
		n := 0
		if f.scan(now, b) {
			n = f.n
		}
		if n == 0 {
			if data != nil {
				data, src = append(data, b), append(src, c.Off(i))
			}
			continue
		}
		if data == nil {
			// Room for the write, this firing's copies and a few more:
			// one array each rather than growing byte by byte.
			room := len(c.Data) + min(n, len(c.Data)-i) + 8
			data = append(make([]byte, 0, room), c.Data[:i]...)
			src = append(make([]int64, 0, room), c.Offsets()[:i]...)
		}
		end := min(len(c.Data), i+n)
		data, src = append(data, c.Data[i:end]...), append(src, c.Offsets()[i:end]...)
		for j := i; j < end; j++ {
			data, src = append(data, c.Data[j]), append(src, -1)
		}
		added += end - i
		// The copied bytes pass the trigger too (their first copy).
		for j := i + 1; j < end; j++ {
			f.scan(now, c.Data[j])
		}
		i = end - 1
	}
	if data != nil {
		c.Data, c.Src = data, src
	}
	f.emitBytes(now, nil, nil, added, "duplicated")
}

// applyContinuous sends each byte twice with probability p, jumping from
// hit to hit: the bytes between go into the new write at once.
func (f *duplicate) applyContinuous(now int64, c *link.Chunk) {
	i, n := f.firstHit(now, f.p, c)
	if i == n {
		return
	}
	if c.Plain() {
		f.duplicatePlain(now, c, i, n)
		return
	}
	offs := c.Offsets()
	data, src := make([]byte, 0, n+9), make([]int64, 0, n+9)
	added, from := 0, 0 // bytes before from are in data
	for i < n {
		f.hit(f.p) // byte i, where skip stopped, is hit
		data, src = append(data, c.Data[from:i+1]...), append(src, offs[from:i+1]...)
		data, src = append(data, c.Data[i]), append(src, -1)
		added++
		i++
		from = i
		i += f.skip(f.p, n-i)
	}
	data, src = append(data, c.Data[from:]...), append(src, offs[from:]...)
	c.Data, c.Src = data, src
	f.emitBytes(now, nil, nil, added, "duplicated")
}

// duplicatePlain is applyContinuous of a write whose byte i has offset
// Base+i, its first hit at i: the new write's offsets are the writer's
// runs between the copies, given as such rather than per byte (the same
// hits, the same draws).
func (f *duplicate) duplicatePlain(now int64, c *link.Chunk, i, n int) {
	data, runs := make([]byte, 0, n+9), c.RunList()
	added, from := 0, 0 // bytes before from are in data
	for i < n {
		f.hit(f.p) // byte i, where skip stopped, is hit
		data = append(data, c.Data[from:i+1]...)
		data = append(data, c.Data[i])
		runs = link.AppendRun(runs, c.Base+int64(from), int64(i+1-from))
		runs = link.AppendRun(runs, -1, 1)
		added++
		i++
		from = i
		i += f.skip(f.p, n-i)
	}
	data = append(data, c.Data[from:]...)
	c.Data = data
	c.SetRuns(link.AppendRun(runs, c.Base+int64(from), int64(n-from)))
	f.emitBytes(now, nil, nil, added, "duplicated")
}
