package scenarios

import (
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// Run is a scenario run to its end and judged.
type Run struct {
	Config  sim.Config
	Events  []trace.Event
	Summary check.Summary
	Results []Result
	Virtual int64 // virtual time at the end, ns
}

// Pass reports whether every expectation held.
func (r *Run) Pass() bool {
	for _, res := range r.Results {
		if !res.Pass {
			return false
		}
	}
	return true
}

// Execute runs the World of cfg to the end, then lets the oracle judge the
// trace and checks the scenario's expectations.
func Execute(sc *Scenario, cfg sim.Config) (*Run, error) {
	w, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	w.Run()
	events := w.Trace()
	_, pending := w.ClientNextTimer()
	sum := check.Analyze(events, pending)
	res := Evaluate(sc.Expect, sum)
	// The per-episode and per-request results come last: give each the
	// line of its entry.
	n, m := len(sc.Expect.Requests), len(sc.Expect.Resyncs)
	for i := 0; i < n; i++ {
		res[len(res)-n+i].Line, _ = sc.src.at("expect.requests[" + itoa(i) + "]")
	}
	for i := 0; i < m; i++ {
		res[len(res)-n-m+i].Line, _ = sc.src.at("expect.resyncs[" + itoa(i) + "]")
	}
	return &Run{Config: cfg, Events: events, Summary: sum, Results: res, Virtual: w.Now()}, nil
}
