package ui

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// frame is the wall time between two play updates.
const frame = 50 * time.Millisecond

// Run shows the UI on screen (nil: the terminal) until q, or until ctx is
// done, when it returns context.Cause(ctx): the caller cancels ctx on
// SIGTERM, SIGHUP or SIGINT. However it ends, the terminal is restored
// (the alternate screen left, cooked mode back): by tview's Stop on q and
// on ctx, and by tview's own recover on a panic, which Run then returns as
// an error, so that it is printed on the restored terminal.
//
// A ticker goroutine queues the play updates; everything else, and every
// access to the World, runs on tview's event goroutine.
func (u *UI) Run(ctx context.Context, screen tcell.Screen) error {
	return u.run(ctx, tview.NewApplication(), screen)
}

func (u *UI) run(ctx context.Context, app *tview.Application, screen tcell.Screen) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error (a bug: please report it with the scenario): %v\n%s", p, debug.Stack())
		}
	}()
	app.EnableMouse(true)
	if screen != nil {
		app.SetScreen(screen)
	}
	u.app = app
	defer u.cancelShrink()
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
	// Stop on ctx: at once if the screen is up, and queued for the
	// event loop in case it is not yet.
	go func() {
		select {
		case <-ctx.Done():
			app.Stop()
			app.QueueUpdate(app.Stop)
		case <-stop:
		}
	}()
	// On a panic, stop the goroutines but wait for none: the event loop
	// that would drain their queued updates is gone.
	stopOnce := sync.OnceFunc(func() { close(stop) })
	defer stopOnce()
	err = app.Run()
	stopOnce()
	<-done
	if err == nil && ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
