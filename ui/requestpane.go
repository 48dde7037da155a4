package ui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// RequestPane is the request table: id, command, when sent, outcome
// (misattributed, mixed, corrupted and timed-out rows in red), latency.
type RequestPane struct {
	*tview.Box
	model  func() *model.Model
	scroll int
}

var _ tview.Primitive = (*RequestPane)(nil)

// NewRequestPane returns the request table.
func NewRequestPane(m func() *model.Model) *RequestPane {
	return &RequestPane{Box: newBox().SetBorder(true).SetTitle(" requests ").SetTitleAlign(tview.AlignLeft), model: m}
}

// RequestRow formats one row for a table w columns wide.
func RequestRow(r *model.Request, w int) string {
	sent := "-"
	if r.Sent > 0 || r.Issued > 0 || r.Done {
		sent = bytefmt.Time(max(r.Sent, r.Issued))
	}
	verdict := r.Verdict()
	lat := r.Latency()
	if w < 60 {
		return fmt.Sprintf("%-3d %-14.14s %-18s %s", r.Req, r.Cmd, r.Short(), lat)
	}
	return fmt.Sprintf("%-3d %-22.22s %8s  %-31s %s", r.Req, r.Cmd, sent, verdict, lat)
}

func requestHead(w int) string {
	if w < 60 {
		return "#   command        outcome            latency"
	}
	return fmt.Sprintf("%-3s %-22s %8s  %-31s %s", "#", "command", "sent", "outcome", "latency")
}

// Draw draws the table, newest rows at the bottom.
func (p *RequestPane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	if h < 1 {
		return
	}
	put(screen, x, y, w, requestHead(w), stDim)
	reqs := p.model().Requests
	rows := h - 1
	p.scroll = min(p.scroll, max(0, len(reqs)-rows))
	end := len(reqs) - p.scroll
	start := max(0, end-rows)
	for k, r := range reqs[start:end] {
		st := stDefault
		switch {
		case r.Wrong():
			st = stAlarm
		case !r.Done:
			st = stWarn
		}
		put(screen, x, y+1+k, w, RequestRow(r, w), st)
	}
	if len(reqs) == 0 {
		put(screen, x, y+1, w, "(no request yet)", stDim)
	}
}

// InputHandler scrolls the table.
func (p *RequestPane) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return p.WrapInputHandler(func(event *tcell.EventKey, setFocus func(tview.Primitive)) {
		scrollKey(&p.scroll, event.Key(), 0) // 0: the table does not take the page keys
	})
}

// MouseHandler scrolls with the wheel.
func (p *RequestPane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(wheelAndFocus(p, &p.scroll))
}
