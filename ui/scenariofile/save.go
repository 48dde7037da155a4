package scenariofile

import (
	"fmt"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/fault"
)

// Entry is one fault injected by hand: what, and when it fires (once).
type Entry struct {
	At   time.Duration
	Spec fault.Spec
	Note string // which key made it and when, e.g. "by hand: key f at 2.000s"
}

// Changes are the run's settings that differ from the scenario's.
type Changes struct {
	Seed     *uint64 // the run's seed; nil: the scenario's
	Strategy string  // the client strategy the run ended with; "": the scenario's
}

// Saved is the scenario to write, and the expectations saving changed.
type Saved struct {
	Scenario *scenarios.Scenario
	// Changed says, one line each, which expectations did not hold for
	// the saved scenario and what they became.
	Changed []string
}

// Apply returns sc with the run's changes and the faults injected by hand
// added after its own, its expectations as they were: the run as the UI
// shows it, as a scenario (the shrink key starts from it). sc is not
// changed.
func Apply(sc *scenarios.Scenario, ch Changes, entries []Entry) *scenarios.Scenario {
	out := *sc
	if ch.Seed != nil {
		out.Seed = *ch.Seed
	}
	if ch.Strategy != "" {
		if out.NotesFor == "" && ch.Strategy != sc.Client.Strategy {
			// The notes were written for the scenario's own strategy.
			out.NotesFor = sc.Client.Strategy
		}
		out.Client.Strategy, out.Client.Custom = ch.Strategy, nil
	}
	out.Faults = append([]fault.Spec(nil), sc.Faults...)
	for _, e := range entries {
		spec := e.Spec
		spec.Name = "" // kind#n, after the file's own faults
		at := e.At
		spec.Trigger = fault.Trigger{At: &at, Max: 1}
		spec.Note = e.Note
		out.Faults = append(out.Faults, spec)
	}
	return &out
}

// Save returns sc with the run's changes and the faults injected by hand
// (Apply), and with expectations that hold when it runs. sc is not changed.
func Save(sc *scenarios.Scenario, ch Changes, entries []Entry) (Saved, error) {
	out := *Apply(sc, ch, entries)
	cfg, err := scenarios.Build(&out, nil)
	if err != nil {
		return Saved{}, fmt.Errorf("the saved scenario does not build: %w", err)
	}
	run, err := scenarios.Execute(&out, cfg)
	if err != nil {
		return Saved{}, fmt.Errorf("the saved scenario does not run: %w", err)
	}
	var changed []string
	out.Expect, changed = out.Expect.Hold(run.Summary)
	head := fmt.Sprintf("saved by qgasim tui from %s: %d fault(s) injected by hand, at the end of faults", sc.Name, len(entries))
	if ch.Strategy != "" && ch.Strategy != sc.Client.Strategy {
		head += fmt.Sprintf("; client strategy %s (was %s)", ch.Strategy, sc.Client.Strategy)
	}
	if len(changed) > 0 {
		head += "\nexpectations that did not hold for this run, changed to what it shows:"
		for _, c := range changed {
			head += "\n  " + c
		}
	}
	if sc.Comment != "" {
		head += "\n\n" + sc.Comment
	}
	out.Comment = head
	return Saved{Scenario: &out, Changed: changed}, nil
}
