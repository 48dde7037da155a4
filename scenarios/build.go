package scenarios

import (
	"errors"
	"strings"

	"github.com/qgasim/qgasim/sim"
)

// Build returns the World's configuration of a scenario: its Config, with
// seed, when not nil, in place of the file's (the command line's --seed).
// It checks what depends on settings a command line may change: the event
// budget (CheckBudget). To change another setting, change the scenario
// first (sc.Client.Strategy = "libvirt"; sc.MaxEvents = n).
func Build(sc *Scenario, seed *uint64) (sim.Config, error) {
	cfg := sc.Config
	if seed != nil {
		cfg.Seed = *seed
	}
	if probs := CheckBudget(sc); len(probs) > 0 {
		return sim.Config{}, probs
	}
	if err := cfg.Validate(); err != nil {
		if errors.Is(err, sim.ErrConfig) {
			msg := strings.TrimPrefix(err.Error(), sim.ErrConfig.Error()+": ")
			return sim.Config{}, Problems{{File: sc.File, Msg: msg}}
		}
		return sim.Config{}, err
	}
	return cfg, nil
}
