package vtime

import (
	"math"
	"time"
)

// Never is the largest virtual time: a moment no run reaches.
const Never int64 = math.MaxInt64

// Add is t+d, or Never when the sum does not fit. A negative d is taken as
// is (t-|d|), saturating at math.MinInt64.
func Add(t int64, d time.Duration) int64 {
	s, ok := Sum(time.Duration(t), d)
	if ok {
		return int64(s)
	}
	if d > 0 {
		return Never
	}
	return math.MinInt64
}

// Sum is a+b and whether it fits in a time.Duration.
func Sum(a, b time.Duration) (time.Duration, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// Mul is n*d and whether it fits (n >= 0, d >= 0).
func Mul(n int64, d time.Duration) (time.Duration, bool) {
	if n == 0 || d == 0 {
		return 0, true
	}
	if n < 0 || d < 0 || n > math.MaxInt64/int64(d) {
		return 0, false
	}
	return time.Duration(n) * d, true
}
