// Package libruns gives tests the runs on which a property of the whole
// library is checked: every scenario of the library (the files embedded in
// package scenarios), under every client strategy, at seeds 1 to n, each
// as the World's configuration that scenarios.Build makes of it. The tests
// that compare two ways of doing one thing (a streamed oracle and a kept
// one, a hand-written JSON encoder and encoding/json, forgetting and
// keeping) walk these same runs.
package libruns

import (
	"fmt"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
)

// Run is one library scenario under one strategy at one seed.
type Run struct {
	Scenario string // the scenario's name in the library
	Strategy string
	Seed     uint64
	Config   sim.Config // scenarios.Build's, with the strategy and the seed
}

// String names the run in a failure message.
func (r Run) String() string { return fmt.Sprintf("%s %s seed %d", r.Scenario, r.Strategy, r.Seed) }

// Each calls f with every run in turn: the scenarios in library order,
// then the strategies in client.Names order, then seeds 1 to seeds. A
// scenario that does not load or build fails t at once, as does an empty
// library. It returns the number of runs.
func Each(t testing.TB, seeds uint64, f func(Run)) int {
	t.Helper()
	lib := scenarios.Library()
	if len(lib) == 0 {
		t.Fatal("the library has no scenarios")
	}
	n := 0
	for _, e := range lib {
		_, data, ok := scenarios.LibraryFile(e.Name)
		if !ok {
			t.Fatalf("library scenario %s: cannot read %s", e.Name, e.File)
		}
		sc, err := scenarios.Parse(e.File, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, strategy := range client.Names() {
			sc.Client.Strategy = strategy
			for seed := uint64(1); seed <= seeds; seed++ {
				cfg, err := scenarios.Build(sc, &seed)
				if err != nil {
					t.Fatal(err)
				}
				f(Run{Scenario: e.Name, Strategy: strategy, Seed: seed, Config: cfg})
				n++
			}
		}
	}
	return n
}
