package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Legend names every byte colour, in the colour, plus the marker symbols.
type Legend struct{ *tview.Box }

var _ tview.Primitive = (*Legend)(nil)

// NewLegend returns the legend line.
func NewLegend() *Legend { return &Legend{Box: newBox()} }

// Draw draws the legend.
func (p *Legend) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, _ := p.GetInnerRect()
	name := bytefmt.Class.String
	full := 0
	for _, c := range bytefmt.Classes() {
		full += len(c.String()) + 2
	}
	if full > w {
		name = bytefmt.Class.Short
	}
	n := put(screen, x, y, w, " ", stDim)
	for _, c := range bytefmt.Classes() {
		n += put(screen, x+n, y, w-n, name(c), classStyle(c))
		n += put(screen, x+n, y, w-n, "  ", stDefault)
	}
	n += put(screen, x+n, y, w-n, "| ", stDim)
	n += put(screen, x+n, y, w-n, "✗", stAlarm)
	n += put(screen, x+n, y, w-n, " fault  ", stDim)
	n += put(screen, x+n, y, w-n, "R", stAlarm)
	n += put(screen, x+n, y, w-n, " restart  ", stDim)
	n += put(screen, x+n, y, w-n, "+/-", stAlarm)
	put(screen, x+n, y, w-n, " connect/close", stDim)
}

// NoteBar is the subtitle: the current step's note, or before the first
// note the scenario's description; a message (saved, injected) wins for a
// moment.
type NoteBar struct {
	*tview.Box
	text func() (string, tcell.Style)
}

var _ tview.Primitive = (*NoteBar)(nil)

// NewNoteBar returns the subtitle line.
func NewNoteBar(text func() (string, tcell.Style)) *NoteBar {
	return &NoteBar{Box: newBox(), text: text}
}

// Draw draws the subtitle.
func (p *NoteBar) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, _ := p.GetInnerRect()
	s, st := p.text()
	put(screen, x, y, w, " "+s, st)
}

// KeyBarPane is the bottom line, drawn from the key table.
type KeyBarPane struct {
	*tview.Box
	keys []Key
}

var _ tview.Primitive = (*KeyBarPane)(nil)

// NewKeyBarPane returns the key bar.
func NewKeyBarPane(keys []Key) *KeyBarPane { return &KeyBarPane{Box: newBox(), keys: keys} }

// Draw draws the bar; what does not fit is left out (the help has it all).
func (p *KeyBarPane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, _ := p.GetInnerRect()
	n := 1
	for _, k := range KeyBar(p.keys, w) {
		if n+len([]rune(k.Key))+len([]rune(k.Word))+1 > w {
			break
		}
		n += put(screen, x+n, y, w-n, k.Key, stKey)
		n += put(screen, x+n, y, w-n, " "+k.Word+"  ", stDim)
	}
}
