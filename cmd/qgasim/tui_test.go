package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

const tuiScenario = `version: 1
name: tui-save
description: |
  A slow guest-info, a restart by hand.
seed: 5
duration: 30s
transport: virtio-serial
agent:
  latency:
    guest-info: 3s
client:
  strategy: delimited
  timeout: 5s
steps:
  - send: guest-info
    note: slow
  - send: guest-ping
  - sleep: 2s
  - send: guest-get-time
`

// runLines is what a run shows in its timeline, millisecond by
// millisecond: the same events in each millisecond, with fault names made
// equal (by hand "inject#1:restart-agent", in the file "restart-agent#1").
// Inside one instant the order may differ: a fault by hand fires after the
// actions the person stepped through, the saved one 1 ns after all of them.
func runLines(m *model.Model) []string {
	name := regexp.MustCompile(`inject#\d+:([a-z-]+)|([a-z-]+)#\d+`)
	var out []string
	for _, e := range m.Timeline {
		out = append(out, bytefmt.Time(e.T)+" "+e.Who+" "+name.ReplaceAllString(e.Text, "$1$2#N"))
	}
	sort.Strings(out) // a canonical order: equal lists mean the same events in each millisecond
	return out
}

// savingUI writes tuiScenario to a temporary directory and opens it in the
// UI as 'qgasim tui' does, with w saving next to it.
func savingUI(t *testing.T) (*ui.UI, string, *scenarios.Scenario, sim.Config, model.Info) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte(tuiScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	info := model.Info{Scenario: sc.Name, Seed: cfg.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	u, err := ui.New(ui.Options{Config: cfg, Info: info, Save: saveRun(scenarioArg{arg: path, path: path}, sc)})
	if err != nil {
		t.Fatal(err)
	}
	return u, dir, sc, cfg, info
}

// replaySaved loads a saved scenario, runs it to the end and returns it
// with the run's lines (runLines).
func replaySaved(t *testing.T, path string, info model.Info) (*scenarios.Scenario, []string) {
	t.Helper()
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ui.NewRunner(cfg, info, model.Limits{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.End()
	return sc, runLines(r.Model())
}

// w saves the run with the faults injected by hand, and the saved file
// reproduces the run.
func TestTUISaveReproduces(t *testing.T) {
	u, dir, _, cfg, info := savingUI(t)
	keys := func(s string) {
		for _, r := range s {
			u.HandleKey(tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone))
		}
	}
	keys("nnnnnnnnnnnnr") // a restart while guest-info runs
	keys("nnnnnf")
	keys("G")
	want := runLines(u.Runner().Model())
	keys("w")
	saved := filepath.Join(dir, "s-by-hand-1.yaml")
	if _, err := os.Stat(saved); err != nil {
		t.Fatalf("seed %d: w wrote no file: %v", cfg.Seed, err)
	}
	sc2, got := replaySaved(t, saved, info)
	if len(sc2.Faults) != 2 {
		t.Fatalf("saved %d faults", len(sc2.Faults))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("seed %d: the saved file runs differently\n--- saved\n%s\n--- by hand\n%s", cfg.Seed, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(strings.Join(want, "\n"), "fault restart-agent#N") {
		t.Errorf("the run has no restart:\n%s", strings.Join(want, "\n"))
	}
	// qgasim run takes the file.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", saved}, &stdout, &stderr); code == exitBadInput {
		t.Errorf("qgasim run %s: exit %d: %s", saved, code, stderr.String())
	}
}

// After s, w saves the strategy the run ended with.
func TestTUISaveStrategy(t *testing.T) {
	u, dir, sc, cfg, info := savingUI(t)
	for _, r := range "nnnsG" {
		u.HandleKey(tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone))
	}
	strategy := u.Runner().Strategy()
	if strategy == sc.Client.Strategy {
		t.Fatal("s did not change the strategy")
	}
	want := runLines(u.Runner().Model())
	u.HandleKey(tcell.NewEventKey(tcell.KeyRune, 'w', tcell.ModNone))
	sc2, got := replaySaved(t, filepath.Join(dir, "s-by-hand-1.yaml"), info)
	if sc2.Client.Strategy != strategy || sc2.Client.Options.Timeout != sc.Client.Options.Timeout {
		t.Errorf("saved strategy %q timeout %v, want %q %v", sc2.Client.Strategy, sc2.Client.Options.Timeout, strategy, sc.Client.Options.Timeout)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("seed %d: the saved %s run differs from the one on screen", cfg.Seed, strategy)
	}
}

func TestTUIBadInput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"tui"}, &stdout, &stderr); code != exitBadInput {
		t.Errorf("no file: exit %d", code)
	}
	if code := run([]string{"tui", filepath.Join(t.TempDir(), "missing.yaml")}, &stdout, &stderr); code != exitBadInput {
		t.Errorf("missing file: exit %d", code)
	}
}

