package scenariotest

import (
	"fmt"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
)

// LibraryNames lists the library's scenarios by name, in library order.
func LibraryNames() []string {
	var names []string
	for _, e := range scenarios.Library() {
		names = append(names, e.Name)
	}
	return names
}

// Library parses a library scenario by name.
func Library(t testing.TB, name string) *scenarios.Scenario {
	t.Helper()
	e, data, ok := scenarios.LibraryFile(name)
	if !ok {
		t.Fatalf("no library scenario %q", name)
	}
	sc, err := scenarios.Parse(e.File, data)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Execute runs sc at its file's seed, keeping every event.
func Execute(t testing.TB, sc *scenarios.Scenario) *scenarios.Run {
	t.Helper()
	return execute(t, sc, nil)
}

// ExecuteAt runs sc at seed, keeping every event.
func ExecuteAt(t testing.TB, sc *scenarios.Scenario, seed uint64) *scenarios.Run {
	t.Helper()
	return execute(t, sc, &seed)
}

func execute(t testing.TB, sc *scenarios.Scenario, seed *uint64) *scenarios.Run {
	t.Helper()
	cfg, err := scenarios.Build(sc, seed)
	if err != nil {
		t.Fatal(err)
	}
	run, err := scenarios.Execute(sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// LibraryRun is one library scenario under one strategy at one seed.
type LibraryRun struct {
	Scenario string // the scenario's name in the library
	Strategy string
	Seed     uint64
	Config   sim.Config // scenarios.Build's, with the strategy and the seed
}

// String names the run in a failure message.
func (r LibraryRun) String() string {
	return fmt.Sprintf("%s %s seed %d", r.Scenario, r.Strategy, r.Seed)
}

// EachLibraryRun calls f with every run in turn: the scenarios in library
// order, then the strategies in client.Names order, then seeds 1 to
// seeds. The tests that compare two ways of doing one thing (a streamed
// oracle and a kept one, a hand-written JSON encoder and encoding/json,
// forgetting and keeping) walk these runs. An empty library fails t. It
// returns the number of runs.
func EachLibraryRun(t testing.TB, seeds uint64, f func(LibraryRun)) int {
	t.Helper()
	names := LibraryNames()
	if len(names) == 0 {
		t.Fatal("the library has no scenarios")
	}
	n := 0
	for _, name := range names {
		sc := Library(t, name)
		for _, strategy := range client.Names() {
			sc.Client.Strategy = strategy
			for seed := uint64(1); seed <= seeds; seed++ {
				cfg, err := scenarios.Build(sc, &seed)
				if err != nil {
					t.Fatal(err)
				}
				f(LibraryRun{Scenario: name, Strategy: strategy, Seed: seed, Config: cfg})
				n++
			}
		}
	}
	return n
}

// EachLibraryStrategy calls f with every library scenario under every
// strategy in turn, at the file's own seed, with the file's custom
// clients cleared so that the strategy is the only client: the walk of
// the tests that follow a model of the run (the UI's) beside the World.
// The configuration is the file's, not checked by scenarios.Build.
func EachLibraryStrategy(t testing.TB, f func(LibraryRun)) {
	t.Helper()
	for _, name := range LibraryNames() {
		sc := Library(t, name)
		for _, strategy := range client.Names() {
			cfg := sc.Config
			cfg.Client.Strategy, cfg.Client.Custom = strategy, nil
			f(LibraryRun{Scenario: name, Strategy: strategy, Seed: cfg.Seed, Config: cfg})
		}
	}
}
