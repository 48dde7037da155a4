package ui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/ladder"
	"github.com/qgasim/qgasim/ui/model"
)

// ladderFold is the ladder of the run so far and the oracle that judges
// its outcomes, folded from the same events as the view model (it is one
// of the model's Also), so that a rewind rebuilds it with the model.
type ladderFold struct {
	b   *ladder.Builder
	chk *check.Checker

	cached *ladder.Ladder
	at     int64 // events folded when cached was drawn
	n      int64
}

func (f *ladderFold) Apply(ev trace.Event) {
	f.b.Apply(ev)
	f.chk.Observe(&ev)
	f.n++
}

// Ladder is the picture of the run so far.
func (f *ladderFold) Ladder() *ladder.Ladder {
	if f.cached == nil || f.at != f.n {
		f.cached, f.at = f.b.Ladder(f.chk.Summary(true)), f.n
	}
	return f.cached
}

// newModel is a view model with the ladder folded along. The ladder keeps
// as many rows as the timeline keeps lines, and the oracle lists as many
// requests as the request table: both bounded by the limits (--history).
func newModel(info model.Info, l model.Limits) *model.Model {
	m := model.New(info, l)
	rows := l.Timeline
	if rows <= 0 {
		rows = model.DefaultLimits.Timeline
	}
	list := l.Requests
	if list <= 0 {
		list = model.DefaultLimits.Requests
	}
	m.Also = append(m.Also, &ladderFold{b: ladder.NewBuilder(info, ladder.Options{MaxRows: rows}),
		chk: check.NewChecker(check.Options{List: list})})
	return m
}

// ladderOf finds the ladder folded along a model (nil: none).
func ladderOf(m *model.Model) *ladderFold {
	for _, f := range m.Also {
		if lf, ok := f.(*ladderFold); ok {
			return lf
		}
	}
	return nil
}

// LadderPane draws the ladder diagram of the run so far in place of the
// byte panes: a column for the host, the link and the agent, time running
// down, the newest rows at the bottom. It follows the step: the rows the
// last step made are marked; scrolled back it stays where it is.
type LadderPane struct {
	*tview.Box
	model  func() *model.Model
	since  func() int64 // the last event before the last step
	scroll int          // lines up from the bottom
}

var _ tview.Primitive = (*LadderPane)(nil)

// NewLadderPane returns the ladder pane.
func NewLadderPane(m func() *model.Model, since func() int64) *LadderPane {
	return &LadderPane{Box: newBox().SetBorder(true).SetTitle(" ladder: ▸ the last step (l: back to the bytes) ").SetTitleAlign(tview.AlignLeft),
		model: m, since: since}
}

// ladderLine is one drawn line of the ladder and the row it belongs to.
type ladderLine struct {
	text string
	row  *ladder.Row
	sub  int // the line's place in its row (a step's note follows its title)
	head bool
}

// LadderLines lays the ladder out for a width: the header, then each
// row's lines.
func LadderLines(m *model.Model, w int) []ladderLine {
	lf := ladderOf(m)
	if lf == nil {
		return []ladderLine{{text: "no ladder for this view", head: true}}
	}
	lad := lf.Ladder()
	head, rows := ladder.TextLines(lad, ladder.TextOptions{Width: max(60, w)})
	out := make([]ladderLine, 0, len(head)+len(rows))
	for _, h := range head[1:] { // the header bar names the run already
		out = append(out, ladderLine{text: h, head: true})
	}
	for i, r := range rows {
		for k, ln := range r {
			out = append(out, ladderLine{text: ln, row: &lad.Rows[i], sub: k})
		}
	}
	return out
}

// Draw draws the newest lines that fit, the lanes' names on top.
func (p *LadderPane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	m := p.model()
	lines := LadderLines(m, w)
	var head []ladderLine
	for len(lines) > 0 && lines[0].head {
		head, lines = append(head, lines[0]), lines[1:]
	}
	for k, l := range head {
		if k < h {
			put(screen, x, y+k, w, l.text, stDim)
		}
	}
	body := h - len(head)
	if body <= 0 {
		return
	}
	if len(lines) == 0 {
		put(screen, x, y+len(head), w, "(nothing has happened yet: n steps, space plays)", stDim)
		return
	}
	p.scroll = min(p.scroll, max(0, len(lines)-body))
	end := len(lines) - p.scroll
	win := lines[max(0, end-body):end]
	from := p.since()
	for k, l := range win {
		st := stDefault
		r := l.row
		switch {
		case r.Kind == ladder.StepRow && l.sub > 0:
			st = stNote // the step's note
		case r.Kind == ladder.StepRow:
			st = stTitle
		case r.Alarm:
			st = stAlarm
		case r.Kind == ladder.ArrowRow:
			st = classStyle(r.Class)
		}
		if r.LastSeq > from && m.LastSeq > 0 {
			// The last step's rows: marked in the margin.
			put(screen, x, y+len(head)+k, 1, "▸", stWarn)
		}
		put(screen, x+1, y+len(head)+k, w-1, strings.TrimPrefix(l.text, " "), st)
	}
}

// InputHandler scrolls the ladder.
func (p *LadderPane) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return p.WrapInputHandler(func(event *tcell.EventKey, setFocus func(tview.Primitive)) {
		_, _, _, h := p.GetInnerRect()
		scrollKey(&p.scroll, event.Key(), h)
	})
}

// MouseHandler scrolls with the wheel.
func (p *LadderPane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(wheelAndFocus(p, &p.scroll))
}
