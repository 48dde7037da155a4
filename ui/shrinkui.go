package ui

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gdamore/tcell/v2"
	"go.uber.org/zap"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui/model"
)

// maxOpened bounds the runs kept for M when minimal scenarios are opened
// one from another: each holds a World and its view model.
const maxOpened = 8

// opened is a run that o replaced with its minimal scenario, for M.
type opened struct {
	opts   Options
	runner *Runner
	view   *View
	job    *shrinkJob
}

// recording is the run as w would save it.
func (u *UI) recording() Recording {
	return Recording{Seed: u.opts.Info.Seed, Strategy: u.runner.Strategy(), Injected: u.runner.Injected()}
}

// startShrink is the m key: it shrinks the run as it is on screen (its
// seed, its strategy after s, its faults by hand), to its end, on
// goroutines of its own, and shows each reduction as it is made. A shrink
// of this same run that has ended shows its result again.
func (u *UI) startShrink() {
	u.closeOverlay()
	if !u.needWorld("shrinking") {
		return
	}
	if u.opts.Scenario == nil {
		u.fail(fmt.Errorf("shrinking needs the scenario the run comes from: Options.Scenario is nil"))
		return
	}
	if u.app == nil {
		u.fail(fmt.Errorf("shrinking needs the running application: it reports from another goroutine"))
		return
	}
	u.playing = false
	rec := u.recording()
	if j := u.shrink; j != nil && reflect.DeepEqual(j.rec, rec) {
		if st := j.view().state; st == jobDone || st == jobRunning {
			u.showJob(j)
			return
		}
	}
	sc := rec.Scenario(u.opts.Scenario)
	ctx, cancel := context.WithCancel(context.Background())
	j := &shrinkJob{rec: rec, from: sc.Name, cancel: cancel, ended: make(chan struct{}), start: time.Now()}
	u.shrink = j
	app := u.app
	var pending atomic.Bool
	// wake runs on the job's goroutines: it asks the event goroutine to
	// show the job's state, at most one request at a time, and never
	// waits for it, so a busy screen never slows the shrink.
	wake := func() {
		if pending.CompareAndSwap(false, true) {
			go app.QueueUpdateDraw(func() {
				pending.Store(false)
				u.refreshJob(j)
			})
		}
	}
	u.log.Info("shrink", zap.String("scenario", sc.Name), zap.Uint64("seed", rec.Seed), zap.String("strategy", rec.Strategy))
	go j.run(ctx, sc, rec.Seed, 0, wake)
	// A reduction can take seconds to find: the time on screen says the
	// shrink is alive meanwhile.
	go func() {
		t := time.NewTicker(time.Second / 2)
		defer t.Stop()
		for {
			select {
			case <-j.ended:
				return
			case <-t.C:
				wake()
			}
		}
	}()
	u.showJob(j)
}

// showJob puts the job's overlay on screen.
func (u *UI) showJob(j *shrinkJob) {
	o := NewOverlay("shrink", nil, "")
	o.modal = true
	u.overlay, u.jobOverlay = o, o
	u.fillJob(j, j.view())
}

// jobShown reports whether the overlay on screen is the shrink's.
func (u *UI) jobShown() bool { return u.overlay != nil && u.overlay == u.jobOverlay }

// refreshJob shows a job's state (on the event goroutine).
func (u *UI) refreshJob(j *shrinkJob) {
	if j != u.shrink {
		return // an older job, or one of a run that o replaced
	}
	v := j.view()
	if v.state != jobRunning && !j.seen {
		j.seen = true
		u.log.Info("shrink ended", zap.Int("state", int(v.state)), zap.Error(v.err))
		switch v.state {
		case jobNothing:
			u.closeJob()
			u.say("%s", v.why)
			return
		case jobCancelled:
			u.closeJob()
			u.say("shrink cancelled after %s: nothing kept (m starts it again)", time.Since(j.start).Round(time.Millisecond))
			return
		case jobFailed:
			u.closeJob()
			u.fail(fmt.Errorf("shrink: %w", v.err))
			return
		case jobDone:
			u.say("shrunk: %s -> %s (o opens it, w writes it; after esc, m shows the result again)", v.res.From, v.res.To)
			if v.res.Signature.Absence() {
				// In red: the result says little (the window says why).
				u.message, u.msgErr = "shrunk, but the failure is an absence: see the warning; "+u.message, true
			}
		}
	}
	if u.jobShown() {
		u.fillJob(j, v)
	}
}

