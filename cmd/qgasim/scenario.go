package main

import (
	"fmt"
	"io"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
)

// loadScenario reads, checks and builds a scenario file; on bad input it
// prints every problem to stderr and reports false.
func loadScenario(path string, seed *uint64, stderr io.Writer) (*scenarios.Scenario, sim.Config, bool) {
	sc, err := scenarios.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, sim.Config{}, false
	}
	cfg, err := scenarios.Build(sc, seed)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, sim.Config{}, false
	}
	return sc, cfg, true
}
