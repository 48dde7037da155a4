package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
)

// strategy builds the host client of a test run.
func strategy(name string, opts client.Options) func(*rand.Rand) client.Client {
	return func(rng *rand.Rand) client.Client {
		c, err := client.New(name, opts, rng)
		if err != nil {
			panic(err)
		}
		return c
	}
}

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
