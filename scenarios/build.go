package scenarios

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
)

// Build turns a scenario into the World's configuration. seed, when not
// nil, replaces the file's seed (the command line's --seed). The fault
// table checks each fault's parameters; a problem is reported at the fault's
// line and column.
func Build(sc *Scenario, seed *uint64) (sim.Config, error) {
	cfg := sim.Config{
		Seed:      sc.Seed,
		Duration:  sc.Duration,
		Transport: sc.Transport,
		Agent: agent.Config{
			Version: sc.Agent.Version, Blocked: sc.Agent.Blocked, HostName: sc.Agent.HostName,
			OS: sc.Agent.OS, Files: sc.Agent.Files, Programs: sc.Agent.Programs,
			Filesystems: sc.Agent.Filesystems, Latency: sc.Agent.Latency, StartFrozen: sc.Agent.Frozen,
		},
		Link: link.Config{Transport: sc.Transport, H2A: dirParams(sc.Link.ToAgent), A2H: dirParams(sc.Link.ToHost)},
	}
	if seed != nil {
		cfg.Seed = *seed
	}
	strategy, opts := sc.Client.Strategy, sc.Client.Options
	if _, err := client.New(strategy, opts, rand.New(rand.NewPCG(0, 0))); err != nil {
		return sim.Config{}, Problems{{File: sc.File, Msg: err.Error()}}
	}
	cfg.NewClient = func(rng *rand.Rand) client.Client {
		c, _ := client.New(strategy, opts, rng)
		return c
	}
	var probs Problems
	for i, f := range sc.Faults {
		spec := faultSpec(f)
		one := sim.Config{NewClient: cfg.NewClient, Faults: []fault.Spec{spec}}
		if err := one.Validate(); err != nil {
			msg := strings.TrimPrefix(err.Error(), sim.ErrConfig.Error()+": ")
			msg = strings.TrimPrefix(msg, "fault 1: ")
			line, col := f.Line, f.Col
			// Point at the parameter itself when the message names one.
			if m := paramName.FindStringSubmatch(msg); m != nil {
				if p, ok := f.Params[m[1]]; ok {
					line, col = p.Line, p.Col
				}
			}
			probs = append(probs, Problem{File: sc.File, Line: line, Col: col,
				Msg: fmt.Sprintf("faults[%d]: %s", i, msg)})
			continue
		}
		cfg.Faults = append(cfg.Faults, spec)
	}
	for _, s := range sc.Steps {
		cfg.Steps = append(cfg.Steps, simStep(s))
	}
	if len(probs) > 0 {
		return sim.Config{}, probs
	}
	if err := cfg.Validate(); err != nil {
		if errors.Is(err, sim.ErrConfig) {
			return sim.Config{}, Problems{{File: sc.File, Msg: err.Error()}}
		}
		return sim.Config{}, err
	}
	return cfg, nil
}

func dirParams(d DirSpec) link.Params {
	return link.Params{Latency: d.Latency, Jitter: d.Jitter, Baud: d.Baud, ReadMax: d.ReadMax, Capacity: d.Capacity}
}

var paramName = regexp.MustCompile(`parameter "([^"]+)"`)

// directionNames maps the scenario's words to the link's.
var directionNames = map[string]string{"to-agent": "h2a", "to-host": "a2h"}

func faultSpec(f FaultSpec) fault.Spec {
	spec := fault.Spec{Name: f.Name, Kind: f.Kind, Dir: directionNames[f.Direction], Params: map[string]any{}}
	for k, p := range f.Params {
		if p.IsNumber {
			spec.Params[k] = p.Number
		} else {
			spec.Params[k] = p.Text
		}
	}
	t := f.Trigger
	if t.HasAt {
		at := t.At
		spec.Trigger.At = &at
	}
	spec.Trigger.Every = t.Every
	if t.AfterBytes > 0 || t.hasAfter {
		n := t.AfterBytes
		spec.Trigger.AfterBytes = &n
	}
	spec.Trigger.On = t.OnBytes
	spec.Trigger.Probability = t.Probability
	spec.Trigger.Max = t.MaxCount
	spec.Trigger.From, spec.Trigger.Until = t.From, t.Until
	return spec
}

func simStep(s StepSpec) sim.Step {
	st := sim.Step{Note: s.Note, Disconnect: s.Disconnect, Reconnect: s.Reconnect}
	switch {
	case s.Send != "":
		st.Send = &sim.Send{Execute: s.Send, Arguments: string(s.Arguments), Timeout: s.Timeout}
	case s.Raw != nil:
		st.Raw = &sim.Raw{Bytes: s.Raw}
	case s.Sleep > 0:
		st.Sleep = &sim.Sleep{D: s.Sleep}
	}
	return st
}
