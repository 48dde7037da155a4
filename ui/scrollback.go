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
