package ladder

import (
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/qgasim/qgasim/ui/bytefmt"
)

// ClassColor is the colour of a byte class on a light page: the TUI's
// choices (ui's classStyle) carried over, so that a class looks alike in the
// terminal, in the report's byte streams and on the ladder's arrows. Bg is
// set for corrupted bytes, which the TUI draws on a background too; the 0xFF
// byte, drawn as a block, is amber on the page rather than black on yellow.
func ClassColor(c bytefmt.Class) (fg, bg string) {
	switch c {
	case bytefmt.InFlight:
		return "#8c8c8c", ""
	case bytefmt.Delivered:
		return "#4a4a4a", ""
	case bytefmt.Dropped:
		return "#d0191b", ""
	case bytefmt.Corrupted:
		return "#000000", "#e040e0"
	case bytefmt.Duplicated:
		return "#0a8f96", ""
	case bytefmt.Sentinel:
		return "#c79600", ""
	case bytefmt.Discarded:
		return "#8a8a2a", ""
	case bytefmt.Accepted:
		return "#138a13", ""
	case bytefmt.Held:
		return "#2255dd", ""
	}
	return "#000000", ""
}

// stroke is the colour of an arrow of class c: a class drawn on a
// background in the TUI is its background colour here, since a line has no
// background.
func stroke(c bytefmt.Class) string {
	fg, bg := ClassColor(c)
	if bg != "" {
		return bg
	}
	return fg
}

// The SVG is laid out for a phone first: 408 units wide, three lanes, each
// arrow's label above its line and what its ends made of it below, so that
// nothing needs the width of a desktop. It scales to the width it is given.
const (
	svgW      = 408
	svgHost   = 86
	svgLink   = 243
	svgAgent  = 398
	svgCharW  = 6.7 // width of a character of the 11 px monospace font
	svgLineH  = 13
	svgHeader = 40
)

// SVGOptions shape the SVG form.
type SVGOptions struct {
	// NoNotes leaves out the steps' notes.
	NoNotes bool
}

