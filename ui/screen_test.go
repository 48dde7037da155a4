package ui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

var retrace = flag.Bool("retrace", false, "re-record the traces the golden screens are drawn from (testdata/*.jsonl)")

// The golden screens: what a person sees, as text. They are drawn from
// recorded traces (testdata/*.jsonl) so that a change in the simulation
// does not move them; -retrace records the traces again from the live
// World, -update rewrites the screens. Colours are tested by the class
// tests of bytefmt; these pin the layout and the words.
func TestGoldenScreens(t *testing.T) {
	for _, tc := range []struct {
		name, trace string
		w, h        int
		intro, help bool
	}{
		{"start_160x48", "empty", 160, 48, true, false},
		{"stale_end_160x48", "stale_end", 160, 48, false, false},
		{"stale_end_80x24", "stale_end", 80, 24, false, false},
		{"delimited_steps_160x48", "delimited_steps", 160, 48, false, false},
		{"restart_end_160x48", "restart_end", 160, 48, false, false},
		{"restart_end_80x24", "restart_end", 80, 24, false, false},
		{"help_100x30", "empty", 100, 30, false, true},
		{"help_80x24", "empty", 80, 24, false, true},
		{"why_flush_bytes_160x48", "why_flush", 160, 48, false, false},
		{"why_flush_bytes_80x24", "why_flush", 80, 24, false, false},
		{"why_flush_ladder_160x48", "why_flush", 160, 48, false, false},
		{"why_flush_ladder_80x24", "why_flush", 80, 24, false, false},
		{"why_intro_160x48", "why_flush", 160, 48, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, info := recorded(t, tc.trace)
			v := NewView(info, NewTraceSource(info, model.Limits{}, evs), Keys())
			if strings.Contains(tc.name, "_bytes_") {
				// Stepping by byte, the cursor on the read's first byte:
				// the 0xFF that ends the fragment.
				v.stepMode = StepByte
				v.setCursor(0)
			}
			v.ladder = strings.Contains(tc.name, "_ladder_")
			if tc.intro {
				v.Intro()
			}
			if tc.help {
				v.overlay = NewOverlay("keys", HelpLines(v.keys), "? or esc closes")
			}
			golden(t, tc.name, drawText(t, v.Root(), tc.w, tc.h))
		})
	}
}

