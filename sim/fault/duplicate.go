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

func newDuplicate(b *base, p *params) (Fault, error) {
	f := &duplicate{base: b, p: p.float("p", 0.001, 0, 1), n: p.int("n", 1, 1, 1<<30)}
	return f, p.done("p", "n")
}

func (f *duplicate) Fire(now int64) { f.armTick(now) }

func (f *duplicate) Apply(now int64, c *link.Chunk) {
	cont := f.continuous()
	var data []byte
	var src []int64
	added := 0
	start := 0
	if cont {
		if start = f.skip(f.p, len(c.Data)); start == len(c.Data) {
			return
		}
	}
	for i := start; i < len(c.Data); i++ {
		b := c.Data[i]
		n := 0
		if cont {
			if f.hit(f.p) {
				n = 1
			}
		} else if f.scan(now, b) {
			n = f.n
		}
		if n == 0 {
			if data != nil {
				data, src = append(data, b), append(src, c.Src[i])
			}
			continue
		}
		if data == nil {
			data, src = append([]byte(nil), c.Data[:i]...), append([]int64(nil), c.Src[:i]...)
		}
		end := min(len(c.Data), i+n)
		data, src = append(data, c.Data[i:end]...), append(src, c.Src[i:end]...)
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
