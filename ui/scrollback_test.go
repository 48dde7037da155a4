package ui

import (
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// The panes scroll back the same way: a line per arrow, a page per page
// key, End to follow again, never below 0; the request table takes no
// page keys, the byte panes' wheel moves three rows.
func TestPanesScrollBack(t *testing.T) {
	key := func(h func(*tcell.EventKey, func(tview.Primitive)), k tcell.Key) {
		h(tcell.NewEventKey(k, 0, tcell.ModNone), func(tview.Primitive) {})
	}
	wheel := func(h func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive), a tview.MouseAction) bool {
		ok, _ := h(a, tcell.NewEventMouse(2, 2, tcell.ButtonNone, tcell.ModNone), func(tview.Primitive) {})
		return ok
	}
	ladder := NewLadderPane(nil, nil)
	timeline := NewTimelinePane(nil)
	bytes := NewBytePane("host", nil)
	requests := NewRequestPane(nil)
	for _, c := range []struct {
		name    string
		box     interface{ SetRect(x, y, w, h int) }
		scroll  *int
		keys    func(*tcell.EventKey, func(tview.Primitive))
		mouse   func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive)
		page    int
		wheelBy int
	}{
		{"ladder", ladder, &ladder.scroll, ladder.InputHandler(), ladder.MouseHandler(), 8, 1},
		{"timeline", timeline, &timeline.scroll, timeline.InputHandler(), timeline.MouseHandler(), 8, 1},
		{"bytes", bytes, &bytes.scroll, bytes.InputHandler(), bytes.MouseHandler(), 8, 3},
		{"requests", requests, &requests.scroll, requests.InputHandler(), requests.MouseHandler(), 0, 1},
	} {
		c.box.SetRect(0, 0, 20, 10) // bordered: 8 inner rows
		steps := []struct {
			k    tcell.Key
			want int
		}{
			{tcell.KeyDown, 0}, {tcell.KeyUp, 1}, {tcell.KeyUp, 2}, {tcell.KeyPgUp, 2 + c.page},
			{tcell.KeyDown, 1 + c.page}, {tcell.KeyPgDn, 1}, {tcell.KeyPgDn, max(0, 1-c.page)}, {tcell.KeyUp, max(0, 1-c.page) + 1},
			{tcell.KeyEnd, 0},
		}
		for i, s := range steps {
			key(c.keys, s.k)
			if *c.scroll != s.want {
				t.Fatalf("%s, key %d (%v): scrolled back %d, want %d", c.name, i, s.k, *c.scroll, s.want)
			}
		}
		if !wheel(c.mouse, tview.MouseScrollUp) || *c.scroll != c.wheelBy {
			t.Fatalf("%s: wheel up: scrolled back %d, want %d", c.name, *c.scroll, c.wheelBy)
		}
		if !wheel(c.mouse, tview.MouseScrollDown) || !wheel(c.mouse, tview.MouseScrollDown) || *c.scroll != 0 {
			t.Fatalf("%s: wheel down twice: scrolled back %d, want 0", c.name, *c.scroll)
		}
		if wheel(c.mouse, tview.MouseMove) {
			t.Fatalf("%s: a mouse move taken as the pane's", c.name)
		}
	}
}

// A click in the ladder or the request table focuses it; a click or the
// wheel outside it is not its.
func TestScrollingPanesTakeFocus(t *testing.T) {
	ladder, requests := NewLadderPane(nil, nil), NewRequestPane(nil)
	for _, p := range []interface {
		tview.Primitive
		SetRect(x, y, w, h int)
	}{ladder, requests} {
		p.SetRect(10, 10, 20, 10)
		var focused tview.Primitive
		focus := func(f tview.Primitive) { focused = f }
		h := p.MouseHandler()
		if ok, _ := h(tview.MouseLeftClick, tcell.NewEventMouse(12, 12, tcell.Button1, tcell.ModNone), focus); !ok || focused != p {
			t.Fatalf("%T: a click inside: taken %v, focused %v", p, ok, focused)
		}
		focused = nil
		for _, a := range []tview.MouseAction{tview.MouseLeftClick, tview.MouseScrollUp} {
			if ok, _ := h(a, tcell.NewEventMouse(2, 2, tcell.Button1, tcell.ModNone), focus); ok || focused != nil {
				t.Fatalf("%T: action %v outside taken %v, focused %v", p, a, ok, focused)
			}
		}
	}
}
