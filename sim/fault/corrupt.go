package fault

import (
	"github.com/qgasim/qgasim/sim/draw"
	"github.com/qgasim/qgasim/sim/link"
)

// corrupt flips bits: with no trigger each byte with probability p; each
// firing of a trigger changes the byte it fired at. bits is how many
// distinct bits of a byte flip, drawn at random; mask, when not 0, names
// them instead, so that the change does not depend on the seed (a shrunk
// scenario replays a corruption exactly).
type corrupt struct {
	*base
	p    float64
	bits int
	mask byte
}

var corruptKind = &Kind{
	Name: "corrupt", Dir: link.H2A, Continuous: true,
	Doc: "flips `bits` distinct bits of a byte (or the bits of `mask`): continuous with probability `p` per byte, or the byte a trigger fired at",
	Params: []Param{
		{Name: "p", Type: Number, Max: 1, Default: Num(0.001), Doc: "with no trigger: the chance that each byte is changed"},
		{Name: "bits", Type: Integer, Unit: "bits", Min: 1, Max: 8, Default: Int(1), Doc: "how many distinct bits of the byte flip, chosen at random"},
		{Name: "mask", Type: Integer, Min: 0, Max: 255, Default: Int(0), Doc: "the bits to flip, as a byte (0x41 = 65 flips bits 0 and 6); 0: `bits` bits at random"},
	},
	build: func(b *base, v values) Fault {
		return &corrupt{base: b, p: v.num("p"), bits: v.int("bits"), mask: byte(v.int("mask"))}
	},
}

func (f *corrupt) Fire(now int64) { f.armTick(now) }

func (f *corrupt) Apply(now int64, c *link.Chunk) {
	cont := f.continuous()
	if !cont && f.idle(now, c.Data) {
		return
	}
	var changed []int64
	if cont {
		// From hit to hit: skip passes the bytes between at once.
		i, n := f.firstHit(now, f.p, c)
		if i == n {
			return
		}
		for ; i < len(c.Data); i += f.skip(f.p, len(c.Data)-i) {
			f.hit(f.p) // byte i, where skip stopped, is hit
			changed = f.flip(c, i, changed)
			i++
		}
	} else {
		for i, b := range c.Data {
			if f.scan(now, b) {
				changed = f.flip(c, i, changed)
			}
		}
	}
	f.emitBytes(now, nil, changed, 0, "bits flipped")
}

// flip changes byte i of the chunk and appends its offset to changed.
func (f *corrupt) flip(c *link.Chunk, i int, changed []int64) []int64 {
	mask := f.mask
	for n := 0; f.mask == 0 && n < f.bits; {
		bit := byte(1) << draw.IntN(f.src, 8)
		if mask&bit == 0 {
			mask |= bit
			n++
		}
	}
	c.Own()[i] ^= mask
	return append(changed, c.Off(i))
}
