package sim_test

import (
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
)

// judged runs cfg to its end and returns the World and the oracle's view.
func judged(t *testing.T, cfg sim.Config) (*sim.World, check.Summary) {
	t.Helper()
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("seed %d: %v", cfg.Seed, err)
	}
	w.Run()
	_, pending := w.ClientNextTimer()
	return w, check.Analyze(w.Trace(), pending)
}
