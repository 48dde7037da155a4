package scenarios

import (
	"context"
	"errors"
	"fmt"

	"github.com/qgasim/qgasim/internal/listing"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// Run is a scenario run to its end (or stopped) and judged.
type Run struct {
	Config  sim.Config
	Summary check.Summary
	Results []Result
	Virtual int64 // virtual time at the end, ns

	// Steps and Faults list the steps reached and the faults that fired as
	// the summary lists requests: all of them, or the first and last
	// RunOptions.List of a long run; StepsTotal and FaultsTotal count them.
	Steps       []StepRecord
	StepsTotal  int
	Faults      []FaultRecord
	FaultsTotal int

	// Stopped says why the run ended before its end: the interrupt, the
	// budget (errors.Is sim.ErrBudget) or the sink's error; nil when it ran
	// to its end. The report is then what was known when it stopped.
	Stopped error

	// Events is every event, with RunOptions.Keep only.
	Events []trace.Event

	// Wire judges a program of raw steps and no send (a session saved by
	// qgasim replay --save): the client sends nothing the summary could
	// judge, so its bytes are judged as serve judges a real client's
	// (check.Wire). Nil for any other program.
	Wire *check.WireSummary
}

// rawOnly reports a program that writes raw bytes and sends nothing.
func rawOnly(steps []sim.Step) bool {
	raw := false
	for _, st := range steps {
		if st.Send != nil {
			return false
		}
		raw = raw || st.Raw != nil
	}
	return raw
}

// StepRecord is a step the host program reached.
type StepRecord struct {
	No   int   // which, from 1, in the order reached
	T    int64 // virtual time
	Step int   // its index in the program, from 1
	Text string
	Note string
}

// FaultRecord is one firing of a fault.
type FaultRecord struct {
	No   int
	T    int64
	Name string
	Dir  string
	Text string
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

// ErrInterrupted is what Run.Stopped wraps when the context ended the run.
var ErrInterrupted = errors.New("interrupted")

// RunOptions say where a run's events go and what it keeps.
type RunOptions struct {
	// Sink receives every event as it happens (a trace writer). An error
	// from it stops the run: Run.Stopped and the returned error are it.
	Sink func(trace.Event) error
	// Keep keeps every event in Run.Events (tests, the TUI's replay): the
	// memory then grows with the run.
	Keep bool
	// List is how many steps, requests, faults and resync episodes the
	// run lists from its start and again from its end (0:
	// check.DefaultList); expectations' requests are always listed.
	List int
	// NoRecords lists no steps and no faults: Run.Steps, Run.Faults and
	// their totals stay empty and the World does not make the step events
	// (a sweep, which counts only what the oracle judged).
	NoRecords bool
	// Validated says that the configuration is one sim.Config.Validate
	// accepted (Build's), changed since only in its seed: the run does
	// not validate it again (sim.NewValidated). A sweep runs one at many
	// seeds.
	Validated bool
}

// Execute runs the World of cfg to the end, keeping every event in
// Run.Events, then judges it and checks the scenario's expectations. Its
// memory grows with the run: for a long run, or many runs (a sweep), use
// ExecuteContext without RunOptions.Keep, whose memory does not.
func Execute(sc *Scenario, cfg sim.Config) (*Run, error) {
	return ExecuteContext(context.Background(), sc, cfg, RunOptions{Keep: true})
}

// executeReads is the kinds of event ExecuteContext reads: those its
// oracle reads and those of its step and fault records.
var executeReads = append(append([]string(nil), check.Reads...), trace.KindStep, trace.KindNote, trace.KindFault)

// stopCheck is how many World steps run between two looks at the context.
const stopCheck = 256

// ExecuteContext runs the World of cfg while the oracle folds its events
// as they come and the sink streams them, so that nothing grows with the
// run unless o.Keep. When ctx ends, the run stops between two World steps
// (the trace's end events say "interrupted"); at a budget it stops with
// sim.ErrBudget. Either way the Run holds what was known, Run.Stopped says
// why, and the same error is returned with it. A configuration error
// returns no Run.
func ExecuteContext(ctx context.Context, sc *Scenario, cfg sim.Config, o RunOptions) (*Run, error) {
	var keep []int
	for _, re := range sc.Expect.Requests {
		keep = append(keep, re.Request)
	}
	list := o.List
	if list <= 0 {
		list = check.DefaultList
	}
	var episodes []int
	for _, re := range sc.Expect.Resyncs {
		episodes = append(episodes, re.Episode)
	}
	oracle := check.NewChecker(check.Options{List: list, Keep: keep, KeepEpisodes: episodes})
	var wire *check.Wire
	if rawOnly(cfg.Steps) {
		wire = check.NewWire(list)
	}
	steps, faults := listing.New[StepRecord](list), listing.New[FaultRecord](list)
	var lastStep *StepRecord
	run := &Run{Config: cfg}
	var sinkErr error
	cfg.NoKeep = !o.Keep
	outer := cfg.Sink
	if outer == nil && o.Sink == nil && wire == nil {
		// Only the oracle and the records below read the events (a
		// program of raw steps is judged from its wire too: all of them).
		cfg.SinkReads = executeReads
		if o.NoRecords {
			cfg.SinkReads = check.Reads
		}
	}
	sink := func(ev *trace.Event) {
		if outer != nil {
			outer(ev)
		}
		oracle.Observe(ev)
		if wire != nil {
			wire.Observe(ev)
		}
		switch kind := ev.Kind; {
		case o.NoRecords:
		case kind == trace.KindStep:
			lastStep = &StepRecord{No: steps.Len() + 1, T: ev.T, Step: ev.Step, Text: ev.Text}
			steps.Add(lastStep)
		case kind == trace.KindNote:
			if lastStep != nil && lastStep.Step == ev.Step {
				lastStep.Note = ev.Text
			}
		case kind == trace.KindFault:
			faults.Add(&FaultRecord{No: faults.Len() + 1, T: ev.T, Name: ev.Name, Dir: ev.Dir, Text: ev.Text})
		}
		if o.Sink != nil && sinkErr == nil {
			sinkErr = o.Sink(*ev)
		}
	}
	cfg.Sink = sink
	if outer == nil && o.Sink == nil && wire == nil && o.NoRecords {
		// Only the oracle reads the events (a sweep's run): straight to it.
		cfg.Sink = oracle.Observe
	}
	newWorld := sim.New
	if o.Validated {
		newWorld = sim.NewValidated
	}
	w, err := newWorld(cfg)
	if err != nil {
		return nil, err
	}
	for i := 1; ; i++ {
		if sinkErr != nil {
			run.Stopped = sinkErr
			w.StopWith("stopped: the event sink failed")
			break
		}
		if i%stopCheck == 0 && ctx.Err() != nil {
			run.Stopped = fmt.Errorf("%w at t=%s", ErrInterrupted, secs(w.Now()))
			w.StopWith("interrupted")
			break
		}
		if !w.Step() {
			run.Stopped = w.Err()
			break
		}
	}
	_, pending := w.ClientNextTimer()
	run.Summary = oracle.Summary(pending)
	if wire != nil {
		ws := wire.Summary()
		run.Wire = &ws
	}
	run.Results = Evaluate(sc.Expect, run.Summary)
	// The per-episode and per-request results come last: give each the
	// line of its entry.
	n, m := len(sc.Expect.Requests), len(sc.Expect.Resyncs)
	for i := 0; i < n; i++ {
		run.Results[len(run.Results)-n+i].Line, _ = sc.src.at("expect.requests[" + itoa(i) + "]")
	}
	for i := 0; i < m; i++ {
		run.Results[len(run.Results)-n-m+i].Line, _ = sc.src.at("expect.resyncs[" + itoa(i) + "]")
	}
	run.Virtual = w.Now()
	for _, it := range steps.Items() {
		run.Steps = append(run.Steps, *it.V)
	}
	for _, it := range faults.Items() {
		run.Faults = append(run.Faults, *it.V)
	}
	run.StepsTotal, run.FaultsTotal = steps.Len(), faults.Len()
	if o.Keep {
		run.Events = w.Trace()
	}
	return run, run.Stopped
}

func secs(t int64) string { return fmt.Sprintf("%.3fs", float64(t)/1e9) }
