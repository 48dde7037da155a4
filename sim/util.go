package sim

import (
	"strconv"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
)

func itoa(n int) string { return strconv.Itoa(n) }

func durationOf(ns int64) time.Duration { return time.Duration(ns) }

func isZeroTrigger(t fault.Trigger) bool {
	return t.At == nil && t.Every == 0 && t.AfterBytes == nil && len(t.On) == 0 && t.Probability == 0 && t.Max == 0 &&
		t.From == 0 && t.Until == 0
}
