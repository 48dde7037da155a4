package ui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// AgentPane shows the agent process and its JSON parser: lexer state,
// nesting depth, the token being built, what is pending.
type AgentPane struct {
	*tview.Box
	model func() *model.Model
}

var _ tview.Primitive = (*AgentPane)(nil)

// NewAgentPane returns the agent pane.
func NewAgentPane(m func() *model.Model) *AgentPane {
	return &AgentPane{Box: newBox().SetBorder(true).SetTitle(" agent ").SetTitleAlign(tview.AlignLeft), model: m}
}

// AgentLines is the pane's text, one entry per line with its style: a pure
// function of the model so that it can be tested without a screen.
func AgentLines(m *model.Model) []Line {
	a, lv := m.Agent, m.Live
	proc := Line{Key: "process", Text: fmt.Sprintf("#%d running", a.Inc), Style: stGood}
	if !a.Running {
		proc.Text, proc.Style = "DOWN", stAlarm
		if a.DownUntil > 0 {
			proc.Text += " until " + bytefmt.Time(a.DownUntil)
		}
	}
	switch a.Restarts {
	case 0:
	case 1:
		proc.Text += ", 1 restart"
	default:
		proc.Text += fmt.Sprintf(", %d restarts", a.Restarts)
	}
	lines := []Line{proc}
	if a.Frozen {
		// Its own line: it is what guest-fsfreeze-status says, and the
		// reason most commands fail.
		lines = append(lines, Line{Key: "guest", Text: "FROZEN: only the allowlist runs", Style: stWarn})
	}
	if lv.Valid && a.Running {
		lines = append(lines,
			Line{Key: "lexer", Text: lv.Lex},
			Line{Key: "depth", Text: fmt.Sprintf("{ %d  [ %d", lv.Brace, lv.Bracket)},
			Line{Key: "token", Text: tokenText(lv.Token)},
			Line{Key: "pending", Text: fmt.Sprintf("%d bytes, %d tokens queued", lv.Pending, lv.Queued)},
		)
	} else {
		lines = append(lines, Line{Key: "parser", Text: a.Parser})
	}
	if a.LastReply != "" {
		lines = append(lines, Line{Key: "last", Text: a.LastReply, Style: stDim, Wrap: true})
	}
	return lines
}

func tokenText(tok []byte) string {
	if len(tok) == 0 {
		return "-"
	}
	return "`" + trace.Quote(tok) + "`"
}

// Draw draws the pane.
func (p *AgentPane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	drawLines(screen, p.Box, AgentLines(p.model()))
}

// ClientPane shows the client's resync state and one line of why.
type ClientPane struct {
	*tview.Box
	model func() *model.Model
}

var _ tview.Primitive = (*ClientPane)(nil)

// NewClientPane returns the client pane.
func NewClientPane(m func() *model.Model) *ClientPane {
	return &ClientPane{Box: newBox().SetBorder(true).SetTitleAlign(tview.AlignLeft), model: m}
}

// ClientLines is the pane's text.
func ClientLines(m *model.Model) []Line {
	c := m.Client
	st := stateStyle(c.State)
	conn := "closed"
	if c.Open {
		conn = fmt.Sprintf("connection %d open", c.Conn)
	}
	return []Line{
		{Key: "state", Text: c.State, Style: st},
		{Key: "why", Text: c.Why, Wrap: true},
		{Key: "since", Text: bytefmt.Time(c.Since) + "  " + conn, Style: stDim, Optional: true},
	}
}

// stateStyle colours a client state: green in sync, yellow while
// resyncing, red when it refuses to work.
func stateStyle(s string) tcell.Style {
	switch s {
	case "in sync", "idle":
		return stGood
	case "poisoned":
		return stAlarm
	case "disconnected":
		return stDim
	}
	return stWarn
}

// Draw draws the pane.
func (p *ClientPane) Draw(screen tcell.Screen) {
	m := p.model()
	p.SetTitle(" client: " + m.Info.Strategy + " ")
	p.DrawForSubclass(screen, p)
	drawLines(screen, p.Box, ClientLines(m))
}

// Line is one keyed line of a state pane.
type Line struct {
	Key      string
	Text     string
	Style    tcell.Style
	Wrap     bool // may take the rows the lines after it leave free
	Optional bool // left out when the pane is short, for a Wrap line's sake
	// Cells, when set, style the text rune by rune (the parser strip's
	// bytes); a Wrap line does not use it.
	Cells []tcell.Style
}

// drawLines draws keyed lines inside a box; a Wrap line takes the spare
// rows so that the why of the client reads in full where there is room.
func drawLines(screen tcell.Screen, b *tview.Box, lines []Line) {
	x, y, w, h := b.GetInnerRect()
	const kw = 8
	need, want := 0, 0
	for _, l := range lines {
		if !l.Optional {
			need++
		}
		if l.Wrap {
			want += len(wrap(strings.ReplaceAll(l.Text, "\n", " "), w-kw))
		} else {
			want++
		}
	}
	// No room for everything: optional lines go, the last first, until
	// the rest fits.
	drop := map[int]bool{}
	for i := len(lines) - 1; i >= 0 && want > h; i-- {
		if lines[i].Optional {
			drop[i] = true
			want--
		}
	}
	short := len(drop) > 0
	spare := h - len(lines) + len(drop)
	_ = need
	row := 0
	for i, l := range lines {
		if row >= h {
			break
		}
		if drop[i] && short {
			continue
		}
		put(screen, x, y+row, kw, l.Key, stDim)
		st := l.Style
		if st == (tcell.Style{}) {
			st = stDefault
		}
		text := strings.ReplaceAll(l.Text, "\n", " ")
		if l.Wrap {
			parts := wrap(text, w-kw)
			room := 1 + max(0, spare)
			if len(parts) > room {
				parts = parts[:room]
				last := []rune(parts[room-1])
				if len(last) > 0 {
					parts[room-1] = string(last[:len(last)-1]) + "…"
				}
			}
			for _, part := range parts {
				put(screen, x+kw, y+row, w-kw, part, st)
				row++
			}
			spare -= len(parts) - 1
			_ = i
			continue
		}
		if l.Cells != nil {
			for k, r := range []rune(text) {
				if k >= w-kw {
					break
				}
				cst := st
				if k < len(l.Cells) {
					cst = l.Cells[k]
				}
				screen.SetContent(x+kw+k, y+row, r, nil, cst)
			}
			row++
			continue
		}
		put(screen, x+kw, y+row, w-kw, text, st)
		row++
	}
}
