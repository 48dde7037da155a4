package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/model"
)

func TestPlayPause(t *testing.T) {
	u := newTestUI(t, "none")
	if u.Playing() || u.runner.Pos() != 0 || u.overlay == nil {
		t.Fatalf("seed %d: not paused at the start with the description shown", testSeed)
	}
	press(u, " ")
	if !u.Playing() || u.overlay != nil {
		t.Fatal("space did not start playing and close the description")
	}
	u.Tick(2 * time.Second) // x1: two virtual seconds
	if now := u.runner.World().Now(); now != 2e9 {
		t.Errorf("seed %d: after 2 s at x1 the clock is at %d ns", testSeed, now)
	}
	pos := u.runner.Pos()
	if pos == 0 {
		t.Fatal("playing ran no event")
	}
	press(u, " ")
	u.Tick(time.Second)
	if u.Playing() || u.runner.Pos() != pos {
		t.Errorf("paused, yet the run moved from %d to %d events", pos, u.runner.Pos())
	}
	press(u, "++") // x5
	press(u, " ")
	u.Tick(time.Second)
	if now := u.runner.World().Now(); now != 7e9 {
		t.Errorf("seed %d: after 1 s at x5 the clock is at %d ns, want 7e9", testSeed, now)
	}
	for range 100 {
		u.Tick(time.Second)
	}
	if u.Playing() || !u.runner.Done() {
		t.Errorf("the run did not end and pause by itself")
	}
}

// n steps forward; b goes back to exactly the screen one step earlier, and
// g and G go to the start and the end.
func TestStepAndBack(t *testing.T) {
	u := newTestUI(t, "delimited")
	u.closeOverlay()
	var screens []string
	var pos []int64
	for range 12 {
		screens = append(screens, screenText(t, u, 160, 48))
		pos = append(pos, u.runner.Pos())
		press(u, "n")
		if u.runner.Pos() <= pos[len(pos)-1] {
			t.Fatalf("seed %d: n did not move forward from event %d", testSeed, pos[len(pos)-1])
		}
	}
	for i := len(screens) - 1; i >= 0; i-- {
		press(u, "b")
		if u.runner.Pos() != pos[i] {
			t.Fatalf("seed %d: b went to event %d, want %d", testSeed, u.runner.Pos(), pos[i])
		}
		if got := screenText(t, u, 160, 48); got != screens[i] {
			t.Fatalf("seed %d: screen after b differs from step %d's:\n%s\n---\n%s", testSeed, i, got, screens[i])
		}
	}
	press(u, "G")
	if !u.runner.Done() {
		t.Fatal("G did not run to the end")
	}
	end := u.runner.Pos()
	press(u, "g")
	if u.runner.Pos() != 0 || u.runner.World().Now() != 0 {
		t.Errorf("g went to event %d", u.runner.Pos())
	}
	press(u, "G")
	if u.runner.Pos() != end {
		t.Errorf("seed %d: the run ends at event %d the second time, %d the first", testSeed, u.runner.Pos(), end)
	}
}

