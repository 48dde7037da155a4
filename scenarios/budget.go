package scenarios

import (
	"fmt"
	"math"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
)

// CheckBudget is the static half of the event budget: it refuses a fault
// whose time trigger alone would make the run reach its event budget
// (sc.MaxEvents, or sim.DefaultMaxEvents): every tick of a time trigger is
// a scheduled action, and each firing costs its kind's events. A trigger
// on bytes cannot be counted before the run; the World stops a run that
// reaches the budget.
func CheckBudget(sc *Scenario) Problems {
	budget := sc.MaxEvents
	if budget <= 0 {
		budget = sim.DefaultMaxEvents
	}
	var probs Problems
	total := 0.0
	for i, f := range sc.Faults {
		ticks := triggerTicks(f.Trigger, sc.Duration)
		per := 1
		if k, ok := fault.Lookup(f.Kind); ok && k.EventsPerFiring > 1 {
			per = k.EventsPerFiring
		}
		cost := ticks * float64(per)
		total += cost
		if cost <= float64(budget) {
			continue
		}
		what := fmt.Sprintf("faults[%d]", i)
		field := what + ".trigger.every"
		if f.Trigger.Every == 0 {
			field = what + ".trigger.at"
		}
		line, col := sc.src.at(field)
		name := f.Kind
		if f.Name != "" {
			name += " " + f.Name
		}
		probs = append(probs, Problem{File: sc.File, Line: line, Col: col, Msg: fmt.Sprintf(
			"%s (%s): its trigger every %s over the run's %s fires about %s times, about %s events, more than the event budget of %s; "+
				"give it max-count or a longer every, or raise max-events",
			what, name, fmtDuration(f.Trigger.Every), fmtDuration(sc.Duration), thousands(ticks), thousands(cost), thousands(float64(budget)))})
	}
	if len(probs) == 0 && total > float64(budget) {
		line, col := sc.src.at("faults")
		probs = append(probs, Problem{File: sc.File, Line: line, Col: col, Msg: fmt.Sprintf(
			"faults: their time triggers together make about %s events, more than the event budget of %s; raise max-events or fire less often",
			thousands(total), thousands(float64(budget)))})
	}
	return probs
}

// triggerTicks is how many times the World runs a time trigger before the
// run's end: at its first moment, then every interval, until the end or
// until it has fired max-count times (when every tick in the window fires).
func triggerTicks(t fault.Trigger, runFor time.Duration) float64 {
	start := t.Every
	if t.At != nil {
		start = *t.At
	}
	switch {
	case t.At == nil && t.Every <= 0:
		return 0 // a byte trigger, or none
	case start > runFor:
		return 0
	case t.Every <= 0:
		return 1
	}
	ticks := float64((runFor-start)/t.Every) + 1
	if t.Max > 0 && (t.Probability == 0 || t.Probability == 1) {
		before := 0.0 // ticks before the window opens fire nothing
		if t.From > start {
			before = math.Ceil(float64(t.From-start) / float64(t.Every))
		}
		ticks = math.Min(ticks, before+float64(t.Max))
	}
	return ticks
}

// thousands writes a count with separators: 1,000,000,000.
func thousands(x float64) string {
	if x >= 1e18 {
		return fmt.Sprintf("%.3g", x)
	}
	s := fmt.Sprintf("%.0f", x)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
