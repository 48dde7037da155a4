package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/shrink"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/ui/model"
)

// appRun is a UI running in its application on a simulation screen, as
// on a terminal: keys go through tcell's event loop, and the shrink
// reports from its own goroutines.
type appRun struct {
	t    *testing.T
	u    *UI
	app  *tview.Application
	s    tcell.SimulationScreen
	done chan error
}

func startApp(t *testing.T, u *UI, w, h int) *appRun {
	t.Helper()
	a := &appRun{t: t, u: u, app: tview.NewApplication(), s: tcell.NewSimulationScreen("UTF-8"), done: make(chan error, 1)}
	go func() { a.done <- u.run(context.Background(), a.app, a.s) }()
	a.waitText("|| paused")
	a.onApp(func() { a.s.SetSize(w, h) })
	a.s.PostEvent(tcell.NewEventResize(w, h))
	t.Cleanup(a.quit)
	return a
}

// onApp runs f on the application's goroutine, between two draws.
func (a *appRun) onApp(f func()) {
	ch := make(chan struct{})
	a.app.QueueUpdate(func() { f(); close(ch) })
	<-ch
}

func (a *appRun) screen() (c string) {
	a.onApp(func() { a.app.ForceDraw(); c = contents(a.s) })
	return c
}

// waitFor waits until the screen shows what ok looks for, and returns it.
func (a *appRun) waitFor(what string, ok func(string) bool) string {
	a.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c := a.screen(); ok(c) {
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.t.Fatalf("no %s on screen:\n%s", what, a.screen())
	return ""
}

func (a *appRun) waitText(text string) string {
	a.t.Helper()
	return a.waitFor(fmt.Sprintf("%q", text), func(c string) bool { return strings.Contains(c, text) })
}

func (a *appRun) press(r rune) { a.s.InjectKey(tcell.KeyRune, r, tcell.ModNone) }

func (a *appRun) esc() { a.s.InjectKey(tcell.KeyEscape, 0, tcell.ModNone) }

// job is the UI's shrink, read on the application's goroutine.
func (a *appRun) job() (j *shrinkJob) {
	a.onApp(func() { j = a.u.shrink })
	return j
}

func (a *appRun) quit() {
	a.press('q')
	select {
	case err := <-a.done:
		if err != nil {
			a.t.Error(err)
		}
	case <-time.After(10 * time.Second):
		a.t.Error("q did not quit")
	}
}

// libraryUI is the UI of a library scenario at a seed and strategy, as
// `qgasim tui NAME --seed N --strategy S` builds it; files go to dir.
func libraryUI(t *testing.T, name string, seed uint64, strategy, dir string) (*UI, *scenarios.Scenario) {
	t.Helper()
	sc := scenariotest.Library(t, name)
	return scenarioUI(t, sc, seed, strategy, dir), sc
}

func scenarioUI(t *testing.T, sc *scenarios.Scenario, seed uint64, strategy, dir string) *UI {
	t.Helper()
	if strategy != "" && strategy != sc.Client.Strategy {
		sc.NotesFor, sc.Client.Strategy, sc.Client.Custom = sc.Client.Strategy, strategy, nil
	}
	cfg, err := scenarios.Build(sc, &seed)
	if err != nil {
		t.Fatal(err)
	}
	info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: cfg.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	u, err := New(Options{Config: cfg, Info: info, Scenario: sc, Write: dirWriter(dir, sc.Name)})
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	return u
}

// dirWriter writes new files named after the scenario into dir, as the
// CLI's writer does beside the scenario (the CLI's own is tested in
// cmd/qgasim).
func dirWriter(dir, name string) WriteFunc {
	return func(sc *scenarios.Scenario, tag string) (string, error) {
		for n := 1; ; n++ {
			p := filepath.Join(dir, fmt.Sprintf("%s-%s-%d.yaml", name, tag, n))
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, os.ErrExist) {
				continue
			}
			if err != nil {
				return "", err
			}
			_, err = f.Write(scenarios.Write(sc))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return p, err
		}
	}
}

