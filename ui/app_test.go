package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// The whole application on a simulation screen: keys through tcell's event
// loop, the play ticker, a resize, and q to quit.
func TestRunApp(t *testing.T) {
	u := newTestUI(t, "none")
	s := tcell.NewSimulationScreen("UTF-8")
	app := tview.NewApplication()
	done := make(chan error, 1)
	go func() { done <- u.run(context.Background(), app, s) }()
	// The simulation screen is read and resized on the application's
	// goroutine, between two draws.
	onApp := func(f func()) {
		ch := make(chan struct{})
		app.QueueUpdate(func() { f(); close(ch) })
		<-ch
	}
	screen := func() (c string) {
		onApp(func() { c = contents(s) })
		return c
	}
	resize := func(w, h int) {
		onApp(func() { s.SetSize(w, h) })
		s.PostEvent(tcell.NewEventResize(w, h))
	}
	waitFor := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if ok(screen()) {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("seed %d: no %s on screen:\n%s", testSeed, what, screen())
	}
	waitFor("paused header", func(c string) bool { return strings.Contains(c, "|| paused") })
	resize(160, 48)
	waitFor("the wide layout", func(c string) bool {
		lines := strings.Split(c, "\n")
		return len(lines) > 2 && strings.Contains(lines[1], "host -> agent") && strings.Contains(lines[1], "agent -> host")
	})
	s.InjectKey(tcell.KeyRune, '+', tcell.ModNone)
	s.InjectKey(tcell.KeyRune, '+', tcell.ModNone)
	s.InjectKey(tcell.KeyRune, '+', tcell.ModNone)
	s.InjectKey(tcell.KeyRune, '+', tcell.ModNone) // x100
	s.InjectKey(tcell.KeyRune, ' ', tcell.ModNone)
	waitFor("the end of the run", func(c string) bool { return strings.Contains(c, "[] ended") })
	resize(80, 24)
	waitFor("the narrow layout", func(c string) bool {
		lines := strings.Split(c, "\n")
		return len(lines) > 2 && strings.Contains(lines[1], "host -> agent") && !strings.Contains(lines[1], "agent -> host")
	})
	s.InjectKey(tcell.KeyRune, 'q', tcell.ModNone)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("q did not quit")
	}
	if !u.Quitted() || !u.runner.Done() {
		t.Errorf("quitted %v, done %v", u.Quitted(), u.runner.Done())
	}
}
