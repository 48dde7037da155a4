package ui

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"go.uber.org/zap"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
	"github.com/qgasim/qgasim/ui/scenariofile"
)

// Recording is a run to save as a scenario: the faults injected by hand,
// each with the virtual time it fired at.
type Recording struct {
	Seed     uint64
	Strategy string // the client strategy of the run (s may have changed it)
	Injected []Injection
}

// Options configure a UI.
type Options struct {
	Config sim.Config
	Info   model.Info
	Limits model.Limits
	Log    *zap.Logger
	// Save writes the run as a scenario file and says where, and which
	// expectations it had to change. Nil leaves `w` telling the user that
	// saving is not wired up.
	Save func(Recording) (Saved, error)
	// Scenario is the scenario the run comes from, as loaded, and Write
	// writes the scenarios the UI makes: the m key shrinks the run, and
	// writes the minimal scenario with Write. Nil leaves m saying that
	// shrinking is not wired up.
	Scenario *scenarios.Scenario
	Write    WriteFunc
	// Live is the live session a player UI shows (serve/proxy --tui): with
	// it, the fault keys inject into the session. Nil: they say they need a
	// scenario run.
	Live LiveSession

	// tag names the files written from this run: "" for the run the UI
	// started with, "min-" for a minimal scenario opened in its place.
	tag string
}

// LiveSession is what a UI can ask of the live session it shows.
type LiveSession interface {
	// Inject fires a fault into the session now.
	Inject(spec fault.Spec) error
	// Frozen reports whether the guest's file systems are frozen (the
	// z key thaws them then).
	Frozen() bool
}

// Saved is what `w` wrote: the file, and the expectations that did not
// hold for the saved run and were changed to what it shows.
type Saved struct {
	Path    string
	Changed []string
}

// speeds are the play speeds, virtual seconds per wall second.
var speeds = []float64{0.001, 0.01, 0.1, 0.25, 0.5, 1, 2, 5, 10, 100, 1000}

const defaultSpeed = 5 // index of x1

// UI is the terminal UI: the panes, the key table and the Runner.
type UI struct {
	opts   Options
	log    *zap.Logger
	keys   []Key
	runner *Runner // the World the UI runs; nil when it plays recorded events
	player Player  // what the play, step and jump keys drive: runner, or a TracePlayer

	playing  bool
	playFlag atomic.Bool // playing, for the ticker goroutine
	speed    int
	quitted  bool

	// shrink is the last shrink of this run (m), jobOverlay its overlay
	// while it is up; opened are the runs that minimal scenarios were
	// opened in place of, newest last (M goes back).
	shrink     *shrinkJob
	jobOverlay *Overlay
	opened     []opened

	*View                    // the screen
	app   *tview.Application // nil when driven by tests
}

// New builds the UI, paused at the start of the run with the scenario's
// description on screen.
func New(opts Options) (*UI, error) {
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	r, err := NewRunner(opts.Config, opts.Info, opts.Limits, log)
	if err != nil {
		return nil, err
	}
	u := &UI{opts: opts, log: log, keys: Keys(), runner: r, player: r, speed: defaultSpeed}
	u.View = NewView(opts.Info, r, u.keys)
	u.View.onByte, u.View.onJump = u.showStory, u.jump
	u.View.header = func() (float64, bool) { return speeds[u.speed], u.playing }
	u.View.Intro()
	return u, nil
}

// NewPlayer builds a UI on recorded events (a trace read back, or a live
// session's events as they come) instead of a World: everything that does
// not re-run the World works (play, step, back, jump, byte stories, the
// timeline); the keys that switch the strategy or save say they need a
// scenario, and so do the fault keys unless opts.Live takes them into a
// live session. playing starts it playing.
func NewPlayer(opts Options, p Player, playing bool) *UI {
	log := opts.Log
	if log == nil {
		log = zap.NewNop()
	}
	keys := PlayerKeys()
	if opts.Live != nil {
		keys = LiveKeys()
	}
	u := &UI{opts: opts, log: log, keys: keys, player: p, speed: defaultSpeed, playing: playing}
	u.playFlag.Store(playing)
	u.View = NewView(opts.Info, p, u.keys)
	u.View.onByte, u.View.onJump = u.showStory, u.jump
	u.View.header = func() (float64, bool) { return speeds[u.speed], u.playing }
	return u
}

