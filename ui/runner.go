package ui

import (
	"fmt"

	"go.uber.org/zap"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

// Injection is a fault injected by hand: where in the run (Pos, the number
// of trace events before it) and when (T, virtual ns), and what.
type Injection struct {
	Pos  int64
	T    int64
	Key  string // the key that made it, for the log and the timeline
	Spec fault.Spec
}

// Runner owns the World of the UI and the view model folded from its
// events. Positions are counts of trace events: the World is deterministic,
// so re-running it from its configuration and replaying the injections at
// the same positions reaches the same state, which is how the UI steps back.
type Runner struct {
	cfg    sim.Config
	info   model.Info
	limits model.Limits
	log    *zap.Logger

	world    *sim.World
	model    *model.Model
	injected []Injection
	next     int // injections already replayed into the current World
	// bounds are recent positions between steps, newest last, so that a
	// step back usually needs one re-run instead of two.
	bounds []int64
}

const maxBounds = 256

func (r *Runner) bound() {
	p := r.Pos()
	if n := len(r.bounds); n > 0 && r.bounds[n-1] >= p {
		return
	}
	if len(r.bounds) >= maxBounds {
		r.bounds = append(r.bounds[:0], r.bounds[len(r.bounds)-maxBounds/2:]...)
	}
	r.bounds = append(r.bounds, p)
}

// NewRunner builds a Runner at the start of the run (nothing stepped).
func NewRunner(cfg sim.Config, info model.Info, l model.Limits, log *zap.Logger) (*Runner, error) {
	if log == nil {
		log = zap.NewNop()
	}
	r := &Runner{cfg: cfg, info: info, limits: l, log: log}
	if err := r.rebuild(0); err != nil {
		return nil, err
	}
	return r, nil
}

// Model is the current view model (a new one after every rewind).
func (r *Runner) Model() *model.Model { return r.model }

// World is the current World.
func (r *Runner) World() *sim.World { return r.world }

// Pos is the number of events so far.
func (r *Runner) Pos() int64 { return r.model.Events }

// Done reports whether the run has ended.
func (r *Runner) Done() bool { return r.world.Done() }

// Injected returns the faults injected by hand, in order.
func (r *Runner) Injected() []Injection { return append([]Injection(nil), r.injected...) }

// fresh makes a new World whose events go to sink.
func (r *Runner) fresh(sink func(ev trace.Event)) (*sim.World, error) {
	cfg := r.cfg
	cfg.NoKeep = true
	cfg.Sink = func(ev *trace.Event) { sink(*ev) }
	return sim.New(cfg)
}

// rebuild re-runs the World from the start to the first step boundary at
// or after pos, folding a new model.
func (r *Runner) rebuild(pos int64) error {
	// Positions below pos stay step boundaries: the history before pos
	// does not change. Those at or after it may belong to an old future.
	k := 0
	for k < len(r.bounds) && r.bounds[k] < pos {
		k++
	}
	r.bounds = r.bounds[:k]
	m := newModel(r.info, r.limits)
	w, err := r.fresh(m.Apply)
	if err != nil {
		return err
	}
	r.world, r.model, r.next = w, m, 0
	for {
		if err := r.replayDue(); err != nil {
			return err
		}
		if r.Pos() >= pos || !w.Step() {
			break
		}
	}
	r.live()
	return nil
}

// replayDue injects the recorded injections whose position has come.
func (r *Runner) replayDue() error {
	for r.next < len(r.injected) && r.injected[r.next].Pos <= r.Pos() {
		in := r.injected[r.next]
		if r.world.Now() < in.T {
			r.world.RunUntil(in.T)
		}
		if err := r.world.Inject(in.Spec); err != nil {
			return fmt.Errorf("replaying the %q injection at event %d: %w", in.Key, in.Pos, err)
		}
		r.next++
	}
	return nil
}

// Step runs the World's scheduled actions until one emits an event (a
// wake-up that finds nothing to do emits none), so that every step shows
// something, then replays the injections made at the new position. It
// reports false at the end of the run.
func (r *Runner) Step() bool {
	r.bound()
	pos := r.Pos()
	ok := true
	for ok && r.Pos() == pos {
		ok = r.world.Step()
	}
	if err := r.replayDue(); err != nil {
		r.log.Error("replay", zap.Error(err))
	}
	r.live()
	return ok
}

// Advance runs the World for dt nanoseconds of virtual time.
func (r *Runner) Advance(dt int64) {
	target := r.world.Now() + dt
	if r.next < len(r.injected) {
		// A replayed injection is due on the way: go one step at a time so
		// that it lands at its position (the last step may pass target).
		for !r.world.Done() && r.world.Now() < target && r.next < len(r.injected) {
			r.Step()
		}
		if r.world.Now() >= target {
			r.live()
			return
		}
	}
	r.world.RunUntil(target)
	if !r.world.Done() && r.world.Now() >= r.endTime() {
		r.world.Step() // let the World notice its end
	}
	r.live()
}

func (r *Runner) endTime() int64 {
	if r.cfg.Duration > 0 {
		return int64(r.cfg.Duration)
	}
	return int64(sim.DefaultDuration)
}

// End runs to the end of the run.
func (r *Runner) End() {
	for r.Step() {
	}
}

// JumpTo re-runs the World to the step that emitted event pos (0: the start).
func (r *Runner) JumpTo(pos int64) error { return r.rebuild(max(0, pos)) }

// Back goes to the step before the current one. It finds that step's
// position with a counting run (no view model), then rebuilds to it.
func (r *Runner) Back() error {
	cur := r.Pos()
	if cur == 0 {
		return nil
	}
	for len(r.bounds) > 0 {
		b := r.bounds[len(r.bounds)-1]
		r.bounds = r.bounds[:len(r.bounds)-1]
		if b < cur {
			return r.rebuild(b)
		}
	}
	var n int64
	w, err := r.fresh(func(trace.Event) { n++ })
	if err != nil {
		return err
	}
	prev, next := int64(0), 0
	for {
		for next < len(r.injected) && r.injected[next].Pos <= n {
			if in := r.injected[next]; w.Now() < in.T {
				w.RunUntil(in.T)
			}
			if err := w.Inject(r.injected[next].Spec); err != nil {
				return err
			}
			next++
		}
		if n >= cur {
			break
		}
		prev = n
		if !w.Step() {
			break
		}
	}
	return r.rebuild(prev)
}

// Inject fires a fault now and records it so that a rewind replays it. An
// injection made after stepping back replaces the injections that came
// later in the old future.
func (r *Runner) Inject(key string, spec fault.Spec) error {
	if err := r.replayDue(); err != nil {
		return err
	}
	pos := r.Pos()
	keep := r.injected[:0:0]
	for _, in := range r.injected {
		if in.Pos <= pos {
			keep = append(keep, in)
		}
	}
	if dropped := len(r.injected) - len(keep); dropped > 0 {
		r.log.Info("injection replaces the later ones", zap.Int("dropped", dropped))
	}
	if err := r.world.Inject(spec); err != nil {
		return err
	}
	r.injected = append(keep, Injection{Pos: pos, T: r.world.Now(), Key: key, Spec: spec})
	r.next = len(r.injected)
	r.live()
	return nil
}

// live copies what the trace does not carry from the World into the model.
func (r *Runner) live() {
	w := r.world
	st := w.Agent().ParserState()
	r.model.SetLive(model.Live{Valid: w.AgentUp(), Lex: st.Lex.String(), Brace: st.Brace, Bracket: st.Bracket,
		Token: st.Token, Pending: st.Pending, Queued: st.Queued})
	r.model.Now = max(r.model.Now, w.Now())
}

// Restrategy re-runs the run from the start with another host client, to
// the same virtual time, with the same seed and the faults injected by
// hand fired at the same virtual times (positions do not carry over: the
// other client writes other bytes). It answers "what would that client
// have done here?". It edits the configuration: the client's strategy,
// with the same options.
func (r *Runner) Restrategy(name string) error {
	target := r.world.Now()
	old := r.cfg
	if r.cfg.NotesFor == "" {
		// The scenario's notes were written for the strategy it had.
		r.cfg.NotesFor = old.Client.Strategy
	}
	r.cfg.Client.Strategy, r.cfg.Client.Custom = name, nil
	r.info.Strategy = name
	m := newModel(r.info, r.limits)
	w, err := r.fresh(m.Apply)
	if err != nil {
		r.cfg, r.info.Strategy = old, old.Client.Strategy
		return err
	}
	r.world, r.model, r.bounds = w, m, nil
	for i := range r.injected {
		in := &r.injected[i]
		if w.Now() < in.T {
			w.RunUntil(in.T)
		}
		if w.Done() {
			r.injected = r.injected[:i]
			break
		}
		in.Pos = r.Pos()
		if err := w.Inject(in.Spec); err != nil {
			return err
		}
	}
	r.next = len(r.injected)
	if w.Now() < target {
		w.RunUntil(target)
	}
	r.live()
	return nil
}

// Config is the configuration the run uses now (s edits its client).
func (r *Runner) Config() sim.Config { return r.cfg }

// Strategy is the host client strategy the run uses.
func (r *Runner) Strategy() string { return r.info.Strategy }

// Now is the World's virtual time.
func (r *Runner) Now() int64 { return r.world.Now() }

// ByHand is the number of faults injected by hand.
func (r *Runner) ByHand() int { return len(r.injected) }
