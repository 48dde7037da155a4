package ui

import (
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// frame is the wall time between two play updates.
const frame = 50 * time.Millisecond

// Run shows the UI on screen (nil: the terminal) until q. A ticker
// goroutine queues the play updates; everything else, and every access to
// the World, runs on tview's event goroutine.
func (u *UI) Run(screen tcell.Screen) error { return u.run(tview.NewApplication(), screen) }

func (u *UI) run(app *tview.Application, screen tcell.Screen) error {
	app.EnableMouse(true)
	if screen != nil {
		app.SetScreen(screen)
	}
	u.app = app
	app.SetRoot(u.root, true).SetFocus(u.root.Focused())
	app.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if u.HandleKey(ev) {
			u.playFlag.Store(u.playing)
			return nil
		}
		return ev
	})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(frame)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				dt := now.Sub(last)
				last = now
				if !u.playFlag.Load() {
					continue
				}
				app.QueueUpdateDraw(func() {
					u.Tick(dt)
					u.playFlag.Store(u.playing)
				})
			}
		}
	}()
	err := app.Run()
	close(stop)
	<-done
	return err
}