// recorded reads a recorded trace, or with -retrace runs the World to
// record it first.
func recorded(t *testing.T, name string) ([]trace.Event, model.Info) {
	t.Helper()
	var cfg sim.Config
	var info model.Info
	steps := -1                  // to the end
	var until func(*Runner) bool // or until this holds
	switch name {
	case "empty":
		cfg, info = staleConfig("none")
		steps = 0
	case "stale_end":
		cfg, info = staleConfig("none")
	case "delimited_steps":
		cfg, info = staleConfig("delimited")
		steps = 10
	case "restart_end":
		cfg, info = restartConfig()
	case "why_flush":
		// why-0xff-first from the library, to the agent's read of the
		// 0xFF and the sync (its second read).
		_, data, _ := scenarios.LibraryFile("why-0xff-first")
		sc, err := scenarios.Parse("why-0xff-first.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		cfg = sc.Config
		info = model.Info{Scenario: sc.Name, Description: sc.Description, Seed: sc.Seed, Transport: sc.Transport, Strategy: sc.Client.Strategy}
		until = func(r *Runner) bool { rd, _ := r.Model().Parser(); return rd.Seq > 0 && rd.Off > 0 }
	default:
		t.Fatalf("no trace %q", name)
	}
	path := filepath.Join("testdata", name+".jsonl")
	if *retrace {
		r, err := NewRunner(cfg, info, model.Limits{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; steps < 0 || i < steps; i++ {
			if until != nil && until(r) {
				break
			}
			if !r.Step() {
				break
			}
		}
		cfg.Sink = nil
		w, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for int64(len(w.Trace())) < r.Pos() && w.Step() {
		}
		var buf bytes.Buffer
		if err := trace.WriteAll(&buf, w.Trace()); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (go test ./ui -retrace -update records it)", err)
	}
	defer f.Close()
	evs, err := trace.ReadAll(f)
	if err != nil {
		t.Fatalf("%s: %v (go test ./ui -retrace -update records it again)", path, err)
	}
	return evs, info
}

// Layout gives every pane it shows a place inside the screen, none
// overlapping, at every size from the smallest usable one up, in every
// mode: the ladder takes the byte panes' place, the parser strip is always
// there on a tall screen and on a short one when asked.
func TestLayoutFits(t *testing.T) {
	for _, mode := range []Mode{{}, {Strip: true}, {Ladder: true}, {Ladder: true, Strip: true}} {
		for w := 60; w <= 240; w += 7 {
			for h := 20; h <= 70; h += 3 {
				r := Layout(w, h, mode)
				cells := make([]int, w*h)
				for i, rc := range r {
					if rc == (Rect{}) {
						continue
					}
					if rc.W <= 0 || rc.H <= 0 || rc.X < 0 || rc.Y < 0 || rc.X+rc.W > w || rc.Y+rc.H > h {
						t.Fatalf("%dx%d %+v: pane %d at %+v is outside the screen", w, h, mode, i, rc)
					}
					for y := rc.Y; y < rc.Y+rc.H; y++ {
						for x := rc.X; x < rc.X+rc.W; x++ {
							if cells[y*w+x] != 0 {
								t.Fatalf("%dx%d %+v: pane %d overlaps pane %d at (%d,%d)", w, h, mode, i, cells[y*w+x]-1, x, y)
							}
							cells[y*w+x] = i + 1
						}
					}
				}
				shown := func(p int) bool { return r[p] != (Rect{}) }
				if mode.Ladder != shown(paneLadder) || mode.Ladder == shown(paneH2A) || mode.Ladder == shown(paneA2H) {
					t.Fatalf("%dx%d %+v: the ladder or the byte panes are wrong: %+v", w, h, mode, r)
				}
				if !mode.Ladder && (r[paneH2A].H < 4 || r[paneA2H].H < 4) {
					t.Errorf("%dx%d %+v: byte panes %d and %d rows high", w, h, mode, r[paneH2A].H, r[paneA2H].H)
				}
				tall := h-3 >= 40
				if shown(paneStrip) != (tall || mode.Strip) {
					t.Errorf("%dx%d %+v: strip shown %v", w, h, mode, shown(paneStrip))
				}
				if shown(paneStrip) && h >= 24 && r[paneStrip].H < 7 {
					t.Errorf("%dx%d %+v: the strip is %d rows high, too few for its bytes, lexer and story", w, h, mode, r[paneStrip].H)
				}
				for _, p := range []int{paneHeader, paneLegend, paneRequests, paneTimeline, paneNote, paneKeys} {
					if !shown(p) {
						t.Errorf("%dx%d %+v: pane %d not shown", w, h, mode, p)
					}
				}
			}
		}
	}
}

// A resize re-flows the panes: the same UI drawn at 160x48 puts the byte
// streams side by side, at 80x24 it stacks them, and every pane is still
// there with its title.
func TestResize(t *testing.T) {
	u := newTestUI(t, "none")
	u.closeOverlay()
	press(u, "nnnnnn")
	titles := []string{"host -> agent", "agent -> host", "agent", "client: none", "requests", "timeline"}
	for _, size := range [][2]int{{160, 48}, {80, 24}, {120, 40}, {160, 48}} {
		w, h := size[0], size[1]
		screen := screenText(t, u, w, h)
		lines := strings.Split(screen, "\n")
		if len(lines) != h+1 {
			t.Fatalf("%dx%d: %d lines", w, h, len(lines))
		}
		for _, title := range titles {
			if !strings.Contains(screen, "┌ "+title) && !strings.Contains(screen, "╔ "+title) {
				t.Errorf("%dx%d: no pane titled %q:\n%s", w, h, title, screen)
			}
		}
		side := strings.Contains(lines[1], "host -> agent") && strings.Contains(lines[1], "agent -> host")
		if side != (w >= 120) {
			t.Errorf("%dx%d: byte panes side by side = %v", w, h, side)
		}
		for i, l := range lines {
			if n := len([]rune(l)); n > w {
				t.Errorf("%dx%d: line %d is %d wide", w, h, i, n)
			}
		}
		if !strings.Contains(lines[0], "t=") || !strings.Contains(lines[h-1], "space") {
			t.Errorf("%dx%d: header or key bar missing:\n%s", w, h, screen)
		}
	}
	_ = fmt.Sprint()
}
