package ui

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

func recordedRun(t *testing.T) ([]trace.Event, model.Info) {
	t.Helper()
	cfg, info := restartConfig()
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	return append([]trace.Event(nil), w.Trace()...), info
}

// snapshot is what the panes show of a model, for comparing two folds.
func snapshot(m *model.Model) string {
	var b strings.Builder
	b.WriteString(m.Agent.Parser + "|" + m.Agent.LastReply + "|" + m.Client.State + "|")
	for _, r := range m.Requests {
		b.WriteString(r.Outcome + ",")
	}
	b.WriteString("|" + strconv.FormatInt(m.Events, 10) + "|" + strconv.Itoa(len(m.Timeline)))
	return b.String()
}

// A recorded trace steps forward and back to the same panes as a fold in
// one go, and a step is one moment (one virtual time).
func TestTracePlayerSteps(t *testing.T) {
	evs, info := recordedRun(t)
	whole := model.New(info, model.Limits{})
	for _, ev := range evs {
		whole.Apply(ev)
	}
	p := NewTracePlayer(info, model.Limits{}, evs)
	steps := 0
	for p.Step() {
		steps++
		if steps > len(evs) {
			t.Fatal("Step never ends")
		}
	}
	if !p.Done() || p.Pos() != int64(len(evs)) || snapshot(p.Model()) != snapshot(whole) {
		t.Fatalf("after stepping to the end: done %v, pos %d of %d\n%s\n%s", p.Done(), p.Pos(), len(evs), snapshot(p.Model()), snapshot(whole))
	}
	// Back three moments, forward three: the same panes.
	for range 3 {
		if err := p.Back(); err != nil {
			t.Fatal(err)
		}
	}
	if p.Done() {
		t.Fatal("done after stepping back")
	}
	for range 3 {
		p.Step()
	}
	if snapshot(p.Model()) != snapshot(whole) {
		t.Fatalf("back and forth:\n%s\n%s", snapshot(p.Model()), snapshot(whole))
	}
	// Jump to event 10: the end of its moment, the same as folding that far.
	if err := p.JumpTo(10); err != nil {
		t.Fatal(err)
	}
	part := model.New(info, model.Limits{})
	for _, ev := range evs[:p.Pos()] {
		part.Apply(ev)
	}
	if p.Pos() < 10 || evs[p.Pos()-1].T == evs[p.Pos()].T || !reflect.DeepEqual(snapshot(p.Model()), snapshot(part)) {
		t.Fatalf("jump: pos %d", p.Pos())
	}
	// Playing goes by virtual time.
	p.JumpTo(0)
	p.Advance(evs[len(evs)-1].T / 2)
	if p.Done() || p.Pos() == 0 || evs[p.Pos()-1].T > evs[len(evs)-1].T/2 {
		t.Fatalf("advance to half time: pos %d", p.Pos())
	}
}

// A live player follows what comes, and is done only when told.
func TestLivePlayerFollows(t *testing.T) {
	evs, info := recordedRun(t)
	half := len(evs) / 2
	p := NewLivePlayer(info, model.Limits{}, 16)
	for _, ev := range evs[:half] {
		p.Append(ev)
	}
	p.Advance(0)
	if p.Pos() != int64(half) || p.Done() {
		t.Fatalf("pos %d done %v", p.Pos(), p.Done())
	}
	for _, ev := range evs[half:] {
		p.Append(ev)
	}
	p.Finish()
	p.Advance(0)
	if !p.Done() || p.Pos() != int64(len(evs)) {
		t.Fatalf("pos %d of %d, done %v", p.Pos(), len(evs), p.Done())
	}
	// Bounded: it kept at most about 16 events for stepping back.
	if len(p.events) > 16+half {
		t.Errorf("kept %d events", len(p.events))
	}
	if err := p.Back(); err != nil {
		t.Fatal(err)
	}
}

// The UI on recorded events: stepping works; the keys that need the World
// say so.
func TestUIOnTrace(t *testing.T) {
	evs, info := recordedRun(t)
	u := NewPlayer(Options{Info: info}, NewTracePlayer(info, model.Limits{}, evs), false)
	press(u, "nnn")
	if u.player.Pos() == 0 {
		t.Fatal("n did not step")
	}
	press(u, "r")
	if !strings.Contains(u.message, "needs a scenario run") || !u.msgErr {
		t.Fatalf("r on a trace: %q", u.message)
	}
	press(u, "G")
	if !u.player.Done() {
		t.Fatal("G did not reach the end")
	}
	text := screenText(t, u, 160, 50)
	if !strings.Contains(text, "guest-ping") {
		t.Errorf("the screen does not show the run:\n%s", text)
	}
	// The key bar offers only what works on recorded events.
	if !strings.Contains(text, "space play  n step  b back") || !strings.Contains(text, "q quit") ||
		strings.Contains(text, "r restart") || strings.Contains(text, "w save") || strings.Contains(text, "s strategy") {
		t.Errorf("the key bar of a recorded trace:\n%s", text)
	}
}

// A live session's header says it is live and gives the session's speed,
// not the UI's play speed, which does not apply to it.
func TestLiveHeaderShowsTheSessionsSpeed(t *testing.T) {
	_, info := recordedRun(t)
	info.LiveSpeed = 10
	u := NewPlayer(Options{Info: info}, NewLivePlayer(info, model.Limits{}, 16), true)
	head := strings.SplitN(screenText(t, u, 160, 50), "\n", 2)[0]
	if !strings.Contains(head, "live x10") {
		t.Errorf("live header %q does not say live x10", head)
	}
	press(u, "+")
	if !strings.Contains(u.message, "its own speed, x10") {
		t.Errorf("+ in a live session says %q", u.message)
	}
	info.LiveSpeed = 0
	u = NewPlayer(Options{Info: info}, NewTracePlayer(info, model.Limits{}, nil), false)
	if head := strings.SplitN(screenText(t, u, 160, 50), "\n", 2)[0]; strings.Contains(head, "live") || !strings.Contains(head, "x1") {
		t.Errorf("a recording's header %q should show the UI's speed x1 and not say live", head)
	}
}
