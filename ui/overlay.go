package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Overlay is a bordered box of text drawn over the middle of the screen:
// the help, the story of a byte, the scenario's description at the start.
type Overlay struct {
	*tview.Box
	lines  []string
	footer string
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
	n := 0
	for _, l := range o.lines {
		n += len(wrap(l, ow-4))
	}
	oh := min(h-2, n+4)
	o.SetRect(x+(w-ow)/2, y+(h-oh)/2, ow, oh)
}

// Draw draws the box and its text.
func (o *Overlay) Draw(screen tcell.Screen) {
	x, y, w, h := o.GetRect()
	for j := y; j < y+h; j++ {
		fill(screen, x, j, w, stDefault)
	}
	o.DrawForSubclass(screen, o)
	ix, iy, iw, ih := o.GetInnerRect()
	row := 0
	for _, l := range o.lines {
		for _, part := range wrap(l, iw-2) {
			if row >= ih-1 {
				break
			}
			put(screen, ix+1, iy+row, iw-2, part, stDefault)
			row++
		}
	}
	if o.footer != "" {
		put(screen, ix+1, iy+ih-1, iw-2, o.footer, stDim)
	}
}