// needWorld says that a key needs the World (a scenario), not recorded
// events, and reports whether there is one.
func (u *UI) needWorld(what string) bool {
	if u.runner != nil {
		return true
	}
	u.fail(fmt.Errorf("%s needs a scenario run: this UI shows recorded events", what))
	return false
}

// Runner is the UI's Runner.
func (u *UI) Runner() *Runner { return u.runner }

// Quitted reports whether q was pressed.
func (u *UI) Quitted() bool { return u.quitted }

// Playing reports whether the run plays.
func (u *UI) Playing() bool { return u.playing }

// HandleKey runs the binding of a key and reports whether there was one.
// Any key closes the opening description first; keys other than esc then
// act as usual, so that space both closes it and starts playing.
func (u *UI) HandleKey(ev *tcell.EventKey) bool {
	if u.jobShown() {
		return u.jobKey(ev)
	}
	k, ok := lookup(u.keys, ev)
	if !ok {
		return false
	}
	u.message = ""
	k.Do(u)
	return true
}

// Tick advances a playing run by wall time dt at the current speed.
func (u *UI) Tick(dt time.Duration) {
	if !u.playing {
		return
	}
	if u.player.Done() {
		u.playing = false
		return
	}
	u.player.Advance(int64(float64(dt) * speeds[u.speed]))
	if u.player.Done() {
		u.playing = false
		u.noteStop()
	}
}

// noteStop says why a run ended early (it reached a budget: a trigger that
// fires too often), so that the end is not taken for the scenario's.
func (u *UI) noteStop() {
	if u.runner == nil {
		return
	}
	if err := u.runner.World().Err(); err != nil {
		u.fail(fmt.Errorf("the run stopped: %w", err))
	}
}

func (u *UI) say(format string, args ...any) {
	u.message, u.msgErr = fmt.Sprintf(format, args...), false
}

func (u *UI) fail(err error) {
	u.message, u.msgErr = err.Error(), true
	u.log.Error("ui", zap.Error(err))
}

func (u *UI) togglePlay() {
	u.closeOverlay()
	if u.player.Done() {
		u.say("the run has ended: b steps back, g goes to the start")
		u.playing = false
		return
	}
	u.playing = !u.playing
}

func (u *UI) stepForward() {
	u.closeOverlay()
	u.playing = false
	u.prevSeq = u.player.Model().LastSeq
	switch u.stepMode {
	case StepByte:
		cur, _ := u.stripCursor()
		if rd, ok := u.player.Model().Parser(); ok && cur >= 0 && cur < len(rd.Bytes)-1 {
			u.setCursor(cur + 1)
			u.prevSeq = u.player.Model().LastSeq // the World did not move
			return
		}
		if u.toNextRead() {
			u.setCursor(0)
		}
	case StepRead:
		u.toNextRead()
		u.setCursor(-1)
	default:
		if !u.player.Step() {
			u.say("the run has ended")
			u.noteStop()
		}
	}
}

// maxSearch bounds the steps a search for the next (or last) read takes.
const maxSearch = 100_000

// toNextRead steps until the agent reads, and reports whether it did.
func (u *UI) toNextRead() bool {
	rd, _ := u.player.Model().Parser()
	for i := 0; i < maxSearch; i++ {
		if !u.player.Step() {
			if next, ok := u.player.Model().Parser(); ok && next.Seq != rd.Seq {
				return true
			}
			u.say("the run has ended: the agent reads nothing more")
			u.noteStop()
			return false
		}
		if next, ok := u.player.Model().Parser(); ok && next.Seq != rd.Seq {
			return true
		}
	}
	u.say("no read by the agent in the next %d steps", maxSearch)
	return false
}

