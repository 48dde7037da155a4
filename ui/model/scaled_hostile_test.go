package model

import (
	"math"
	"testing"
)

// More history asked never gives less: Scaled grows with n, and saturates
// instead of wrapping (--history 10^14 gave 1024 bytes of stream history).
func TestScaledNeverWraps(t *testing.T) {
	prev := Scaled(1)
	for _, n := range []int{4096, 1 << 20, 1 << 30, 1e14, 1 << 50, math.MaxInt} {
		l := Scaled(n)
		if l.StreamBytes < prev.StreamBytes || l.StreamSegments < prev.StreamSegments || l.Deliveries < prev.Deliveries ||
			l.Requests < prev.Requests || l.Timeline < prev.Timeline {
			t.Errorf("--history %d gives %+v, less than %+v", n, l, prev)
		}
		if l.StreamBytes <= 0 || l.StreamSegments <= 0 || l.Deliveries <= 0 || l.Requests <= 0 {
			t.Errorf("--history %d gives %+v", n, l)
		}
		prev = l
	}
	if Scaled(4096) != DefaultLimits {
		t.Errorf("Scaled(4096) = %+v, want the defaults", Scaled(4096))
	}
}
