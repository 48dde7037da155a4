package live

import "time"

// clock maps wall time to virtual time: v = (wall - start) * speed. It reads
// only the time package, so inside a testing/synctest bubble it runs on the
// bubble's fake clock.
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
	return int64(float64(d) * c.speed)
}

// wall is the wall instant of a virtual time.
func (c clock) wall(v int64) time.Time {
	if c.speed == 1 {
		return c.start.Add(time.Duration(v))
	}
	return c.start.Add(time.Duration(float64(v) / c.speed))
}

// wallDur is a virtual duration in wall time.
func (c clock) wallDur(v int64) time.Duration {
	if c.speed == 1 {
		return time.Duration(v)
	}
	return time.Duration(float64(v) / c.speed)
}