// w on a library scenario, which has no directory of its own, saves in the
// current directory, and the library is left as it is.
func TestTUISaveLibraryScenario(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	src, sc, cfg, ok := loadScenario("stale-reply-virtio", nil, new(bytes.Buffer))
	if !ok || src.library == nil {
		t.Fatalf("stale-reply-virtio is not found in the library (%+v)", src)
	}
	info := model.Info{Scenario: sc.Name, Seed: cfg.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	u, err := ui.New(ui.Options{Config: cfg, Info: info, Save: saveRun(src, sc)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "nnnrGw" {
		u.HandleKey(tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone))
	}
	saved, err := scenarios.Load(filepath.Join(dir, "stale-reply-virtio-by-hand-1.yaml"))
	if err != nil {
		t.Fatalf("w on a library scenario: %v", err)
	}
	if len(saved.Faults) != len(sc.Faults)+1 {
		t.Errorf("saved %d faults, want the file's %d and the restart by hand", len(saved.Faults), len(sc.Faults))
	}
}

// The shrink key's w writes the minimal scenario beside the file it comes
// from through the writer w uses: FILE-min-N.yaml, the first N free, never
// over a file the user has.
func TestTUIShrinkWritesBeside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	// tuiScenario with an expectation the run breaks: the slow guest-info
	// is answered, so "lost: 1" fails.
	if err := os.WriteFile(path, []byte(tuiScenario+"expect:\n  lost: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(dir, "s-min-1.yaml")
	if err := os.WriteFile(mine, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, sc, cfg, ok := loadScenario(path, nil, new(bytes.Buffer))
	if !ok {
		t.Fatal("the scenario does not load")
	}
	info := model.Info{Scenario: sc.Name, Seed: cfg.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
	u, err := ui.New(ui.Options{Config: cfg, Info: info, Save: saveRun(src, sc), Scenario: sc, Write: scenarioWriter(src)})
	if err != nil {
		t.Fatal(err)
	}
	screen := tcell.NewSimulationScreen("UTF-8")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- u.Run(ctx, screen) }()
	// Keys reach the screen once the application has initialised it.
	for w, _ := screen.Size(); w == 0; w, _ = screen.Size() {
		time.Sleep(10 * time.Millisecond)
	}
	screen.InjectKey(tcell.KeyRune, 'm', tcell.ModNone)
	want := filepath.Join(dir, "s-min-2.yaml")
	// w does nothing until the shrink is done, and once it has written,
	// says so and writes nothing more.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(want); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("seed %d: no %s after m and w", cfg.Seed, want)
		}
		screen.InjectKey(tcell.KeyRune, 'w', tcell.ModNone)
		time.Sleep(50 * time.Millisecond)
	}
	screen.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(mine); string(got) != "mine\n" {
		t.Errorf("%s was overwritten: %q", mine, got)
	}
	min, err := scenarios.Load(want)
	if err != nil {
		t.Fatal(err)
	}
	if min.Expect.Lost == nil || *min.Expect.Lost != 1 || !strings.Contains(min.Comment, "Shrunk by qgasim shrink from") {
		t.Errorf("seed %d: the minimal scenario: expect %+v, comment %q", cfg.Seed, min.Expect, min.Comment)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 3 {
		t.Errorf("%d files in the directory, want s.yaml, s-min-1.yaml (the user's) and s-min-2.yaml", len(files))
	}
}
