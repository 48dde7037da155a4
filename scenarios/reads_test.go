package scenarios

import (
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
