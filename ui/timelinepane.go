package ui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// TimelinePane lists what happened, newest at the bottom; a click on an
// entry jumps the run to that event.
type TimelinePane struct {
	*tview.Box
	model  func() *model.Model
	scroll int
	onJump func(seq int64)
}

var _ tview.Primitive = (*TimelinePane)(nil)

// NewTimelinePane returns the timeline.
func NewTimelinePane(m func() *model.Model) *TimelinePane {
	return &TimelinePane{Box: newBox().SetBorder(true).SetTitle(" timeline (click an event to jump to it) ").SetTitleAlign(tview.AlignLeft), model: m}
}

// SetJumpFunc sets what a click on an entry does.
func (p *TimelinePane) SetJumpFunc(f func(seq int64)) *TimelinePane { p.onJump = f; return p }

// tlLine is one drawn line of the timeline: an entry's first line, or a
// continuation of its text.
type tlLine struct {
	e     *model.Entry
	first bool
	text  string
}

// tlIndent is where an entry's text starts: after its time and who.
const tlIndent = 8 + 2 + 8

// window lays out the newest entries that fit h rows of width w, their
// text wrapped under itself, scrolled back by p.scroll entries.
func (p *TimelinePane) window(w, h int) []tlLine {
	tl := p.model().Timeline
	p.scroll = min(p.scroll, max(0, len(tl)-1))
	var out []tlLine
	for i := len(tl) - 1 - p.scroll; i >= 0 && len(out) < h; i-- {
		e := &tl[i]
		parts := wrap(e.Text, max(10, w-tlIndent))
		lines := make([]tlLine, len(parts))
		for k, part := range parts {
			lines[k] = tlLine{e: e, first: k == 0, text: part}
		}
		if len(out) > 0 && len(out)+len(lines) > h {
			break // whole entries only, but for the newest
		}
		out = append(lines, out...)
	}
	if len(out) > h {
		out = out[:h]
	}
	return out
}

var whoStyle = map[string]tcell.Style{
	"host": stLabel, "agent": tcell.StyleDefault.Foreground(tcell.ColorFuchsia), "client": stWarn,
	"link": stDim, "fault": stAlarm, "caller": stGood, "step": stTitle, "note": stNote,
}

// Draw draws the newest entries that fit.
func (p *TimelinePane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	for k, l := range p.window(w, h) {
		e := l.e
		if l.first {
			put(screen, x, y+k, w, padLeft(bytefmt.Time(e.T), 8)+"  ", stDim)
			st, ok := whoStyle[e.Who]
			if !ok {
				st = stDefault
			}
			put(screen, x+10, y+k, w-10, padRight(e.Who, 7)+" ", st)
		}
		tst := stDefault
		if e.Alarm {
			tst = stAlarm
		}
		put(screen, x+tlIndent, y+k, w-tlIndent, l.text, tst)
	}
}

// MouseHandler: click to jump, wheel to scroll.
func (p *TimelinePane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		mx, my := event.Position()
		if !p.InRect(mx, my) {
			return false, nil
		}
		switch {
		case scrollWheel(&p.scroll, action, 1):
		case action == tview.MouseLeftClick:
			setFocus(p)
			_, y, w, h := p.GetInnerRect()
			win := p.window(w, h)
			if k := my - y; k >= 0 && k < len(win) && p.onJump != nil {
				p.onJump(win[k].e.Seq)
			}
		default:
			return false, nil
		}
		return true, nil
	})
}

// InputHandler scrolls the timeline.
func (p *TimelinePane) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return p.WrapInputHandler(func(event *tcell.EventKey, setFocus func(tview.Primitive)) {
		_, _, _, h := p.GetInnerRect()
		scrollKey(&p.scroll, event.Key(), h)
	})
}
