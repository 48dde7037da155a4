package live

import (
	"math"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// clock maps wall time to virtual time: v = (wall - start) * speed. It reads
// only the time package, so inside a testing/synctest bubble it runs on the
// bubble's fake clock.
//
// The conversions saturate: at a great speed the product passes the last
// virtual time within seconds (at 1e9, after 9 s; at 1e308, at once),
// and at a tiny one a virtual nanosecond is centuries of wall time. A
// float64 past int64's range converts to math.MinInt64 on amd64, so the
// session's virtual time read 0.000 s after two seconds at speed 1e308,
// and a timer set for a tiny speed fired at once. Past the range, virtual
// time stays at its end (vtime.Never) and wall time at the farthest
// Duration.
type clock struct {
	start time.Time
	speed float64
}

// virtual is the virtual time (ns) of a wall instant.
func (c clock) virtual(t time.Time) int64 {
	d := t.Sub(c.start)
	if d <= 0 {
		return 0
	}
	if c.speed == 1 {
		return int64(d)
	}
	return saturate(float64(d) * c.speed)
}

// wall is the wall instant of a virtual time.
func (c clock) wall(v int64) time.Time {
	return c.start.Add(c.wallDur(v))
}

// wallDur is a virtual duration in wall time.
func (c clock) wallDur(v int64) time.Duration {
	if c.speed == 1 {
		return time.Duration(v)
	}
	return time.Duration(saturate(float64(v) / c.speed))
}

// saturate converts to int64, keeping what is past its range at its ends.
func saturate(f float64) int64 {
	switch {
	case f >= float64(vtime.Never): // 2^63, not representable: the first value past the range
		return vtime.Never
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}