// toPrevRead steps back until the agent's current read is an earlier one,
// and reports whether there was one.
func (u *UI) toPrevRead() bool {
	rd, ok := u.player.Model().Parser()
	if !ok {
		return u.back()
	}
	for i := 0; i < maxSearch && u.player.Pos() > 0; i++ {
		if !u.back() {
			return false
		}
		if prev, ok := u.player.Model().Parser(); !ok || prev.Seq < rd.Seq {
			return ok
		}
	}
	return false
}

func (u *UI) back() bool {
	if err := u.player.Back(); err != nil {
		u.fail(err)
		return false
	}
	return true
}

func (u *UI) stepBack() {
	u.closeOverlay()
	u.playing = false
	switch u.stepMode {
	case StepByte:
		rd, ok := u.player.Model().Parser()
		cur, _ := u.stripCursor()
		if ok && cur < 0 {
			cur = len(rd.Bytes) - 1
		}
		if ok && cur > 0 {
			u.setCursor(cur - 1)
			return
		}
		if u.toPrevRead() {
			rd, _ := u.player.Model().Parser()
			u.setCursor(len(rd.Bytes) - 1)
		}
	case StepRead:
		u.toPrevRead()
		u.setCursor(-1)
	default:
		u.back()
	}
	u.prevSeq = 0
}

// nextStepMode cycles what n and b step by: event, byte, read.
func (u *UI) nextStepMode() {
	u.stepMode = (u.stepMode + 1) % 3
	switch u.stepMode {
	case StepByte:
		u.setCursor(0)
		u.say("n and b step by byte through the agent's reads: the parser strip shows the lexer after each byte (x: by read)")
	case StepRead:
		u.setCursor(-1)
		u.say("n and b step from one read of the agent to the next (x: by event)")
	default:
		u.setCursor(-1)
		u.say("n and b step by event (x: by byte)")
	}
}

// toggleLadder shows the ladder diagram in place of the byte panes, or the
// bytes again.
func (u *UI) toggleLadder() {
	u.ladder = !u.ladder
	if u.ladder {
		u.say("the ladder: the host, the link and the agent, time running down; ▸ marks the last step (l: the bytes again)")
	}
}

func (u *UI) changeSpeed(d int) {
	if live := u.View.src.Model().Info.LiveSpeed; live > 0 {
		u.say("a live session runs at its own speed, %s (serve/proxy --speed)", bytefmt.Speed(live))
		return
	}
	u.speed = min(max(u.speed+d, 0), len(speeds)-1)
	u.say("speed %s", bytefmt.Speed(speeds[u.speed]))
}

func (u *UI) toStart() {
	u.closeOverlay()
	u.playing = false
	if err := u.player.JumpTo(0); err != nil {
		u.fail(err)
	}
}

func (u *UI) toEnd() {
	u.closeOverlay()
	u.playing = false
	u.player.End()
	u.noteStop()
}

func (u *UI) jump(seq int64) {
	u.closeOverlay()
	u.playing = false
	if err := u.player.JumpTo(seq); err != nil {
		u.fail(err)
		return
	}
	u.say("jumped to event %d", seq)
}

func (u *UI) nextFocus() { u.root.NextFocus(u.setFocus) }

func (u *UI) closeOverlay() { u.View.closeOverlay() }

func (u *UI) setFocus(p tview.Primitive) {
	if u.app != nil {
		u.app.SetFocus(p)
	}
}

func (u *UI) inject(key string, spec fault.Spec) {
	u.closeOverlay()
	if u.runner == nil && u.opts.Live != nil {
		u.injectLive(key, spec)
		return
	}
	if !u.needWorld("injecting a fault") {
		return
	}
	if u.player.Done() {
		u.say("the run has ended: step back (b) to inject")
		return
	}
	if err := u.runner.Inject(key, spec); err != nil {
		u.fail(err)
		return
	}
	u.log.Info("injected", zap.String("key", key), zap.String("kind", spec.Kind), zap.Int64("t", u.runner.World().Now()))
	u.say("%s at %s (by hand; w saves it as a timed fault)", spec.Kind, bytefmt.Time(u.runner.World().Now()))
}

