package ui

import (
	"fmt"
	"strconv"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// BytePane shows one direction of the link: each write as a header line
// (time, label, length) and rows of hex and text, every byte in the colour
// of its class; fault, restart and connection markers between them. It
// follows the newest bytes unless scrolled back.
type BytePane struct {
	*tview.Box
	dir    string
	model  func() *model.Model
	scroll int // rows up from the bottom; 0 follows the stream
	onByte func(s *model.Stream, seg *model.Segment, i int)
}

var _ tview.Primitive = (*BytePane)(nil)

// NewBytePane returns a pane for direction dir ("h2a" or "a2h").
func NewBytePane(dir string, m func() *model.Model) *BytePane {
	title := " host -> agent "
	if dir == "a2h" {
		title = " agent -> host "
	}
	p := &BytePane{Box: newBox().SetBorder(true).SetTitle(title).SetTitleAlign(tview.AlignLeft), dir: dir, model: m}
	return p
}

// SetByteFunc sets what a click on a byte does.
func (p *BytePane) SetByteFunc(f func(s *model.Stream, seg *model.Segment, i int)) *BytePane {
	p.onByte = f
	return p
}

// row is one drawn line: a segment's header, a row of its bytes
// [from, to), or a fold standing for many rows of bytes of one class.
type row struct {
	seg      *model.Segment
	header   bool
	fold     bool
	from, to int
}

// foldMin is the shortest run of same-class rows that is folded: a long
// reply that was delivered whole, or the thousands of bytes a restart
// never let the agent write, become one line, so that the pane shows the
// shape of the stream rather than a screenful of one colour.
const foldMin = 6

// rowsOf lays a segment out in rows of per bytes, folding long runs of
// rows whose bytes all have one class (keeping the first and last row).
func rowsOf(seg *model.Segment, per int) []row {
	if seg.Kind == model.SegMarker {
		return []row{{seg: seg, header: true}}
	}
	out := []row{{seg: seg, header: true}}
	n := len(seg.Bytes)
	uniform := func(from int) (bytefmt.Class, bool) {
		c := seg.Class(from)
		for i := from + 1; i < min(from+per, n); i++ {
			if seg.Class(i) != c {
				return c, false
			}
		}
		return c, true
	}
	for from := 0; from < n; {
		c, ok := uniform(from)
		run := 1
		if ok {
			for next := from + run*per; next < n; next = from + run*per {
				c2, ok2 := uniform(next)
				if !ok2 || c2 != c || min(next+per, n)-next < per {
					break
				}
				run++
			}
		}
		if run >= foldMin {
			end := from + run*per
			out = append(out, row{seg: seg, from: from, to: from + per})
			out = append(out, row{seg: seg, fold: true, from: from + per, to: end - per})
			out = append(out, row{seg: seg, from: end - per, to: end})
			from = end
			continue
		}
		for k := 0; k < run; k++ {
			out = append(out, row{seg: seg, from: from, to: min(from+per, n)})
			from += per
		}
	}
	return out
}

// visible returns the rows that fit in h lines, ending scroll rows above
// the newest, and clamps scroll to the content. It lays out segments from
// the newest back only as far as the window reaches, so a redraw costs the
// same however much history the stream keeps.
func (p *BytePane) visible(s *model.Stream, per, h int) []row {
	need := p.scroll + h
	var rev [][]row // laid-out segments, newest first
	got := 0
	for i := len(s.Segs) - 1; i >= 0 && got < need; i-- {
		rs := rowsOf(s.Segs[i], per)
		rev = append(rev, rs)
		got += len(rs)
	}
	all := make([]row, 0, got)
	for i := len(rev) - 1; i >= 0; i-- {
		all = append(all, rev[i]...)
	}
	if got < need {
		p.scroll = max(0, got-h)
	}
	end := len(all) - p.scroll
	return all[max(0, end-h):end]
}

// Draw draws the pane.
func (p *BytePane) Draw(screen tcell.Screen) {
	p.DrawForSubclass(screen, p)
	x, y, w, h := p.GetInnerRect()
	m := p.model()
	s := m.Stream(p.dir)
	per := bytefmt.PerRow(w)
	rows := p.visible(s, per, h)
	if len(rows) == 0 {
		put(screen, x, y, w, "(nothing written yet)", stDim)
	}
	// A write that began above the window keeps its header on the top
	// row, so that the bytes on screen always say whose they are.
	if len(rows) > 1 && !rows[0].header {
		rows[0] = row{seg: rows[0].seg, header: true}
	}
	for k, r := range rows {
		p.drawRow(screen, x, y+k, w, r, per)
	}
	if p.scroll > 0 {
		put(screen, x+w-10, y+h, 10, "[scrolled]", stWarn)
	}
}

func (p *BytePane) drawRow(screen tcell.Screen, x, y, w int, r row, per int) {
	seg := r.seg
	t := padLeft(bytefmt.Time(seg.T), bytefmt.TimeWidth)
	switch {
	case seg.Kind == model.SegMarker:
		n := put(screen, x, y, w, t+" ", stDim)
		n += put(screen, x+n, y, w-n, string(seg.Glyph)+" ", stAlarm)
		put(screen, x+n, y, w-n, seg.Label, stMarker)
	case r.header:
		n := put(screen, x, y, w, t+" ", stDim)
		label := seg.Label
		if label == "" {
			label = "bytes"
		}
		st := stLabel
		if seg.Kind == model.SegAdded {
			st = classStyle(bytefmt.Duplicated)
		}
		n += put(screen, x+n, y, w-n, label, st)
		put(screen, x+n, y, w-n, " · "+bytefmt.Count(int64(len(seg.Bytes)))+" bytes", stDim)
	case r.fold:
		c := seg.Class(r.from)
		n := put(screen, x, y, w, padLeft("", bytefmt.TimeWidth)+" ", stDim)
		put(screen, x+n, y, w-n, fmt.Sprintf("⋯ %s more bytes %s ⋯", bytefmt.Count(int64(r.to-r.from)), c), classStyle(c))
	default:
		if seg.Off >= 0 {
			put(screen, x, y, w, padLeft("+"+strconv.FormatInt(seg.Off+int64(r.from), 10), bytefmt.TimeWidth), stDim)
		}
		for i := r.from; i < r.to; i++ {
			st := classStyle(seg.Class(i))
			if hx := bytefmt.HexColumn(i - r.from); hx+2 <= w {
				put(screen, x+hx, y, 2, bytefmt.Hex(seg.Bytes[i]), st)
			}
			if tx := bytefmt.TextColumn(i-r.from, per); tx < w {
				screen.SetContent(x+tx, y, bytefmt.Text(seg.Bytes[i]), nil, st)
			}
		}
	}
}

// MouseHandler maps a click to the byte under it and the wheel to scrolling.
func (p *BytePane) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		mx, my := event.Position()
		if !p.InRect(mx, my) {
			return false, nil
		}
		if scrollWheel(&p.scroll, action, 3) {
			return true, nil
		}
		if action == tview.MouseLeftClick {
			setFocus(p)
			p.click(mx, my)
			return true, nil
		}
		return false, nil
	})
}

func (p *BytePane) click(mx, my int) {
	x, y, w, h := p.GetInnerRect()
	if mx < x || my < y || my >= y+h || p.onByte == nil {
		return
	}
	s := p.model().Stream(p.dir)
	per := bytefmt.PerRow(w)
	rows := p.visible(s, per, h)
	k := my - y
	if k >= len(rows) || rows[k].header || rows[k].fold || (k == 0 && len(rows) > 1) {
		return // the top row is drawn as its segment's header
	}
	r := rows[k]
	i, ok := bytefmt.ByteAt(mx-x, per)
	if !ok || r.from+i >= r.to {
		return
	}
	p.onByte(s, r.seg, r.from+i)
}

// InputHandler scrolls with the arrows and page keys when focused.
func (p *BytePane) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return p.WrapInputHandler(func(event *tcell.EventKey, setFocus func(tview.Primitive)) {
		_, _, _, h := p.GetInnerRect()
		scrollKey(&p.scroll, event.Key(), h)
	})
}

func padLeft(s string, w int) string {
	for len(s) < w {
		s = " " + s
	}
	return s
}
