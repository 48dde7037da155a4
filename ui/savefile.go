package ui

import (
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui/scenariofile"
)

// WriteFunc writes a scenario the UI made to a new file named after the
// scenario the run came from and a tag (FILE-TAG-N.yaml, the first N free),
// never over a file, and returns the path it wrote. The caller owns the
// naming and the safe writing (a temporary file renamed into place).
type WriteFunc func(sc *scenarios.Scenario, tag string) (string, error)

// changes are the settings of a run that differ from sc's.
func (r Recording) changes(sc *scenarios.Scenario) scenariofile.Changes {
	var ch scenariofile.Changes
	if r.Seed != sc.Seed {
		seed := r.Seed
		ch.Seed = &seed
	}
	if r.Strategy != sc.Client.Strategy {
		ch.Strategy = r.Strategy
	}
	return ch
}

// Scenario is the run as a scenario: sc with the recording's seed,
// strategy and faults by hand, its expectations as written.
func (r Recording) Scenario(sc *scenarios.Scenario) *scenarios.Scenario {
	return scenariofile.Apply(sc, r.changes(sc), r.Entries())
}

// SaveWith is the w key for a run of sc: the run saved as a scenario
// (scenariofile.Save: expectations made to hold for it) and written by
// write under the tag.
func SaveWith(sc *scenarios.Scenario, write WriteFunc, tag string) func(Recording) (Saved, error) {
	return func(rec Recording) (Saved, error) {
		saved, err := scenariofile.Save(sc, rec.changes(sc), rec.Entries())
		if err != nil {
			return Saved{}, err
		}
		path, err := write(saved.Scenario, tag)
		if err != nil {
			return Saved{}, err
		}
		return Saved{Path: path, Changed: saved.Changed}, nil
	}
}
