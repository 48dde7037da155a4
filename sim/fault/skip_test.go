package fault

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim/link"
)

// perByte is what a continuous drop, corrupt or duplicate does to a chunk
// when each byte draws its own hit: the definition the faults' jumps from
// hit to hit must keep, byte for byte and draw for draw.
func perByte(f Fault, c *link.Chunk) {
	var data []byte
	var src []int64
	for i, b := range c.Data {
		switch f := f.(type) {
		case *drop:
			if !f.hit(f.p) {
				data, src = append(data, b), append(src, c.Off(i))
			}
		case *corrupt:
			if f.hit(f.p) {
				mask := f.mask
				for n := 0; f.mask == 0 && n < f.bits; {
					bit := byte(1) << rand.New(f.src).IntN(8) // the Rand over the same stream
					if mask&bit == 0 {
						mask |= bit
						n++
					}
				}
				b ^= mask
			}
			data, src = append(data, b), append(src, c.Off(i))
		case *duplicate:
			data, src = append(data, b), append(src, c.Off(i))
			if f.hit(f.p) {
				data, src = append(data, b), append(src, -1)
			}
		}
	}
	c.Data, c.Src = data, src
}

func TestContinuousFaultsJumpAsTheyWouldStep(t *testing.T) {
	r := rand.New(rand.NewPCG(testSeed, 7))
	for _, kind := range []string{"drop", "corrupt", "duplicate"} {
		for _, p := range []float64{0.01, 0.2, 0.7, 1} {
			spec := Spec{Kind: kind, Params: Params{"p": Num(p)}, Trigger: Trigger{Max: 40}}
			f, env := mk(t, spec)
			g, _ := mk(t, spec)
			off := int64(0)
			for w := 0; w < 60; w++ {
				n := r.IntN(50)
				in := make([]byte, n)
				for i := range in {
					in[i] = byte(r.IntN(256))
				}
				c := link.Chunk{Data: slices.Clone(in), Base: off}
				ref := link.Chunk{Data: slices.Clone(in), Base: off}
				off += int64(n)
				f.Apply(0, &c)
				perByte(g, &ref)
				got, want := fmt.Sprint(c.Data, offsets(&c)), fmt.Sprint(ref.Data, offsets(&ref))
				if got != want {
					t.Fatalf("seed %d %s p=%v write %d: %s, per byte %s", testSeed, kind, p, w, got, want)
				}
			}
			if f.(interface{ firedCount() int }).firedCount() != g.(interface{ firedCount() int }).firedCount() || len(env.events) == 0 && p >= 0.2 {
				t.Fatalf("seed %d %s p=%v: fired %d, per byte %d; %d events", testSeed, kind, p,
					f.(interface{ firedCount() int }).firedCount(), g.(interface{ firedCount() int }).firedCount(), len(env.events))
			}
		}
	}
}

// offsets is the chunk's per-byte writer offsets.
func offsets(c *link.Chunk) []int64 {
	out := make([]int64, c.Len())
	for i := range out {
		out[i] = c.Off(i)
	}
	return out
}

func (b *base) firedCount() int { return b.fired }
