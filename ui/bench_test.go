package ui

import (
	"strconv"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/ui/model"
)

// longConfig is a long, busy run: n guest-ping requests of the delimited
// client over a link that drops one agent byte in a thousand.
func longConfig(n int) (sim.Config, model.Info) {
	cfg, info := staleConfig("delimited")
	cfg.Duration = time.Hour
	cfg.Faults = []fault.Spec{{Kind: "drop", Dir: "a2h", Params: fault.Params{"p": fault.Num(0.001)}}}
	cfg.Steps = nil
	for range n {
		cfg.Steps = append(cfg.Steps, sim.Step{Send: &sim.Send{Execute: "guest-ping"}})
	}
	return cfg, info
}

// The view model stays bounded however long the run: the window of bytes,
// the timeline and the request table are capped.
func TestLongRunBounded(t *testing.T) {
	cfg, info := longConfig(3000)
	r, err := NewRunner(cfg, info, model.Limits{StreamBytes: 64 << 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.End()
	m := r.Model()
	if m.Events < 30000 {
		t.Fatalf("seed %d: only %d events", testSeed, m.Events)
	}
	var kept int
	for _, seg := range m.A2H.Segs {
		kept += len(seg.Bytes)
	}
	if kept > 64<<10 || len(m.Timeline) > 2*model.DefaultLimits.Timeline || len(m.Requests) > model.DefaultLimits.Requests {
		t.Errorf("seed %d: a2h keeps %d bytes, timeline %d, requests %d", testSeed, kept, len(m.Timeline), len(m.Requests))
	}
	if m.A2H.Written < 200000 || m.A2H.Lost == 0 {
		t.Errorf("seed %d: a2h written %d lost %d: not the busy run meant", testSeed, m.A2H.Written, m.A2H.Lost)
	}
}

// BenchmarkDrawLongRun is one frame of the main screen after a long run:
// the cost of a redraw must not grow with the run.
func BenchmarkDrawLongRun(b *testing.B) {
	for _, n := range []int{100, 3000} {
		b.Run("requests="+strconv.Itoa(n), func(b *testing.B) {
			cfg, info := longConfig(n)
			u, err := New(Options{Config: cfg, Info: info})
			if err != nil {
				b.Fatal(err)
			}
			u.closeOverlay()
			u.runner.End()
			s := tcell.NewSimulationScreen("UTF-8")
			if err := s.Init(); err != nil {
				b.Fatal(err)
			}
			s.SetSize(160, 48)
			u.Root().SetRect(0, 0, 160, 48)
			b.ResetTimer()
			for range b.N {
				u.Root().Draw(s)
			}
		})
	}
}

// BenchmarkPlayFrame is one play frame (50 ms of wall time at x10) in the
// middle of a long run.
func BenchmarkPlayFrame(b *testing.B) {
	cfg, info := longConfig(100000)
	u, err := New(Options{Config: cfg, Info: info})
	if err != nil {
		b.Fatal(err)
	}
	u.closeOverlay()
	u.speed = 8 // x10
	u.playing = true
	b.ResetTimer()
	for range b.N {
		u.Tick(frame)
	}
}

// BenchmarkBack is one step back after n requests: rewinding re-runs the
// World twice, so it grows with the run.
func BenchmarkBack(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run("requests="+strconv.Itoa(n), func(b *testing.B) {
			cfg, info := longConfig(n)
			r, err := NewRunner(cfg, info, model.Limits{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			r.End()
			end := r.Pos()
			b.ResetTimer()
			for range b.N {
				if err := r.JumpTo(end); err != nil {
					b.Fatal(err)
				}
				if err := r.Back(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