// closeJob takes the job's overlay off the screen.
func (u *UI) closeJob() {
	if u.jobShown() {
		u.overlay = nil
	}
	u.jobOverlay = nil
}

// fillJob writes a job's state into its overlay: while it runs, what it
// shrinks and the reductions so far, newest at the bottom; at the end, the
// result and what to do with it first, then the minimal scenario, then the
// reductions.
func (u *UI) fillJob(j *shrinkJob, v jobView) {
	o := u.jobOverlay
	if o == nil {
		return
	}
	rec := j.rec
	head := fmt.Sprintf("shrinking %s at seed %d, strategy %s, to the end of the run", j.from, rec.Seed, rec.Strategy)
	if n := len(rec.Injected); n > 0 {
		head += fmt.Sprintf(", with the %d fault(s) injected by hand", n)
	}
	var lines []string
	progress := func() {
		if v.why != "" {
			lines = append(lines, v.why)
		}
		if v.dropped > 0 {
			lines = append(lines, fmt.Sprintf("(%d earlier lines not kept)", v.dropped))
		}
		for _, l := range v.lines {
			lines = append(lines, "qgasim shrink: "+l)
		}
	}
	switch v.state {
	case jobDone:
		res := v.res
		seeds := fmt.Sprintf("it fails the same way at %d of %d seeds tried", res.FailsAt, len(res.Tried))
		lines = append(lines,
			fmt.Sprintf("%s: %s -> %s in %d runs, %v", res.Scenario.Name, res.From, res.To, res.Runs, res.Wall.Round(time.Millisecond)),
			"fails: "+res.Signature.String(),
			seeds)
		if res.Signature.Absence() {
			lines = append(lines, "warning: the failure is an absence (a request expected to go wrong was judged correct): a run in which nothing goes wrong shows it too, so this result says little; the run behind this window shows what happened instead")
		}
		lines = append(lines, "")
		if j.written != "" {
			lines = append(lines, "written to "+j.written+"; run it with: qgasim run "+j.written)
		}
		lines = append(lines,
			"o    open it here, in place of this run (M comes back to this one)",
			"w    write it to a new file beside the scenario (never over a file)",
			"esc  close (m shows this again while the run is the same)",
			"", "── the minimal scenario ──")
		lines = append(lines, strings.Split(strings.TrimRight(string(v.data), "\n"), "\n")...)
		lines = append(lines, "", "── "+head+" ──")
		progress()
		// From the top: the result and its keys first.
		o.lines, o.footer, o.tail, o.scroll = lines, "o open  w write  esc close", false, 0
		o.SetTitle(" shrink: done ")
	default:
		lines = append(lines, head, "")
		progress()
		o.lines, o.footer, o.tail = lines, fmt.Sprintf("running for %s; esc cancels", time.Since(j.start).Round(100*time.Millisecond)), true
		o.SetTitle(" shrink: running ")
	}
}

// jobKey handles a key while the shrink's overlay is up: it is modal, so
// that a key meant for it does not step the run behind it. Arrows and
// page keys go on to scroll it (false); q quits.
func (u *UI) jobKey(ev *tcell.EventKey) bool {
	switch ev.Key() {
	case tcell.KeyEscape:
		u.escape()
		return true
	case tcell.KeyUp, tcell.KeyDown, tcell.KeyPgUp, tcell.KeyPgDn, tcell.KeyHome:
		return false
	case tcell.KeyRune:
	default:
		return true
	}
	j := u.shrink
	done := j != nil && j.view().state == jobDone
	switch ev.Rune() {
	case 'q':
		u.quit()
	case 'o':
		if done {
			u.openMinimal(j)
		}
	case 'w':
		if done {
			u.writeMinimal(j)
		}
	}
	return true
}

