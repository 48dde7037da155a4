package ui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Overlay is a bordered box of text drawn over the middle of the screen:
// the help, the story of a byte, the scenario's description at the start.
// Text longer than the box scrolls (arrows, page keys, the wheel).
type Overlay struct {
	*tview.Box
	lines       []string
	footer      string
	scroll      int  // wrapped lines scrolled off the top
	aboveLegend bool // placed over the byte panes only (the description)
	// modal: a click does not close it, and keys go to its owner (the
	// shrink's, which esc cancels while it runs).
	modal bool
	// tail shows the last lines until a key scrolls it (a shrink's
	// progress, newest at the bottom).
	tail bool
}

var _ tview.Primitive = (*Overlay)(nil)

// NewOverlay returns an overlay with a title, its lines and a footer hint.
func NewOverlay(title string, lines []string, footer string) *Overlay {
	o := &Overlay{Box: newBox().SetBorder(true).SetTitle(" " + title + " "), lines: lines, footer: footer}
	o.SetBorderColor(tcell.ColorYellow)
	return o
}

// Place centres the overlay in a screen area: as wide as its text needs
// (within the area), as high as its wrapped lines.
func (o *Overlay) Place(x, y, w, h int) {
	want := 0
	for _, l := range o.lines {
		want = max(want, len([]rune(l)))
	}
	ow := min(w-2, max(want+4, 40))
	n := len(o.wrapped(ow - 4))
	oh := min(h, n+3)
	o.SetRect(x+(w-ow)/2, y+(h-oh)/2, ow, oh)
}

// innerWidth is the width Draw wraps the text to.
func (o *Overlay) innerWidth() int {
	_, _, iw, _ := o.GetInnerRect()
	return iw - 2
}

func (o *Overlay) wrapped(w int) []string {
	var out []string
	for _, l := range o.lines {
		out = append(out, wrap(l, w)...)
	}
	return out
}

// ScrollKey scrolls the text for an arrow or page key and reports whether
// it was one.
func (o *Overlay) ScrollKey(ev *tcell.EventKey) bool {
	_, _, _, ih := o.GetInnerRect()
	page := max(1, ih-2)
	if o.tail {
		switch ev.Key() {
		case tcell.KeyUp, tcell.KeyDown, tcell.KeyPgUp, tcell.KeyPgDn, tcell.KeyHome:
			// Scroll from the lines on screen, and stop following.
			o.tail = false
			o.scroll = max(0, len(o.wrapped(o.innerWidth()))-max(0, ih-1))
		}
	}
	switch ev.Key() {
	case tcell.KeyUp:
		o.scroll = max(0, o.scroll-1)
	case tcell.KeyDown:
		o.scroll++
	case tcell.KeyPgUp:
		o.scroll = max(0, o.scroll-page)
	case tcell.KeyPgDn:
		o.scroll += page
	case tcell.KeyHome:
		o.scroll = 0
	default:
		return false
	}
	return true
}

// Draw draws the box and its text; when it does not fit, the footer says
// which lines are shown and how to scroll.
func (o *Overlay) Draw(screen tcell.Screen) {
	x, y, w, h := o.GetRect()
	for j := y; j < y+h; j++ {
		fill(screen, x, j, w, stDefault)
	}
	o.DrawForSubclass(screen, o)
	ix, iy, iw, ih := o.GetInnerRect()
	lines := o.wrapped(iw - 2)
	room := max(0, ih-1)
	if o.tail {
		o.scroll = len(lines)
	}
	o.scroll = min(o.scroll, max(0, len(lines)-room))
	for row := 0; row < room && o.scroll+row < len(lines); row++ {
		put(screen, ix+1, iy+row, iw-2, lines[o.scroll+row], stDefault)
	}
	footer := o.footer
	if len(lines) > room {
		footer = fmt.Sprintf("lines %d-%d of %d, arrows/PgUp/PgDn scroll  %s", o.scroll+1, min(len(lines), o.scroll+room), len(lines), footer)
	}
	if footer != "" {
		put(screen, ix+1, iy+ih-1, iw-2, footer, stDim)
	}
}
