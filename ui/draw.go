package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/internal/termsafe"
)

// put draws s at (x, y), clipped to w columns, and returns the columns used.
// Every rune takes one column: the UI draws ASCII and a few one-column
// symbols only, and shows other bytes as a dot. Control characters are
// escaped (termsafe.Line): tcell writes a cell's text to the terminal as it
// is, and s may come from a scenario (a name, a note, a reply).
func put(screen tcell.Screen, x, y, w int, s string, st tcell.Style) int {
	n := 0
	for _, r := range termsafe.Line(s) {
		if n >= w {
			break
		}
		screen.SetContent(x+n, y, r, nil, st)
		n++
	}
	return n
}

// fill paints w columns at (x, y) with spaces.
func fill(screen tcell.Screen, x, y, w int, st tcell.Style) {
	for i := 0; i < w; i++ {
		screen.SetContent(x+i, y, ' ', nil, st)
	}
}

// wrap splits s into lines of at most w columns, at spaces where it can.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	rs := []rune(s)
	for len(rs) > w {
		cut := w
		for i := w; i > w/2; i-- {
			if rs[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, string(rs[:cut]))
		rs = rs[cut:]
		for len(rs) > 0 && rs[0] == ' ' {
			rs = rs[1:]
		}
	}
	if len(rs) > 0 || len(out) == 0 {
		out = append(out, string(rs))
	}
	return out
}

// padRight pads or cuts s to exactly w columns.
func padRight(s string, w int) string {
	rs := []rune(s)
	if len(rs) >= w {
		return string(rs[:w])
	}
	for len(rs) < w {
		rs = append(rs, ' ')
	}
	return string(rs)
}

// Styles shared by the panes.
var (
	stDefault = tcell.StyleDefault
	stDim     = tcell.StyleDefault.Foreground(tcell.ColorGray)
	stLabel   = tcell.StyleDefault.Foreground(tcell.ColorTeal)
	stTitle   = tcell.StyleDefault.Foreground(tcell.ColorWhite).Bold(true)
	stAlarm   = tcell.StyleDefault.Foreground(tcell.ColorRed).Bold(true)
	stWarn    = tcell.StyleDefault.Foreground(tcell.ColorYellow)
	stGood    = tcell.StyleDefault.Foreground(tcell.ColorLime)
	stNote    = tcell.StyleDefault.Foreground(tcell.ColorYellow).Italic(true)
	stHeader  = tcell.StyleDefault.Foreground(tcell.ColorBlack).Background(tcell.ColorTeal)
	stKey     = tcell.StyleDefault.Foreground(tcell.ColorYellow).Bold(true)
	stMarker  = tcell.StyleDefault.Foreground(tcell.ColorRed)
)

// newBox is a Box on the terminal's own background: tview's default is
// black, which would show between the cells on a light or tinted terminal.
func newBox() *tview.Box { return tview.NewBox().SetBackgroundColor(tcell.ColorDefault) }
