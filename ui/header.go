package ui

import (
	"fmt"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// Status is what the header shows besides the scenario.
type Status struct {
	Scenario  string
	Seed      uint64
	Transport string
	Strategy  string
	Now       int64
	Speed     float64
	// Live is a live session: time follows the wall clock at Speed, and
	// the UI's play speed does not apply.
	Live     bool
	Playing  bool
	Done     bool
	Event    int64 // events so far
	Injected int   // faults injected by hand
	Message  string
	// History is how far back the panes go; the header says it once they
	// have dropped their oldest lines.
	History model.History
}

// Header is the top line: scenario, seed, transport, client strategy,
// virtual time, speed, playing or paused.
type Header struct {
	*tview.Box
	status func() Status
}

var _ tview.Primitive = (*Header)(nil)

// NewHeader returns the header.
func NewHeader(status func() Status) *Header { return &Header{Box: newBox(), status: status} }

// Draw draws the header.
func (p *Header) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, _ := p.GetInnerRect()
	s := p.status()
	fill(screen, x, y, w, stHeader)
	state := "|| paused"
	speed := bytefmt.Speed(s.Speed)
	if s.Live {
		speed = "live " + speed
	}
	switch {
	case s.Done:
		state = "[] ended"
	case s.Playing:
		state = "> playing"
	}
	// Parts in the order shown, each with a priority: on a narrow screen
	// the least important go first, time and state stay.
	parts := []struct {
		text string
		prio int
	}{
		{" qgasim ", 2}, {s.Scenario, 4}, {fmt.Sprintf("seed %d", s.Seed), 3}, {s.Transport, 1},
		{"client " + s.Strategy, 2}, {"t=" + bytefmt.Time(s.Now) + "s", 9}, {speed, 6},
		{state, 9}, {fmt.Sprintf("ev %d", s.Event), 0},
	}
	if !s.History.Whole {
		parts = append(parts, struct {
			text string
			prio int
		}{"history from t=" + bytefmt.Time(s.History.From) + "s", 7})
	}
	if s.Injected > 0 {
		parts = append(parts, struct {
			text string
			prio int
		}{fmt.Sprintf("%d by hand", s.Injected), 5})
	}
	width := func(min int) int {
		n := 8 // "? help "
		for _, p := range parts {
			if p.prio >= min {
				n += len(p.text) + 2
			}
		}
		return n
	}
	cut := 0
	for cut < 9 && width(cut) > w {
		cut++
	}
	n := 0
	for i, part := range parts {
		if part.prio < cut {
			continue
		}
		st := stHeader
		if i == 0 || i == 7 {
			st = st.Bold(true)
		}
		n += put(screen, x+n, y, w-n, part.text, st)
		n += put(screen, x+n, y, w-n, "  ", stHeader)
	}
	help := "? help "
	if w-n > len(help) {
		put(screen, x+w-len(help), y, len(help), help, stHeader)
	}
}
