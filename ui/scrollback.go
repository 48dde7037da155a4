package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// The panes that follow the newest content (ladder, timeline, requests,
// bytes) keep how far they are scrolled back from it: 0 follows, and each
// pane's draw clamps it to what there is. They scroll the same way, with
// these two.

// scrollKey moves *back for a key: up one, down one, a page of page lines
// with PgUp and PgDn (page 0: the page keys do nothing), and End back to
// following. It never goes below 0.
func scrollKey(back *int, k tcell.Key, page int) {
	switch k {
	case tcell.KeyUp:
		*back++
	case tcell.KeyDown:
		*back = max(0, *back-1)
	case tcell.KeyPgUp:
		*back += page
	case tcell.KeyPgDn:
		*back = max(0, *back-page)
	case tcell.KeyEnd:
		*back = 0
	}
}

// scrollWheel moves *back by lines for the mouse wheel and says whether
// the action was the wheel's.
func scrollWheel(back *int, action tview.MouseAction, lines int) bool {
	switch action {
	case tview.MouseScrollUp:
		*back += lines
	case tview.MouseScrollDown:
		*back = max(0, *back-lines)
	default:
		return false
	}
	return true
}

// wheelAndFocus is the mouse of a pane that only scrolls: inside the
// pane the wheel scrolls *back a line at a time and a click focuses it;
// anything else is left to others.
func wheelAndFocus(p interface {
	tview.Primitive
	InRect(x, y int) bool
}, back *int) func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !p.InRect(event.Position()) {
			return false, nil
		}
		switch {
		case scrollWheel(back, action, 1):
		case action == tview.MouseLeftClick:
			setFocus(p)
		default:
			return false, nil
		}
		return true, nil
	}
}
