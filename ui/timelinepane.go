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

func (p *TimelinePane) window(h int) []model.Entry {
	tl := p.model().Timeline
	p.scroll = min(p.scroll, max(0, len(tl)-h))
	end := len(tl) - p.scroll
	return tl[max(0, end-h):end]
}

var whoStyle = map[string]tcell.Style{
	"host": stLabel, "agent": tcell.StyleDefault.Foreground(tcell.ColorFuchsia), "client": stWarn,
	"link": stDim, "fault": stAlarm, "caller": stGood, "step": stTitle, "note": stNote,
}

// Draw draws the newest entries that fit.
func (p *TimelinePane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	for k, e := range p.window(h) {
		n := put(screen, x, y+k, w, padLeft(bytefmt.Time(e.T), 8)+"  ", stDim)
		st, ok := whoStyle[e.Who]
		if !ok {
			st = stDefault
		}
		n += put(screen, x+n, y+k, w-n, padRight(e.Who, 7)+" ", st)
		tst := stDefault
		if e.Alarm {
			tst = stAlarm
		}
		put(screen, x+n, y+k, w-n, e.Text, tst)
	}
}

// MouseHandler: click to jump, wheel to scroll.
func (p *TimelinePane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		mx, my := event.Position()
		if !p.InRect(mx, my) {
			return false, nil
		}
		switch action {
		case tview.MouseScrollUp:
			p.scroll++
		case tview.MouseScrollDown:
			p.scroll = max(0, p.scroll-1)
		case tview.MouseLeftClick:
			setFocus(p)
			_, y, _, h := p.GetInnerRect()
			win := p.window(h)
			if k := my - y; k >= 0 && k < len(win) && p.onJump != nil {
				p.onJump(win[k].Seq)
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
		switch event.Key() {
		case tcell.KeyUp:
			p.scroll++
		case tcell.KeyDown:
			p.scroll = max(0, p.scroll-1)
		case tcell.KeyPgUp:
			p.scroll += h
		case tcell.KeyPgDn:
			p.scroll = max(0, p.scroll-h)
		case tcell.KeyEnd:
			p.scroll = 0
		}
	})
}
