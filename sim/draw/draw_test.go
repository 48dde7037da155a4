package draw

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Every draw gives what a Rand over the same PCG gives, and leaves the
// PCG where the Rand leaves it: bounds that are powers of two, small,
// odd, near 2^63 (where the rejection loop runs often) and the largest.
func TestDrawsAreRands(t *testing.T) {
	bounds := []uint64{1, 2, 3, 7, 8, 16, 17, 100, 1000, 1 << 20, 30_000_000, 1<<32 - 1, 1 << 32, 1<<32 + 1,
		1<<62 + 1, 1<<63 - 1, 1 << 63, 1<<63 + 1, 3 << 62, math.MaxUint64 - 1, math.MaxUint64}
	for seed := uint64(0); seed < 4; seed++ {
		mine, ref := rand.NewPCG(seed, 99), rand.NewPCG(seed, 99)
		r := rand.New(ref)
		for i := 0; i < 2000; i++ {
			n := bounds[i%len(bounds)]
			if got, want := Uint64N(mine, n), r.Uint64N(n); got != want {
				t.Fatalf("seed %d draw %d: Uint64N(%d) = %d, Rand gives %d", seed, i, n, got, want)
			}
			if n <= math.MaxInt64 {
				if got, want := Int64N(mine, int64(n)), r.Int64N(int64(n)); got != want {
					t.Fatalf("seed %d draw %d: Int64N(%d) = %d, Rand gives %d", seed, i, n, got, want)
				}
				if got, want := IntN(mine, int(n)), r.IntN(int(n)); got != want {
					t.Fatalf("seed %d draw %d: IntN(%d) = %d, Rand gives %d", seed, i, n, got, want)
				}
			}
			if got, want := Float64(mine), r.Float64(); got != want {
				t.Fatalf("seed %d draw %d: Float64 = %v, Rand gives %v", seed, i, got, want)
			}
		}
		if mine.Uint64() != ref.Uint64() {
			t.Fatalf("seed %d: the PCGs parted", seed)
		}
	}
}

// A bound <= 0 is a programming error, as for Rand.
func TestDrawPanicsOnEmptyBound(t *testing.T) {
	for _, f := range []func(){
		func() { IntN(rand.NewPCG(1, 2), 0) },
		func() { Int64N(rand.NewPCG(1, 2), -1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		}()
	}
}