// SVG writes the ladder as a self-contained SVG document fragment (no
// external font or style): it can stand alone in a file or inside HTML.
// Every text is XML-escaped. Each row is a group with class "row" and a
// data-row attribute (its index in l.Rows) and a title with its full text,
// for a page's script to show on a tap.
func SVG(w io.Writer, l *Ladder, opt SVGOptions) error {
	var body strings.Builder
	y := float64(svgHeader)
	arrowY := make([]float64, len(l.Rows)) // the y of each arrow's line, for the connectors
	noteY := make([]float64, len(l.Rows))
	var lifelines strings.Builder
	for i := range l.Rows {
		r := &l.Rows[i]
		h := svgRowHeight(r, opt)
		svgLifelines(&lifelines, r, y, y+h)
		fmt.Fprintf(&body, `<g class="row" data-row="%d"><title>%s</title>`, i, esc(svgTitle(r)))
		switch r.Kind {
		case StepRow:
			svgStep(&body, r, y, h, opt)
		case NoteRow:
			noteY[i] = svgNote(&body, r, y)
		case ArrowRow:
			arrowY[i] = svgArrow(&body, r, y)
		}
		body.WriteString("</g>\n")
		y += h
	}
	// The connectors: from the arrow that brought a reply to the host, to
	// the caller it was handed to, through the time column's side.
	var links strings.Builder
	for i := range l.Rows {
		r := &l.Rows[i]
		if r.TakenFrom < 0 {
			continue
		}
		y0, y1 := arrowY[r.TakenFrom], noteY[i]
		cls := "ok"
		if r.Alarm {
			cls = "bad"
		}
		bend := svgHost - 26.0
		fmt.Fprintf(&links, `<path class="taken %s" d="M%d %.1f C%.1f %.1f %.1f %.1f %d %.1f" marker-end="url(#lad-taken-%s)"/>`+"\n",
			cls, svgHost, y0, bend, y0, bend, y1, svgHost-2, y1, cls)
	}
	height := y + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="ladder" viewBox="0 0 %d %.0f" width="%d" height="%.0f" role="img" aria-label="%s">`+"\n",
		svgW, height, svgW, height, esc("ladder diagram of "+l.Info.Scenario))
	b.WriteString(svgDefs())
	svgHeaderRow(&b, l)
	b.WriteString(lifelines.String())
	b.WriteString(body.String())
	b.WriteString(links.String())
	if l.Omitted > 0 {
		fmt.Fprintf(&b, `<text class="side" x="4" y="%d">%s earlier rows not drawn</text>`+"\n", svgHeader-4, bytefmt.Count(l.Omitted))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// esc makes a text safe inside XML: valid UTF-8, no control characters
// (XML 1.0 forbids most), markup escaped.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '·'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return html.EscapeString(s)
}

// svgDefs are the styles and arrowheads, one per byte class.
func svgDefs() string {
	var b strings.Builder
	b.WriteString("<defs><style>\n")
	b.WriteString(`.ladder text{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:11px;fill:#222}` + "\n")
	b.WriteString(`.ladder .t{fill:#777;font-size:10px}.ladder .side{fill:#666;font-size:10px}.ladder .lane{font-weight:bold}` + "\n")
	b.WriteString(`.ladder .life{stroke:#bbb;stroke-width:1}.ladder .life.link{stroke-dasharray:2 3}.ladder .life.gone{stroke-dasharray:4 4}` + "\n")
	b.WriteString(`.ladder .step rect{fill:#eef2f7}.ladder .step .title{font-weight:bold}.ladder .step .note{font-style:italic;fill:#444}` + "\n")
	b.WriteString(`.ladder .note rect{fill:#fff;stroke:#bbb}.ladder .note.alarm rect{fill:#fff0f0;stroke:#d0191b}.ladder .note.alarm text{fill:#a00}` + "\n")
	b.WriteString(`.ladder .note.good rect{fill:#effaef;stroke:#138a13}.ladder .death{fill:#d0191b;font-size:16px;font-weight:bold}` + "\n")
	b.WriteString(`.ladder .ln{stroke-width:1.6;fill:none}.ladder .ln.dotted{stroke-dasharray:2 3}.ladder .cross{fill:#d0191b;font-weight:bold}` + "\n")
	b.WriteString(`.ladder .ff{fill:#c79600}.ladder .taken{fill:none;stroke-width:1.5;stroke-dasharray:5 3}.ladder .taken.bad{stroke:#d0191b}.ladder .taken.ok{stroke:#138a13}` + "\n")
	for _, c := range bytefmt.Classes() {
		fmt.Fprintf(&b, ".ladder .ln.k-%s{stroke:%s}\n", c.Key(), stroke(c))
	}
	b.WriteString("</style>\n")
	for _, c := range bytefmt.Classes() {
		fmt.Fprintf(&b, `<marker id="lad-head-%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="%s"/></marker>`+"\n", c.Key(), stroke(c))
	}
	for _, k := range []struct{ id, color string }{{"bad", "#d0191b"}, {"ok", "#138a13"}} {
		fmt.Fprintf(&b, `<marker id="lad-taken-%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0 0L10 5L0 10z" fill="%s"/></marker>`+"\n", k.id, k.color)
	}
	b.WriteString("</defs>\n")
	return b.String()
}

func svgHeaderRow(b *strings.Builder, l *Ladder) {
	fmt.Fprintf(b, `<text class="lane" x="%d" y="14">host</text><text class="side" x="%d" y="27">client %s</text>`+"\n",
		svgHost-24, svgHost-24, esc(clip(l.Info.Strategy, 18)))
	fmt.Fprintf(b, `<text class="lane" x="%d" y="14" text-anchor="middle">link</text><text class="side" x="%d" y="27" text-anchor="middle">%s</text>`+"\n",
		svgLink, svgLink, esc(clip(l.Info.Transport, 22)))
	fmt.Fprintf(b, `<text class="lane" x="%d" y="14" text-anchor="end">agent</text>`+"\n", svgW-4)
	fmt.Fprintf(b, `<text class="t" x="4" y="14">t (s)</text>`+"\n")
}

// chars is how many characters fit in px.
func chars(px float64) int { return int(px / svgCharW) }

func svgRowHeight(r *Row, opt SVGOptions) float64 {
	switch r.Kind {
	case StepRow:
		n := 0
		if r.Note != "" && !opt.NoNotes {
			n = len(wrap(r.Note, chars(svgW-16)))
		}
		return 24 + float64(n)*svgLineH
	case NoteRow:
		return float64(len(noteLines(r)))*svgLineH + 12
	}
	left, _, right, _ := svgArrowWords(r)
	if left == "" && right == "" {
		return 26
	}
	return 38
}

func svgLifelines(b *strings.Builder, r *Row, y0, y1 float64) {
	host := "life"
	if r.HostGone {
		host += " gone"
	}
	fmt.Fprintf(b, `<line class="%s" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, host, svgHost, y0, svgHost, y1)
	fmt.Fprintf(b, `<line class="life link" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, svgLink, y0, svgLink, y1)
	if !r.AgentDown || r.Death {
		end := y1
		if r.Death {
			end = y0 + (y1-y0)/2
		}
		fmt.Fprintf(b, `<line class="life" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, svgAgent, y0, svgAgent, end)
	}
	b.WriteString("\n")
}

func svgTime(b *strings.Builder, r *Row, y float64) {
	fmt.Fprintf(b, `<text class="t" x="4" y="%.1f">%s</text>`, y, bytefmt.Time(r.T))
}

func svgStep(b *strings.Builder, r *Row, y, h float64, opt SVGOptions) {
	fmt.Fprintf(b, `<g class="step"><rect x="0" y="%.1f" width="%d" height="%.1f" rx="3"/>`, y+2, svgW, h-4)
	svgTime(b, r, y+15)
	fmt.Fprintf(b, `<text class="title" x="56" y="%.1f">%s</text>`, y+15, esc(clip(r.Text, chars(svgW-60))))
	if r.Note != "" && !opt.NoNotes {
		for k, ln := range wrap(r.Note, chars(svgW-16)) {
			fmt.Fprintf(b, `<text class="note" x="8" y="%.1f">%s</text>`, y+15+float64(k+1)*svgLineH, esc(ln))
		}
	}
	b.WriteString("</g>")
}

// noteLines are a note's words, wrapped to the room beside its lane.
func noteLines(r *Row) []string {
	txt := noteText(r)
	if r.Death {
		txt = "process dies: " + strings.TrimPrefix(txt, "process ")
	}
	if r.Style == Double {
		txt = "⇐ " + txt
	}
	lines := wrap(txt, chars(svgAgent-svgHost-16))
	if len(lines) > 4 {
		lines = append(lines[:3], clip(strings.Join(lines[3:], " "), chars(svgAgent-svgHost-16)))
	}
	return lines
}

// svgNote draws a note beside its lane and returns the y of its middle.
func svgNote(b *strings.Builder, r *Row, y float64) float64 {
	lines := noteLines(r)
	width := 0
	for _, ln := range lines {
		width = max(width, utf8.RuneCountInString(ln))
	}
	w := float64(width)*svgCharW + 10
	h := float64(len(lines))*svgLineH + 6
	var x float64
	switch r.From {
	case Host:
		x = svgHost + 4
	case Link:
		x = min(svgLink-w/2, svgAgent-4-w)
	default:
		x = svgAgent - 4 - w
	}
	x = max(x, svgHost+4)
	cls := "note"
	switch {
	case r.Alarm:
		cls += " alarm"
	case r.Verdict != "":
		cls += " good"
	}
	svgTime(b, r, y+14)
	fmt.Fprintf(b, `<g class="%s"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="4"/>`, cls, x, y+3, w, h)
	for k, ln := range lines {
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f">%s</text>`, x+5, y+14+float64(k)*svgLineH, esc(ln))
	}
	b.WriteString("</g>")
	if r.Death {
		fmt.Fprintf(b, `<text class="death" x="%d" y="%.1f" text-anchor="middle">╳</text>`, svgAgent, y+3+h/2+5)
	}
	return y + 3 + h/2
}

// svgArrowWords are the arrow's label (above the line) and the words under
// it at its left and right ends.
func svgArrowWords(r *Row) (left, label, right, link string) {
	tl, body, tr, why := arrowWords(r)
	link = joinNonEmpty(body, why)
	switch {
	case r.Dir == "h2a" && r.From == Host:
		return link, tl, tr, link
	case r.Dir == "h2a":
		return link, tr, "", link
	}
	return tl, tr, link, link
}

// svgArrow draws an arrow and returns the y of its line.
func svgArrow(b *strings.Builder, r *Row, y float64) float64 {
	left, label, right, _ := svgArrowWords(r)
	x0, x1 := svgLaneX(r.From), svgLaneX(r.To)
	ly := y + 19
	svgTime(b, r, y+12)
	// The label above the line, from its tail.
	room := chars(svgAgent - svgHost - 12)
	if r.Count > 1 && !strings.Contains(label, "(×") {
		label += fmt.Sprintf(" (×%d)", r.Count)
	}
	ff := ""
	if r.Sentinel {
		label = strings.TrimPrefix(label, "█ ")
		ff = `<tspan class="ff">█</tspan> `
	}
	// A write's label starts at its writer; a read's (an arrow out of the
	// link) ends at its reader, so that it has the room of both lanes.
	switch {
	case r.From == Link && x1 > x0, r.From != Link && x1 < x0:
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end">%s%s</text>`, svgAgent-6, y+12, ff, esc(clip(label, room)))
	default:
		fmt.Fprintf(b, `<text x="%d" y="%.1f">%s%s</text>`, svgHost+6, y+12, ff, esc(clip(label, room)))
	}
	// The line, in the colour of its bytes.
	cls := "ln k-" + r.Class.Key()
	if r.Style == Dotted {
		cls += " dotted"
	}
	never := r.Bytes > 0 && r.Lost() >= r.Bytes
	end := x1 - 3*sgn(x1-x0)
	if never {
		end = svgLink
	}
	head := fmt.Sprintf(` marker-end="url(#lad-head-%s)"`, r.Class.Key())
	if never {
		head = ""
	}
	fmt.Fprintf(b, `<line class="%s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"%s/>`, cls, x0, ly, end, ly, head)
	if lost := r.Lost(); lost > 0 {
		fmt.Fprintf(b, `<text class="cross" x="%d" y="%.1f" text-anchor="middle">✗</text>`, svgLink, ly+4)
	}
	// Under the line: the host's words at the host, the agent's at the
	// agent, each in half the room when both are there.
	half := chars((svgAgent - svgHost) / 2.0)
	if left == "" || right == "" {
		half = room
	}
	if left != "" {
		fmt.Fprintf(b, `<text class="side" x="%d" y="%.1f">%s</text>`, svgHost+6, y+32, esc(clip(left, half)))
	}
	if right != "" {
		fmt.Fprintf(b, `<text class="side" x="%d" y="%.1f" text-anchor="end">%s</text>`, svgAgent-6, y+32, esc(clip(right, half)))
	}
	return ly
}

func svgLaneX(l Lane) float64 {
	switch l {
	case Host:
		return svgHost
	case Link:
		return svgLink
	}
	return svgAgent
}

func sgn(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// svgTitle is a row's full text, for the tooltip and a page's detail view.
func svgTitle(r *Row) string {
	var parts []string
	t := bytefmt.Time(r.T)
	if r.Until-r.T >= 1e6 {
		t += "–" + bytefmt.Time(r.Until)
	}
	parts = append(parts, t)
	switch r.Kind {
	case StepRow:
		parts = append(parts, "step "+r.Text)
		if r.Note != "" {
			parts = append(parts, r.Note)
		}
	case NoteRow:
		parts = append(parts, r.Lane()+": "+noteText(r))
	case ArrowRow:
		parts = append(parts, r.From.String()+" → "+r.To.String()+": "+r.Text)
		if r.Bytes > 0 {
			parts = append(parts, bytefmt.Count(r.Bytes)+" bytes, "+r.Class.String())
		}
		for _, m := range r.Marks {
			parts = append(parts, MarkText(m))
		}
		for _, s := range []string{r.LinkText, r.HostText, r.AgentText} {
			if s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(parts, "\n")
}

// Lane names a note's lane.
func (r *Row) Lane() string { return r.From.String() }