// runAt runs a scenario file's bytes at a seed.
func runAt(t *testing.T, data []byte, seed uint64) *scenarios.Run {
	t.Helper()
	sc, err := scenarios.Parse("min.yaml", data)
	if err != nil {
		t.Fatalf("the minimal scenario does not load: %v\n%s", err, data)
	}
	return scenariotest.ExecuteAt(t, sc, seed)
}

// failed are the expectations a run failed.
func failed(run *scenarios.Run) []string {
	var out []string
	for _, r := range run.Results {
		if !r.Pass {
			out = append(out, r.What)
		}
	}
	return out
}

// The stale reply on virtio-serial under the none strategy: every
// expectation of the file holds (it expects the misattribution), but the
// oracle judges guest-get-time misattributed. m shrinks that, in the
// background, shows the reductions, and offers the minimal scenario, which
// fails the same way at any seed; w writes it, o opens it in place of the
// run, M comes back.
func TestShrinkKeyOracleVerdict(t *testing.T) {
	const seed = 42
	dir := t.TempDir()
	u, _ := libraryUI(t, "stale-reply-virtio", seed, "none", dir)
	a := startApp(t, u, 160, 48)
	a.press('m')
	scr := a.waitText("shrink: done")
	for _, want := range []string{
		"shrinking stale-reply-virtio at seed 42, strategy none",
		"every expectation holds, but the oracle judged #2 guest-get-time misattributed",
		"never: misattributed, shown by a guest-get-time request judged misattributed",
		"o    open it here", "w    write it to a new file",
		"── the minimal scenario ──", "name: stale-reply-virtio-min",
	} {
		if !strings.Contains(scr, want) {
			t.Errorf("seed %d: the result does not say %q:\n%s", seed, want, scr)
		}
	}
	j := a.job()
	v := j.view()
	if v.state != jobDone || len(v.lines) < 3 || !strings.Contains(v.lines[0], "failure at seed 42: never: misattributed") {
		t.Fatalf("seed %d: state %d, progress %q", seed, v.state, v.lines)
	}
	// The reductions are on screen as the CLI prints them.
	if !strings.Contains(scr, "qgasim shrink:") || !strings.Contains(scr, "runs  duration 30s -> ") {
		t.Errorf("seed %d: no reductions on screen:\n%s", seed, scr)
	}
	// The minimal scenario fails with the same signature at the seed and
	// at others: its one expectation, by a guest-get-time request judged
	// misattributed.
	for _, s := range []uint64{seed, 1, 7} {
		run := runAt(t, v.data, s)
		if f := failed(run); len(f) != 1 || f[0] != "never: misattributed" {
			t.Errorf("seed %d: the minimal scenario fails %q, want never: misattributed", s, f)
		}
		var cmd string
		for _, r := range run.Summary.Requests {
			if r.Verdict == check.Misattributed {
				cmd = r.Cmd
				break
			}
		}
		if cmd != "guest-get-time" {
			t.Errorf("seed %d: the misattributed request is %q, want guest-get-time", s, cmd)
		}
	}
	if v.res.To.Steps >= v.res.From.Steps || v.res.To.Duration >= v.res.From.Duration {
		t.Errorf("seed %d: nothing was shrunk: %v -> %v", seed, v.res.From, v.res.To)
	}

	// w writes it, the path on screen; a second w writes nothing new.
	a.press('w')
	scr = a.waitText("written to ")
	want := filepath.Join(dir, "stale-reply-virtio-min-1.yaml")
	if !strings.Contains(scr, "written to "+want) {
		t.Errorf("the path written is not on screen (want %s):\n%s", want, scr)
	}
	got, err := os.ReadFile(want)
	if err != nil || string(got) != string(v.data) {
		t.Errorf("%s: %v, holds\n%s\nwant\n%s", want, err, got, v.data)
	}
	a.press('w')
	a.waitText("already written to " + want)
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("a second w wrote again: %d files", len(files))
	}

	// o opens it in place of the run: its description on screen, the
	// subtitle says how to come back.
	a.press('o')
	scr = a.waitText("M goes back to stale-reply-virtio")
	if !strings.Contains(scr, "stale-reply-virtio-min  seed 42") || !strings.Contains(scr, "The smallest scenario qgasim shrink found") {
		t.Errorf("the minimal scenario is not on screen:\n%s", scr)
	}
	a.esc()
	a.press('G')
	scr = a.waitText("[] ended")
	if !strings.Contains(scr, "MISATTRIBUTED") {
		t.Errorf("the minimal run's misattribution is not on screen:\n%s", scr)
	}
	// M: back to the run as it was left, the result kept for m.
	a.press('M')
	scr = a.waitText("back to stale-reply-virtio")
	if !strings.Contains(scr, "stale-reply-virtio  seed 42") || strings.Contains(scr, "stale-reply-virtio-min  seed") {
		t.Errorf("M did not come back:\n%s", scr)
	}
	a.press('m')
	a.waitText("shrink: done")
	if a.job() != j {
		t.Error("m on the same run started a new shrink instead of showing the result")
	}
	a.esc()
	a.waitFor("the result closed", func(c string) bool { return !strings.Contains(c, "shrink: done") })
}

