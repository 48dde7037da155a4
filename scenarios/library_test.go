package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim"
)

// Every scenario of the library loads, builds and meets its own
// expectations; each states its expected outcome, a failing strategy too.
func TestLibrary(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) < 30 {
		t.Fatalf("the library has %d scenarios, want at least 30 (%v)", len(files), err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(f, ".yaml"), func(t *testing.T) {
			t.Parallel()
			sc, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(sc.Description) == "" {
				t.Errorf("%s has no description: a library scenario must teach", f)
			}
			if sc.Expect.isEmpty() {
				t.Errorf("%s expects nothing: state the expected outcome", f)
			}
			run := execute(t, sc)
			cfg := run.Config
			for _, r := range run.Results {
				if !r.Pass {
					t.Errorf("seed %d: %s: %s", cfg.Seed, r.What, r.Why)
				}
			}
			// Every byte either side wrote is delivered, named lost or still
			// in flight: nothing a client stopped reading goes unaccounted.
			if err := sim.CheckAccounting(run.Events); err != nil {
				t.Errorf("seed %d: %v", cfg.Seed, err)
			}
		})
	}
}
