package ui

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/ui/model"
)

// repeatConfig is longConfig's busy run with the program repeated, so that
// the configuration does not grow with n.
func repeatConfig(n int) (sim.Config, model.Info) {
	cfg, info := longConfig(1)
	cfg.Repeat = n
	return cfg, info
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// The TUI's memory does not grow with the run: after 40,000 requests the
// live heap of a Runner (World and view model) is that after 4,000.
func TestRunnerHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 40,000-request run")
	}
	heap := func(n int) uint64 {
		cfg, info := repeatConfig(n)
		r, err := NewRunner(cfg, info, model.Limits{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.End()
		h := liveHeap()
		runtime.KeepAlive(r)
		return h
	}
	small, big := heap(4_000), heap(40_000)
	t.Logf("live heap %d KB after 4,000 requests, %d KB after 40,000", small>>10, big>>10)
	if big > small+small/4+256<<10 {
		t.Errorf("the live heap grew from %d KB to %d KB", small>>10, big>>10)
	}
}

// The header says how far back the panes go once they dropped history,
// and not before; the window follows --history (model.Scaled).
func TestHeaderShowsHistory(t *testing.T) {
	cfg, info := repeatConfig(2_000)
	u, err := New(Options{Config: cfg, Info: info, Limits: model.Scaled(256)})
	if err != nil {
		t.Fatal(err)
	}
	u.closeOverlay()
	header := func() string { return strings.SplitN(screenText(t, u, 200, 40), "\n", 2)[0] }
	for range 20 {
		u.runner.Step()
	}
	if h := header(); strings.Contains(h, "history from") {
		t.Fatalf("history shown before anything was dropped: %q", h)
	}
	u.runner.End()
	h := u.runner.Model().History()
	if h.Whole || h.From <= 0 {
		t.Fatalf("after 2,000 requests with a window of 256 lines: %+v", h)
	}
	if got := header(); !strings.Contains(got, "history from t=") {
		t.Fatalf("header %q does not say how far back the panes go", got)
	}
	if l := model.Scaled(4096); l != model.DefaultLimits {
		t.Fatalf("Scaled(4096) = %+v, want the defaults %+v", l, model.DefaultLimits)
	}
}

// A run that reaches its budget says so on the subtitle line.
func TestBudgetShown(t *testing.T) {
	cfg, info := repeatConfig(100)
	cfg.MaxEvents = 500
	cfg.Faults = append(cfg.Faults, fault.Spec{Kind: "drop", Dir: "h2a", Trigger: fault.Trigger{Every: 1}})
	u, err := New(Options{Config: cfg, Info: info})
	if err != nil {
		t.Fatal(err)
	}
	u.closeOverlay()
	u.toEnd()
	if !errors.Is(u.runner.World().Err(), sim.ErrBudget) || !strings.Contains(u.message, "event budget of 500 reached") {
		t.Fatalf("message %q, err %v", u.message, u.runner.World().Err())
	}
}
