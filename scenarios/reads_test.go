package scenarios

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// check.Reads names every kind of event the oracle looks at: judged from
// only those, each library scenario's trace gives the same summary as
// judged whole. A run without a sink builds no other kinds of event
// (sim.Config.SinkReads), so a kind missing from the list would change
// what a sweep counts.
func TestOracleReadsOnlyTheKindsItNames(t *testing.T) {
	eachLibrarySeed(t, 2, func(name string, seed uint64, sc *Scenario, cfg sim.Config) {
		run, err := Execute(sc, cfg)
		if run == nil {
			t.Fatalf("%s: %v", name, err)
		}
		var some []trace.Event
		for _, ev := range run.Events {
			if slices.Contains(check.Reads, ev.Kind) {
				some = append(some, ev)
			}
		}
		if len(some) == len(run.Events) {
			t.Fatalf("%s seed %d: every event is of a kind the oracle reads: nothing is tested", name, seed)
		}
		whole, part := check.Analyze(run.Events, true), check.Analyze(some, true)
		if !reflect.DeepEqual(whole, part) {
			t.Errorf("%s seed %d: judged from the kinds in check.Reads:\n%+v\nwhole:\n%+v", name, seed, part, whole)
		}
	})
}

// A run that lists no steps and faults (RunOptions.NoRecords: a sweep's)
// is judged as one that lists them, and lists none.
func TestNoRecordsJudgesTheSame(t *testing.T) {
	eachLibrarySeed(t, 2, func(name string, seed uint64, sc *Scenario, cfg sim.Config) {
		full, errFull := ExecuteContext(context.Background(), sc, cfg, RunOptions{})
		// A sweep's run: no records, and Build's configuration not
		// validated again.
		lean, errLean := ExecuteContext(context.Background(), sc, cfg, RunOptions{NoRecords: true, Validated: true})
		if full == nil || lean == nil {
			t.Fatalf("%s: %v / %v", name, errFull, errLean)
		}
		if full.StepsTotal == 0 {
			t.Fatalf("%s seed %d: no steps listed without NoRecords", name, seed)
		}
		if len(lean.Steps) != 0 || len(lean.Faults) != 0 || lean.StepsTotal != 0 || lean.FaultsTotal != 0 {
			t.Errorf("%s seed %d: NoRecords listed %d steps and %d faults", name, seed, lean.StepsTotal, lean.FaultsTotal)
		}
		if !reflect.DeepEqual(full.Summary, lean.Summary) || !reflect.DeepEqual(full.Results, lean.Results) ||
			!reflect.DeepEqual(full.Wire, lean.Wire) || full.Virtual != lean.Virtual || full.Pass() != lean.Pass() || fmt.Sprint(errFull) != fmt.Sprint(errLean) {
			t.Errorf("%s seed %d: judged differently with NoRecords:\n%+v\n%+v", name, seed, lean.Summary, full.Summary)
		}
	})
}

// eachLibrarySeed builds every library scenario at seeds 1..seeds and
// hands each to f. (internal/scenariotest has the same walk for other
// packages; these tests are inside package scenarios, which it imports.)
func eachLibrarySeed(t *testing.T, seeds uint64, f func(name string, seed uint64, sc *Scenario, cfg sim.Config)) {
	t.Helper()
	for _, e := range Library() {
		sc, err := Parse(e.File, mustLibraryFile(t, e.Name))
		if err != nil {
			t.Fatal(err)
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			cfg, err := Build(sc, &seed)
			if err != nil {
				t.Fatal(err)
			}
			f(e.Name, seed, sc, cfg)
		}
	}
}
