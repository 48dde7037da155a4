// Package scenariofile saves a run of the UI as a scenario: the `w` key.
//
// The contract. Save takes the scenario the run started from, as loaded,
// and returns a new one: the run's seed and client strategy (s may have
// switched it), the faults injected by hand added after the existing ones
// as faults that fire once at their virtual time (so the existing faults
// keep their places, and so their names and random streams), each with a
// note that says which key made it and when, and a head comment that says
// the file was saved by the UI. It then runs the new scenario: an
// expectation that no longer holds (after s, or because of a fault added
// by hand) is replaced by what the run shows, or left out when there is
// nothing to put in its place, and Saved.Changed lists each such change
// for the UI to say (and the head comment keeps it). The caller writes
// Saved.Scenario with scenarios.Write, to a new file: nothing the user
// owns is overwritten. Apply is the first half alone, expectations kept as
// written: the run as a scenario, for the shrink key to start from.
package scenariofile
