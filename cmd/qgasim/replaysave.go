package main

import (
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/live"
)

// reproScenario is a recorded session as a scenario: the scenario it ran
// on (its agent, link, transport and seed; base may be nil), a client that
// does nothing by itself, the recorded host's connects, writes and closes
// as raw steps at their times, and the fault firings as faults that fire
// once each.
func reproScenario(base *scenarios.Scenario, cfg sim.Config, name, desc string, rec *live.Recording, faults []fault.Spec) *scenarios.Scenario {
	sc := &scenarios.Scenario{Config: cfg}
	if base != nil {
		sc.Config = base.Config
		sc.Seed = cfg.Seed
	}
	if sc.Transport == "" {
		sc.Transport = scenarios.DefaultTransport
	}
	sc.Comment = "Written by qgasim replay --save: the recorded host's bytes at their times and\nthe faults as they fired. 'qgasim run' replays the session in virtual time."
	sc.Name, sc.Description = name, desc
	sc.Client = client.Spec{Strategy: "none"}
	sc.Faults = faults
	sc.Duration = time.Duration(rec.End).Round(time.Second) + 2*time.Second
	sc.Steps = reproSteps(rec)
	return sc
}

// reproSteps are the host's actions as steps. The World opens the channel
// at time zero; a client that connected later is a disconnect at zero and a
// reconnect at its time. Closes the transport or a fault made are not
// steps: the replay makes them again.
func reproSteps(rec *live.Recording) []sim.Step {
	var steps []sim.Step
	var now int64
	step := func(t int64, s sim.Step) {
		if t > now {
			steps = append(steps, sim.Step{Sleep: &sim.Sleep{D: time.Duration(t - now)}})
			now = t
		}
		steps = append(steps, s)
	}
	open, first := true, true
	for _, a := range rec.Host {
		switch a.Kind {
		case "connect":
			if first && a.T == 0 {
				first = false
				continue
			}
			if first {
				step(0, sim.Step{Disconnect: true, Note: "the recorded client connected later"})
			}
			first = false
			step(a.T, sim.Step{Reconnect: true})
			open = true
		case "write":
			if open {
				step(a.T, sim.Step{Raw: &sim.Raw{Bytes: a.Bytes}})
			}
		case "close":
			if a.ByHost && open {
				step(a.T, sim.Step{Disconnect: true})
			}
			open = false
		}
	}
	if len(steps) == 0 {
		steps = append(steps, sim.Step{Note: "the recording has no host actions"})
	}
	return steps
}
