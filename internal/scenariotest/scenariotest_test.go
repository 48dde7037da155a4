package scenariotest

import (
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/client"
)

// EachLibraryRun visits every scenario, strategy and seed once, with the strategy
// and the seed in the configuration.
func TestEachLibraryRunVisitsEveryRun(t *testing.T) {
	seen := map[string]bool{}
	n := EachLibraryRun(t, 2, func(r LibraryRun) {
		if r.Config.Client.Strategy != r.Strategy || r.Config.Seed != r.Seed {
			t.Fatalf("%s: config has strategy %q seed %d", r, r.Config.Client.Strategy, r.Config.Seed)
		}
		key := r.String()
		if seen[key] {
			t.Fatalf("%s visited twice", r)
		}
		seen[key] = true
	})
	want := len(scenarios.Library()) * len(client.Names()) * 2
	if n != want || len(seen) != want {
		t.Fatalf("%d runs (%d distinct), want %d", n, len(seen), want)
	}
}
