package draw

import (
	"math/bits"
	"math/rand/v2"
)

// Uint64N is rand.New(p).Uint64N(n): a uniform value in [0, n), n > 0.
//
// The method is Lemire's: the high word of a 64-bit draw times n, with
// the draws whose low word falls below 2^64 mod n thrown away (they
// would make the low values likelier). A power of two needs no product:
// its low bits are uniform.
func Uint64N(p *rand.PCG, n uint64) uint64 {
	if n&(n-1) == 0 {
		return p.Uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(p.Uint64(), n)
	if lo < n {
		thresh := -n % n // 2^64 mod n
		for lo < thresh {
			hi, lo = bits.Mul64(p.Uint64(), n)
		}
	}
	return hi
}

// IntN is rand.New(p).IntN(n), n > 0.
func IntN(p *rand.PCG, n int) int {
	if n <= 0 {
		panic("draw: IntN of a bound <= 0")
	}
	return int(Uint64N(p, uint64(n)))
}

// Int64N is rand.New(p).Int64N(n), n > 0.
func Int64N(p *rand.PCG, n int64) int64 {
	if n <= 0 {
		panic("draw: Int64N of a bound <= 0")
	}
	return int64(Uint64N(p, uint64(n)))
}

// Float64 is rand.New(p).Float64(): a uniform value in [0, 1), the top
// 53 bits of one draw.
func Float64(p *rand.PCG) float64 {
	return float64(p.Uint64()<<11>>11) / (1 << 53)
}