// freezeSpec freezes the guest, or thaws it when it is frozen. Both run the
// agent's own guest-fsfreeze-freeze/thaw inside the guest (the freeze and
// thaw faults), so the channel carries no line the client did not ask for.
func (u *UI) freezeSpec() fault.Spec {
	frozen := false
	switch {
	case u.runner != nil:
		frozen = u.runner.World().Agent().Frozen()
	case u.opts.Live != nil:
		frozen = u.opts.Live.Frozen()
	}
	if frozen {
		return fault.Spec{Kind: "thaw"}
	}
	return fault.Spec{Kind: "freeze"}
}

func (u *UI) save() {
	if !u.needWorld("saving") {
		return
	}
	if u.opts.Save == nil {
		u.fail(fmt.Errorf("saving is not wired up: Options.Save is nil"))
		return
	}
	saved, err := u.opts.Save(Recording{Seed: u.opts.Info.Seed, Strategy: u.runner.Strategy(), Injected: u.runner.Injected()})
	if err != nil {
		u.fail(err)
		return
	}
	u.say("saved to %s (%d faults by hand)", saved.Path, len(u.runner.Injected()))
	if n := len(saved.Changed); n > 0 {
		u.log.Warn("expectations changed", zap.Strings("changed", saved.Changed))
		u.message += fmt.Sprintf("; %d expectation(s) no longer held and now say what this run shows: %s (the file's head comment lists them)",
			n, saved.Changed[0])
		u.msgErr = true // a warning: the file does not say what the original said
	}
}

// nextStrategy re-runs the run to this moment with the next client
// strategy, same seed, same faults by hand.
func (u *UI) nextStrategy() {
	u.closeOverlay()
	if !u.needWorld("switching the strategy") {
		return
	}
	u.playing = false
	names := client.Names()
	cur := u.runner.Strategy()
	next := names[0]
	for i, n := range names {
		if n == cur {
			next = names[(i+1)%len(names)]
		}
	}
	if err := u.runner.Restrategy(next); err != nil {
		u.fail(err)
		return
	}
	u.log.Info("strategy", zap.String("strategy", next))
	u.say("client strategy %s: the same seed and faults, re-run to %ss (s: the next one)", next, bytefmt.Time(u.runner.Now()))
}

func (u *UI) toggleHelp() {
	if u.overlay != nil && u.overlay.GetTitle() == " keys " {
		u.overlay = nil
		return
	}
	u.overlay = NewOverlay("keys", HelpLines(u.keys), "? or esc closes")
}

func (u *UI) showStory(s *model.Stream, seg *model.Segment, i int) {
	lines := u.player.Model().Story(s, seg, i)
	if len(lines) == 0 {
		return
	}
	u.overlay = NewOverlay("the story of a byte", lines, "esc closes")
}

func (u *UI) quit() {
	u.cancelShrink()
	u.quitted = true
	u.playing = false
	if u.app != nil {
		u.app.Stop()
	}
}

// Entries are the recording's faults as scenario entries. Each fires 1 ns
// after the moment it was injected: by hand it came after the events
// already on screen at that time, and a timed fault scheduled at the same
// nanosecond would fire before them.
func (r Recording) Entries() []scenariofile.Entry {
	out := make([]scenariofile.Entry, 0, len(r.Injected))
	for _, in := range r.Injected {
		spec := in.Spec
		spec.Name = ""
		out = append(out, scenariofile.Entry{At: time.Duration(in.T + 1), Spec: spec,
			Note: fmt.Sprintf("by hand: key %s at %ss, after event %d", in.Key, bytefmt.Time(in.T), in.Pos)})
	}
	return out
}
