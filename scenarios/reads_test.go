package scenarios

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// check.Reads names every kind of event the oracle looks at: judged from
// only those, each library scenario's trace gives the same summary as
// judged whole. A run without a sink builds no other kinds of event
// (sim.Config.SinkReads), so a kind missing from the list would change
// what a sweep counts.
func TestOracleReadsOnlyTheKindsItNames(t *testing.T) {
	for _, e := range Library() {
		sc, err := Parse(e.File, mustLibraryFile(t, e.Name))
		if err != nil {
			t.Fatal(err)
		}
		for seed := uint64(1); seed <= 2; seed++ {
			cfg, err := Build(sc, &seed)
			if err != nil {
				t.Fatal(err)
			}
			run, err := Execute(sc, cfg)
			if run == nil {
				t.Fatalf("%s: %v", e.Name, err)
			}
			var some []trace.Event
			for _, ev := range run.Events {
				if slices.Contains(check.Reads, ev.Kind) {
					some = append(some, ev)
				}
			}
			if len(some) == len(run.Events) {
				t.Fatalf("%s seed %d: every event is of a kind the oracle reads: nothing is tested", e.Name, seed)
			}
			whole, part := check.Analyze(run.Events, true), check.Analyze(some, true)
			if !reflect.DeepEqual(whole, part) {
				t.Errorf("%s seed %d: judged from the kinds in check.Reads:\n%+v\nwhole:\n%+v", e.Name, seed, part, whole)
			}
		}
	}
}

// A run that lists no steps and faults (RunOptions.NoRecords: a sweep's)
// is judged as one that lists them, and lists none.
func TestNoRecordsJudgesTheSame(t *testing.T) {
	for _, e := range Library() {
		sc, err := Parse(e.File, mustLibraryFile(t, e.Name))
		if err != nil {
			t.Fatal(err)
		}
		for seed := uint64(1); seed <= 2; seed++ {
			cfg, err := Build(sc, &seed)
			if err != nil {
				t.Fatal(err)
			}
			full, errFull := ExecuteContext(context.Background(), sc, cfg, RunOptions{})
			lean, errLean := ExecuteContext(context.Background(), sc, cfg, RunOptions{NoRecords: true})
			if full == nil || lean == nil {
				t.Fatalf("%s: %v / %v", e.Name, errFull, errLean)
			}
			if full.StepsTotal == 0 {
				t.Fatalf("%s seed %d: no steps listed without NoRecords", e.Name, seed)
			}
			if len(lean.Steps) != 0 || len(lean.Faults) != 0 || lean.StepsTotal != 0 || lean.FaultsTotal != 0 {
				t.Errorf("%s seed %d: NoRecords listed %d steps and %d faults", e.Name, seed, lean.StepsTotal, lean.FaultsTotal)
			}
			if !reflect.DeepEqual(full.Summary, lean.Summary) || !reflect.DeepEqual(full.Results, lean.Results) ||
				!reflect.DeepEqual(full.Wire, lean.Wire) || full.Virtual != lean.Virtual || full.Pass() != lean.Pass() || fmt.Sprint(errFull) != fmt.Sprint(errLean) {
				t.Errorf("%s seed %d: judged differently with NoRecords:\n%+v\n%+v", e.Name, seed, lean.Summary, full.Summary)
			}
		}
	}
}