// escape is esc: it cancels a running shrink, or closes the overlay.
func (u *UI) escape() {
	if j := u.shrink; j != nil && u.jobShown() {
		if j.view().state == jobRunning {
			j.cancel()
			u.jobOverlay.footer = "cancelling..."
			return
		}
		u.overlay = nil
		return
	}
	u.closeOverlay()
}

// cancelShrink stops a running shrink (on quit).
func (u *UI) cancelShrink() {
	if u.shrink != nil {
		u.shrink.cancel()
	}
	for _, p := range u.opened {
		if p.job != nil {
			p.job.cancel()
		}
	}
}

// writeMinimal writes the minimal scenario to a new file, through the
// writer w uses.
func (u *UI) writeMinimal(j *shrinkJob) {
	if j.written != "" {
		u.say("already written to %s", j.written)
		return
	}
	if u.opts.Write == nil {
		u.fail(fmt.Errorf("writing is not wired up: Options.Write is nil"))
		return
	}
	v := j.view()
	path, err := u.opts.Write(v.res.Scenario, u.opts.tag+"min")
	if err != nil {
		u.fail(fmt.Errorf("writing the minimal scenario: %w", err))
		return
	}
	j.written = path
	u.log.Info("minimal scenario written", zap.String("path", path))
	u.say("wrote %s; run it with: qgasim run %s", path, path)
	u.fillJob(j, v)
}

// openMinimal replaces the run on screen with a run of the minimal
// scenario, as a file would hold it; M comes back.
func (u *UI) openMinimal(j *shrinkJob) {
	v := j.view()
	sc, err := scenarios.Parse(v.res.Scenario.Name+".yaml", v.data)
	if err != nil {
		u.fail(fmt.Errorf("opening the minimal scenario: %w", err))
		return
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		u.fail(fmt.Errorf("opening the minimal scenario: %w", err))
		return
	}
	info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: cfg.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	r, err := NewRunner(cfg, info, u.opts.Limits, u.log)
	if err != nil {
		u.fail(fmt.Errorf("opening the minimal scenario: %w", err))
		return
	}
	u.overlay, u.jobOverlay = nil, nil
	if len(u.opened) >= maxOpened {
		u.opened = u.opened[1:]
	}
	u.opened = append(u.opened, opened{opts: u.opts, runner: u.runner, view: u.View, job: j})
	from := u.opts.Info.Scenario
	opts := u.opts
	opts.Config, opts.Info, opts.Scenario = cfg, info, sc
	opts.tag = u.opts.tag + "min-"
	opts.Save = nil
	if opts.Write != nil {
		opts.Save = SaveWith(sc, opts.Write, opts.tag+"by-hand")
	}
	u.opts = opts
	u.shrink = nil
	u.playing = false
	u.attach(r, info)
	u.log.Info("opened the minimal scenario", zap.String("scenario", sc.Name))
	u.say("the minimal scenario %s, in place of %s (M goes back to %s)", sc.Name, from, from)
}

// backFromMinimal is M: back to the run a minimal scenario was opened
// from, as it was left.
func (u *UI) backFromMinimal() {
	u.closeOverlay()
	n := len(u.opened)
	if n == 0 {
		u.say("M goes back to the run a minimal scenario was opened from (o, after m): none was opened")
		return
	}
	p := u.opened[n-1]
	u.opened = u.opened[:n-1]
	if u.shrink != nil {
		u.shrink.cancel()
	}
	left := u.opts.Info.Scenario
	u.opts, u.runner, u.player, u.shrink = p.opts, p.runner, p.runner, p.job
	u.playing = false
	u.View = p.view
	u.mount()
	u.say("back to %s (left %s; m shows the shrink's result again)", u.opts.Info.Scenario, left)
}

// attach puts a new run on screen: its Runner, and a View of it.
func (u *UI) attach(r *Runner, info model.Info) {
	u.runner, u.player = r, r
	u.View = NewView(info, r, u.keys)
	u.View.onByte, u.View.onJump = u.showStory, u.jump
	u.View.header = func() (float64, bool) { return speeds[u.speed], u.playing }
	u.View.Intro()
	u.mount()
}

// mount makes the application draw the current View.
func (u *UI) mount() {
	if u.app != nil {
		u.app.SetRoot(u.root, true).SetFocus(u.root.Focused())
	}
}