func timelineHas(m *model.Model, who, text string) bool {
	for _, e := range m.Timeline {
		if e.Who == who && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

// Every manual fault key changes the run the way its help line says.
func TestManualFaults(t *testing.T) {
	for _, tc := range []struct {
		keys  string
		steps int // steps before the key
		check func(t *testing.T, m *model.Model)
	}{
		{"f", 0, func(t *testing.T, m *model.Model) {
			if m.H2A.Added != 1 || !timelineHas(m, "fault", "inject#1:inject on h2a: adds 1") {
				t.Errorf("h2a added %d", m.H2A.Added)
			}
		}},
		{"d", 0, func(t *testing.T, m *model.Model) {
			if m.H2A.Lost != 1 || !timelineHas(m, "fault", "inject#1:drop on h2a: drops 1") {
				t.Errorf("h2a lost %d", m.H2A.Lost)
			}
		}},
		{"D", 0, func(t *testing.T, m *model.Model) {
			if m.A2H.Lost != 1 {
				t.Errorf("a2h lost %d", m.A2H.Lost)
			}
		}},
		{"t", 0, func(t *testing.T, m *model.Model) {
			if m.A2H.Lost == 0 || !timelineHas(m, "fault", "inject#1:truncate on a2h: drops") {
				t.Errorf("a2h lost %d after a truncate", m.A2H.Lost)
			}
		}},
		{"r", 3, func(t *testing.T, m *model.Model) {
			if m.Agent.Restarts != 1 || m.Agent.Inc != 2 || !timelineHas(m, "agent", "process 2 opens the port") {
				t.Errorf("agent %+v", m.Agent)
			}
		}},
		{"R", 3, func(t *testing.T, m *model.Model) {
			if m.Agent.Restarts != 1 || !timelineHas(m, "fault", "inject#1:reboot") {
				t.Errorf("agent %+v", m.Agent)
			}
		}},
		{"c", 3, func(t *testing.T, m *model.Model) {
			if m.Client.Conn != 2 || !timelineHas(m, "host", "connection 1 closed") {
				t.Errorf("client %+v", m.Client)
			}
		}},
		{"z", 3, func(t *testing.T, m *model.Model) {
			if !m.Agent.Frozen || !timelineHas(m, "agent", "file systems are frozen") {
				t.Errorf("agent not frozen: %+v", m.Agent)
			}
		}},
	} {
		t.Run(tc.keys, func(t *testing.T) {
			u := newTestUI(t, "none")
			u.closeOverlay()
			press(u, strings.Repeat("n", tc.steps))
			press(u, tc.keys)
			if u.msgErr {
				t.Fatalf("seed %d: %s", testSeed, u.message)
			}
			if n := len(u.runner.Injected()); n != 1 {
				t.Fatalf("%d injections recorded", n)
			}
			press(u, "G")
			tc.check(t, u.runner.Model())
			// The injection is part of the run: going back and forth
			// replays it at the same event.
			want := screenText(t, u, 160, 48)
			press(u, "gG")
			if got := screenText(t, u, 160, 48); got != want {
				t.Errorf("seed %d: the run differs after g G:\n%s\n---\n%s", testSeed, got, want)
			}
		})
	}
}

// z freezes, and z again thaws the way an operator would: the host sends
// guest-fsfreeze-thaw on the channel.
func TestFreezeThaw(t *testing.T) {
	u := newTestUI(t, "none")
	u.closeOverlay()
	press(u, "nnnz")
	for i := 0; i < 50 && !u.runner.World().Agent().Frozen(); i++ {
		press(u, "n")
	}
	if !u.runner.World().Agent().Frozen() {
		t.Fatalf("seed %d: z did not freeze the guest", testSeed)
	}
	press(u, "z")
	for i := 0; i < 50 && u.runner.Model().Agent.Frozen; i++ {
		press(u, "n")
	}
	if u.runner.World().Agent().Frozen() || !timelineHas(u.runner.Model(), "agent", "file systems are thawed") {
		t.Errorf("seed %d: the second z did not thaw the guest", testSeed)
	}
}

// An injection made after stepping back replaces the old future's.
func TestInjectAfterBackReplacesFuture(t *testing.T) {
	u := newTestUI(t, "none")
	u.closeOverlay()
	press(u, "nnnnnr")
	press(u, "nnbbbbbb")
	press(u, "c")
	in := u.runner.Injected()
	if len(in) != 1 || in[0].Key != "c" {
		t.Fatalf("injections %+v", in)
	}
}

func TestSaveRecording(t *testing.T) {
	cfg, info := staleConfig("none")
	var got Recording
	u, err := New(Options{Config: cfg, Info: info, Save: func(r Recording) (Saved, error) { got = r; return Saved{Path: "out.yaml"}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	u.closeOverlay()
	press(u, "nnnr")
	at := u.runner.World().Now()
	press(u, "w")
	if u.msgErr || !strings.Contains(u.message, "saved to out.yaml") {
		t.Fatalf("message %q", u.message)
	}
	e := got.Entries()
	if len(e) != 1 || e[0].Spec.Kind != "restart-agent" || int64(e[0].At) != at+1 || got.Seed != testSeed {
		t.Errorf("recording %+v entries %+v", got, e)
	}
	u2, _ := New(Options{Config: cfg, Info: info})
	u2.HandleKey(key('w'))
	if !u2.msgErr {
		t.Error("w without a Save hook did not say so")
	}
}

// Mouse: a click on a byte opens its story; a click on a timeline entry
// jumps there; any click closes an overlay.
func TestMouse(t *testing.T) {
	u := newTestUI(t, "none")
	u.closeOverlay()
	press(u, "G")
	screenText(t, u, 160, 48) // lays the panes out
	h := u.root.MouseHandler()
	click := func(x, y int) {
		h(tview.MouseLeftClick, tcell.NewEventMouse(x, y, tcell.Button1, tcell.ModNone), func(tview.Primitive) {})
	}
	// Find a hex cell of the host pane on screen.
	screen := strings.Split(screenText(t, u, 160, 48), "\n")
	y := -1
	for i, l := range screen {
		if strings.Contains(l, "7b 22 65 78 65 63") && i < 25 {
			y = i
			break
		}
	}
	if y < 0 {
		t.Fatalf("no host bytes on screen:\n%s", strings.Join(screen, "\n"))
	}
	x := strings.Index(screen[y], "7b 22") // byte columns are ASCII here
	x = len([]rune(screen[y][:x]))
	click(x, y)
	if u.overlay == nil || !strings.Contains(u.overlay.GetTitle(), "story") {
		t.Fatal("a click on a byte opened no story")
	}
	story := strings.Join(u.overlay.lines, "\n")
	if !strings.Contains(story, "byte 0x7b") || !strings.Contains(story, "written at") {
		t.Errorf("story:\n%s", story)
	}
	click(x, y)
	if u.overlay != nil {
		t.Error("a click did not close the story")
	}
	// The timeline's first visible entry.
	tl := u.timeline
	_, ty, _, _ := tl.GetInnerRect()
	_, _, tw, th := tl.GetInnerRect()
	first := tl.window(tw, th)[0].e.Seq
	tx, _, _, _ := tl.GetInnerRect()
	click(tx+2, ty)
	if u.runner.Pos() < first || u.runner.Pos() >= u.runner.Model().Events+1 || u.runner.Done() {
		t.Errorf("jumped to %d, want the step of event %d", u.runner.Pos(), first)
	}
}

// docs/tui.md lists every key of the table.
func TestDocListsEveryKey(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "tui.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		name := "`" + k.Name + "`"
		if len(k.Name) > 1 {
			name = k.Name
		}
		if !strings.Contains(string(doc), name) {
			t.Errorf("docs/tui.md does not mention the key %s", name)
		}
	}
}

// Whatever a person does, the live run is the run the UI replays: after
// each key sequence, re-running to the same event gives the same screen.
func TestLiveRunEqualsReplay(t *testing.T) {
	for _, seq := range []string{
		"nnnrbnc",            // an injection replayed by stepping, then another at the same event
		"nnnnnfnnbbbbddnnnG", // back past an injection, a new one replaces it
		"nnzpnnnz",           // freeze, play a little, thaw
		"nnnnnnnnRpp",        // reboot and play
		"pDpp",               // play, drop an agent byte, play
		"nnnnrnnsnnbnsfnn",   // switch strategies around injections
	} {
		t.Run(seq, func(t *testing.T) {
			u := newTestUI(t, "delimited")
			u.closeOverlay()
			for _, c := range seq {
				if c == 'p' { // play 1 s of wall time at x1
					press(u, " ")
					u.Tick(time.Second)
					press(u, " ")
					continue
				}
				press(u, string(c))
			}
			u.message = ""
			pos := u.runner.Pos()
			live := screenText(t, u, 160, 48)
			if err := u.runner.JumpTo(pos); err != nil {
				t.Fatal(err)
			}
			replay := screenText(t, u, 160, 48)
			// The clock may stand past the last event after playing; the
			// header says so. Compare everything below it.
			cut := func(s string) string { return s[strings.Index(s, "\n"):] }
			if cut(live) != cut(replay) {
				t.Errorf("seed %d, keys %q: the replay at event %d differs from the live run\n--- live\n%s--- replay\n%s", testSeed, seq, pos, live, replay)
			}
		})
	}
}

// s re-runs the same seed with the next strategy to the same moment,
// keeping the faults injected by hand; the documented client does not hand
// the stale reply to the wrong caller.
func TestSwitchStrategy(t *testing.T) {
	u := newTestUI(t, "none")
	u.closeOverlay()
	press(u, "G")
	if v := u.runner.Model().Requests[1].Verdict(); !strings.HasPrefix(v, "MISATTRIBUTED") {
		t.Fatalf("seed %d: the naive client's #2: %s", testSeed, v)
	}
	press(u, "gnnnnnrnn")
	for u.runner.Strategy() != "delimited" {
		now := u.runner.Now()
		press(u, "s")
		if u.msgErr {
			t.Fatal(u.message)
		}
		if u.runner.Now() != now {
			t.Errorf("strategy %s: re-ran to %d, want %d", u.runner.Strategy(), u.runner.Now(), now)
		}
	}
	m := u.runner.Model()
	if m.Info.Strategy != "delimited" || !strings.Contains(screenText(t, u, 160, 48), "client delimited") {
		t.Errorf("the screen does not name the new strategy")
	}
	if len(u.runner.Injected()) != 1 || m.Agent.Restarts != 1 {
		t.Errorf("the restart by hand was not kept: %d injected, %d restarts", len(u.runner.Injected()), m.Agent.Restarts)
	}
	press(u, "G")
	for _, r := range u.runner.Model().Requests {
		if strings.HasPrefix(r.Verdict(), "MISATTRIBUTED") {
			t.Errorf("seed %d: the delimited client misattributed #%d", testSeed, r.Req)
		}
	}
	// Rewinding works on the new run.
	pos := u.runner.Pos()
	press(u, "bn")
	if u.runner.Pos() != pos {
		t.Errorf("b n went from %d to %d", pos, u.runner.Pos())
	}
}

// w warns when the saved file's expectations had to change.
func TestSaveWarnsOfChangedExpectations(t *testing.T) {
	cfg, info := staleConfig("none")
	u, err := New(Options{Config: cfg, Info: info, Save: func(Recording) (Saved, error) {
		return Saved{Path: "out.yaml", Changed: []string{"misattributed: 1, now 0"}}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	u.closeOverlay()
	press(u, "w")
	if !u.msgErr || !strings.Contains(u.message, "saved to out.yaml") || !strings.Contains(u.message, "misattributed: 1, now 0") {
		t.Errorf("message %q (warning %v)", u.message, u.msgErr)
	}
}
