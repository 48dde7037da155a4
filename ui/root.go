package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Root lays the panes out (Layout) on every draw, so a resize re-flows
// them; it routes keys to the focused pane and the mouse to the pane under
// it, and draws the current overlay on top.
type Root struct {
	*tview.Box
	panes     [numPanes]tview.Primitive
	focusable []tview.Primitive
	focus     int
	overlay   func() *Overlay
	close     func()
	mode      func() Mode
	rects     [numPanes]Rect // the last layout, relative to the root
}

var _ tview.Primitive = (*Root)(nil)

// NewRoot returns the root of the given panes.
func NewRoot(panes [numPanes]tview.Primitive, focusable []tview.Primitive, overlay func() *Overlay, closeOverlay func()) *Root {
	r := &Root{Box: newBox(), panes: panes, focusable: focusable, overlay: overlay, close: closeOverlay,
		mode: func() Mode { return Mode{} }}
	return r
}

// shown reports whether the layout gives a pane room.
func (r *Root) shown(p tview.Primitive) bool {
	for i, q := range r.panes {
		if q == p {
			return r.rects[i].W > 0 && r.rects[i].H > 0
		}
	}
	return false
}

// Draw lays out and draws every pane, then the overlay.
func (r *Root) Draw(screen tcell.Screen) {
	r.DrawForSubclass(screen, r)
	x, y, w, h := r.GetRect()
	rects := Layout(w, h, r.mode())
	r.rects = rects
	if !r.shown(r.focusable[r.focus]) {
		r.focus = r.nextShown(r.focus)
	}
	for i, p := range r.panes {
		rc := rects[i]
		p.SetRect(x+rc.X, y+rc.Y, rc.W, rc.H)
		if rc.W <= 0 || rc.H <= 0 {
			continue
		}
		if b, ok := p.(interface{ SetBorderColor(tcell.Color) *tview.Box }); ok {
			c := tcell.ColorGray
			if r.focusable[r.focus] == p {
				c = tcell.ColorWhite
			}
			b.SetBorderColor(c)
		}
		p.Draw(screen)
	}
	if o := r.overlay(); o != nil {
		if o.aboveLegend {
			// The scenario's description: over the byte panes, so that the
			// legend under them stays in view.
			lg := rects[paneLegend]
			o.Place(x, y+1, w, max(5, lg.Y-1))
		} else if o.modal {
			// The shrink's: the header above it names the run it shrinks,
			// the subtitle under it says what its keys did.
			o.Place(x, y+1, w, max(5, h-3))
		} else {
			o.Place(x, y, w, h)
		}
		o.Draw(screen)
	}
}

// nextShown is the next focusable pane after i that the layout shows.
func (r *Root) nextShown(i int) int {
	for k := 1; k <= len(r.focusable); k++ {
		j := (i + k) % len(r.focusable)
		if r.shown(r.focusable[j]) {
			return j
		}
	}
	return i
}

// Focused is the focused pane.
func (r *Root) Focused() tview.Primitive { return r.focusable[r.focus] }

// NextFocus moves the focus to the next pane.
func (r *Root) NextFocus(setFocus func(tview.Primitive)) {
	r.focus = r.nextShown(r.focus)
	setFocus(r.focusable[r.focus])
}

// Focus hands the focus to the focused pane.
func (r *Root) Focus(delegate func(p tview.Primitive)) { delegate(r.focusable[r.focus]) }

// HasFocus reports whether a pane of the root has the focus.
func (r *Root) HasFocus() bool {
	for _, p := range r.focusable {
		if p.HasFocus() {
			return true
		}
	}
	return r.Box.HasFocus()
}

// InputHandler passes keys to the focused pane.
func (r *Root) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return r.WrapInputHandler(func(event *tcell.EventKey, setFocus func(tview.Primitive)) {
		if o := r.overlay(); o != nil && o.ScrollKey(event) {
			return
		}
		if h := r.focusable[r.focus].InputHandler(); h != nil {
			h(event, setFocus)
		}
	})
}

// MouseHandler passes the mouse to the pane under it; a click with an
// overlay open closes the overlay.
func (r *Root) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return r.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !r.InRect(event.Position()) {
			return false, nil
		}
		if r.overlay() != nil && action == tview.MouseLeftClick {
			r.close()
			return true, nil
		}
		if o := r.overlay(); o != nil && o.InRect(event.Position()) {
			switch action {
			case tview.MouseScrollUp:
				o.scroll = max(0, o.scroll-1)
				return true, nil
			case tview.MouseScrollDown:
				o.scroll++
				return true, nil
			}
		}
		for i, p := range r.focusable {
			if !r.shown(p) {
				continue
			}
			if h := p.MouseHandler(); h != nil {
				if ok, c := h(action, event, func(q tview.Primitive) {
					r.focus = i
					setFocus(q)
				}); ok {
					return true, c
				}
			}
		}
		return false, nil
	})
}
