package live

import (
	"math"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// At speeds whose products pass int64's range, virtual time stays at its
// end and wall time at the farthest Duration: never a wrap to a negative
// or zero time (speed 1e308 read 0.000 s of virtual time after 2 s).
func TestClockSaturates(t *testing.T) {
	start := time.Unix(1_000_000, 0)
	fast := clock{start: start, speed: 1e308}
	for _, d := range []time.Duration{time.Nanosecond, time.Second, time.Hour} {
		if v := fast.virtual(start.Add(d)); v != vtime.Never {
			t.Errorf("speed 1e308, %v of wall time: virtual %d, want the end of virtual time", d, v)
		}
	}
	if v := (clock{start: start, speed: 1e12}).virtual(start.Add(10 * time.Second)); v != vtime.Never {
		t.Errorf("speed 1e12 after 10 s: virtual %d, want the end of virtual time", v)
	}
	if v := (clock{start: start, speed: 1e6}).virtual(start.Add(time.Second)); v != 1e15 {
		t.Errorf("speed 1e6 after 1 s: virtual %d, want 1e15", v)
	}
	slow := clock{start: start, speed: 1e-300}
	if d := slow.wallDur(1); d != math.MaxInt64 {
		t.Errorf("speed 1e-300, 1 ns of virtual time: %v of wall time, want the farthest", d)
	}
	if w := slow.wall(1); !w.After(start.Add(100 * 365 * 24 * time.Hour)) {
		t.Errorf("speed 1e-300: the wall time of 1 ns is %v, want centuries after the start", w)
	}
	if v := slow.virtual(start.Add(time.Hour)); v != 0 {
		t.Errorf("speed 1e-300 after an hour: virtual %d, want 0", v)
	}
	half := clock{start: start, speed: 0.5}
	if v, w := half.virtual(start.Add(time.Second)), half.wallDur(int64(time.Second)); v != int64(time.Second/2) || w != 2*time.Second {
		t.Errorf("speed 0.5: 1 s of wall is %d ns virtual, 1 s virtual is %v wall", v, w)
	}
}