// Under libvirt the file's expectations fail (it expects the
// misattribution the none client makes): the shrink keeps the signature
// qgasim shrink finds for the same file, seed and strategy.
func TestShrinkKeyKeepsTheCLISignature(t *testing.T) {
	const seed = 42
	u, sc := libraryUI(t, "stale-reply-virtio", seed, "libvirt", t.TempDir())
	a := startApp(t, u, 80, 24)
	a.press('m')
	a.waitText("shrink: done")
	v := a.job().view()
	cli, err := shrink.Shrink(context.Background(), sc, shrink.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if v.res.Signature.String() != cli.Signature.String() {
		t.Errorf("seed %d: signature %q, qgasim shrink finds %q", seed, v.res.Signature, cli.Signature)
	}
	if string(v.data) != string(scenarios.Write(cli.Scenario)) {
		t.Errorf("seed %d: the TUI's minimal scenario differs from the CLI's:\n%s\n---\n%s", seed, v.data, scenarios.Write(cli.Scenario))
	}
	run := runAt(t, v.data, 3)
	if f := failed(run); len(f) != 1 || f[0] != cli.Signature.What {
		t.Errorf("seed 3: the minimal scenario fails %q, want %q", f, cli.Signature.What)
	}
}

// A run that passes and that the oracle finds nothing wrong in: m says
// there is nothing to shrink, and opens nothing.
func TestShrinkKeyNothingToShrink(t *testing.T) {
	u, _ := libraryUI(t, "restart-mid-reply", 42, "", t.TempDir())
	a := startApp(t, u, 80, 24)
	a.press('m')
	scr := a.waitText("nothing to shrink")
	if strings.Contains(scr, "shrink: running") || strings.Contains(scr, "shrink: done") {
		t.Errorf("an overlay is left after nothing to shrink:\n%s", scr)
	}
	if v := a.job().view(); v.state != jobNothing || !strings.Contains(v.why, "restart-mid-reply at seed 42 with strategy delimited passes every expectation") {
		t.Errorf("state %d: %q", v.state, v.why)
	}
}

// A long shrink (a noisy minute of twenty faults) shows its reductions as
// they come, the rest of the UI keeps drawing, and esc cancels it: the
// job ends soon and nothing is offered.
func TestShrinkKeyProgressAndCancel(t *testing.T) {
	sc, err := scenarios.Load(filepath.Join("..", "shrink", "testdata", "noisy-minute.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	u := scenarioUI(t, sc, 12, "", dir)
	a := startApp(t, u, 160, 48)
	a.press('m')
	scr := a.waitText("qgasim shrink:")
	for _, want := range []string{"shrink: running", "shrinking noisy-minute at seed 12, strategy delimited", "failure at seed 12:", "esc cancels"} {
		if !strings.Contains(scr, want) {
			t.Errorf("seed 12: the progress does not say %q:\n%s", want, scr)
		}
	}
	j := a.job()
	if st := j.view().state; st != jobRunning {
		t.Fatalf("seed 12: the shrink of a noisy minute ended before esc (state %d): the test needs a longer one", st)
	}
	// Keys other than esc do not reach the run behind the overlay.
	var pos int64
	a.onApp(func() { pos = a.u.runner.Pos() })
	a.press('n')
	a.esc()
	select {
	case <-j.ended:
	case <-time.After(30 * time.Second):
		t.Fatal("seed 12: the shrink did not stop after esc")
	}
	scr = a.waitText("shrink cancelled after")
	if strings.Contains(scr, "shrink: running") {
		t.Errorf("the overlay is still up:\n%s", scr)
	}
	if v := j.view(); v.state != jobCancelled || v.res != nil {
		t.Errorf("state %d after esc, result %v", v.state, v.res != nil)
	}
	var now int64
	a.onApp(func() { now = a.u.runner.Pos() })
	if now != pos {
		t.Errorf("n under the shrink's overlay stepped the run: %d -> %d", pos, now)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("a cancelled shrink wrote %d files", len(files))
	}
}

// What m shrinks is the run on screen: the run's seed and strategy, the
// faults injected by hand as w would save them, and the file's
// expectations as written (w's saving would make them hold, and there
// would be no failure left).
func TestShrinkInputIsTheRunOnScreen(t *testing.T) {
	e, data, _ := scenarios.LibraryFile("stale-reply-virtio")
	sc, err := scenarios.Parse(e.File, data)
	if err != nil {
		t.Fatal(err)
	}
	rec := Recording{Seed: 3, Strategy: "delimited", Injected: []Injection{{Pos: 10, T: int64(2 * time.Second), Key: "r", Spec: fault.Spec{Kind: "restart-agent"}}}}
	got := rec.Scenario(sc)
	if got.Seed != 3 || got.Client.Strategy != "delimited" || got.NotesFor != "none" {
		t.Errorf("seed %d strategy %q notes-for %q", got.Seed, got.Client.Strategy, got.NotesFor)
	}
	if len(got.Faults) != 1 || got.Faults[0].Kind != "restart-agent" || *got.Faults[0].Trigger.At != 2*time.Second+1 {
		t.Errorf("faults %+v", got.Faults)
	}
	if got.Expect.Misattributed == nil || *got.Expect.Misattributed != 1 || len(got.Expect.Requests) != 1 {
		t.Errorf("the expectations changed: %+v", got.Expect)
	}
	if sc.Client.Strategy != "none" || len(sc.Faults) != 0 {
		t.Error("the scenario loaded was changed")
	}
}

// concurrent-callers-naive expects two callers to swap replies; at a seed
// where each gets its own, the failure is an absence, and the window
// warns, as qgasim shrink does, that the result says little.
func TestShrinkKeyWarnsOfAnAbsence(t *testing.T) {
	e, data, _ := scenarios.LibraryFile("concurrent-callers-naive")
	var seed uint64
	for s := uint64(1); s < 50 && seed == 0; s++ {
		if len(failed(runAt(t, data, s))) > 0 {
			seed = s
		}
	}
	if seed == 0 {
		t.Fatalf("%s passes at seeds 1-49; it is meant to fail at about half", e.File)
	}
	u, _ := libraryUI(t, "concurrent-callers-naive", seed, "", t.TempDir())
	a := startApp(t, u, 160, 48)
	a.press('m')
	scr := a.waitText("shrink: done")
	if !strings.Contains(scr, "warning: the failure is an absence") || !strings.Contains(scr, "shrunk, but the failure is an absence: see the warning") {
		t.Errorf("seed %d: no warning of an absence:\n%s", seed, scr)
	}
}
