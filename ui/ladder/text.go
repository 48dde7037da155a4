package ladder

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/qgasim/qgasim/ui/bytefmt"
)

// TextOptions shape the text form.
type TextOptions struct {
	// Width is the width to fit, in columns (0: DefaultTextWidth). The
	// columns of the host's words and of the arrows grow with it; the
	// agent's words run on to the right.
	Width int
	// NoNotes leaves out the steps' notes (the steps stay).
	NoNotes bool
}

// DefaultTextWidth suits a terminal and a code block in an issue.
const DefaultTextWidth = 120

// The text form is a grid:
//
//	TTTTTTTT  host words │──── link words ───┊─────────────▶│ agent words
//
// the time, the host's words right-aligned against the host's lifeline, the
// arrow's body across the link's lifeline, and the agent's words after its
// lifeline. Notes hang off their lane's lifeline.
type grid struct {
	timeW, hostW, bodyW int
	x0, x1, x2          int // the lifelines of host, link, agent
	width               int
}

func newGrid(width int) grid {
	if width <= 0 {
		width = DefaultTextWidth
	}
	width = max(width, 60)
	g := grid{timeW: 8, width: width}
	rest := width - g.timeW - 2
	g.hostW = rest * 34 / 100
	g.bodyW = rest * 24 / 100
	g.bodyW -= g.bodyW % 2
	g.x0 = g.timeW + 2 + g.hostW
	g.x1 = g.x0 + g.bodyW/2
	g.x2 = g.x0 + g.bodyW
	return g
}

func (g grid) lane(l Lane) int {
	switch l {
	case Host:
		return g.x0
	case Link:
		return g.x1
	}
	return g.x2
}

// line is one line of the grid, in runes.
type line []rune

func (g grid) blank() line {
	l := make(line, g.x2+1)
	for i := range l {
		l[i] = ' '
	}
	return l
}

// put writes s from column x on, growing the line as needed.
func (l *line) put(x int, s string) {
	for _, r := range s {
		for x >= len(*l) {
			*l = append(*l, ' ')
		}
		if x >= 0 {
			(*l)[x] = r
		}
		x++
	}
}

func (l line) String() string { return strings.TrimRight(string(l), " ") }

// Text writes the ladder as text: a header, then one line per row (a step
// and its note take more).
func Text(w io.Writer, l *Ladder, opt TextOptions) error {
	head, rows := TextLines(l, opt)
	var b strings.Builder
	for _, ln := range head {
		b.WriteString(ln + "\n")
	}
	for _, r := range rows {
		for _, ln := range r {
			b.WriteString(ln + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// TextLines is the text form in pieces: the header lines (the run, the
// lanes' names, rows left out), and the lines of each row, rows[i] for
// l.Rows[i], so that a view can follow a row (the TUI's ladder follows the
// step).
func TextLines(l *Ladder, opt TextOptions) (head []string, rows [][]string) {
	g := newGrid(opt.Width)
	head = append(head, fmt.Sprintf("%s · seed %d · %s · client %s", l.Info.Scenario, l.Info.Seed, l.Info.Transport, l.Info.Strategy))
	h := g.blank()
	h.put(g.timeW-1, "t")
	host := "host"
	h.put(g.x0-utf8.RuneCountInString(host), host)
	link := "link"
	h.put(g.x1-utf8.RuneCountInString(link)/2, link)
	h.put(g.x2, "agent")
	head = append(head, h.String())
	if l.Omitted > 0 {
		head = append(head, fmt.Sprintf("%*s  … %s earlier rows not drawn", g.timeW, "", bytefmt.Count(l.Omitted)))
	}
	rows = make([][]string, len(l.Rows))
	for i := range l.Rows {
		rows[i] = g.row(l, i, opt)
	}
	return head, rows
}

// lifelines draws the three lanes' lines as they are at row r.
func (g grid) lifelines(r *Row) line {
	l := g.blank()
	host, agent := '│', '│'
	if r.HostGone {
		host = '╎'
	}
	if r.AgentDown {
		agent = ' '
	}
	l[g.x0], l[g.x1], l[g.x2] = host, '┊', agent
	return l
}

func (g grid) row(lad *Ladder, i int, opt TextOptions) []string {
	r := &lad.Rows[i]
	t := fmt.Sprintf("%*s  ", g.timeW, bytefmt.Time(r.T))
	switch r.Kind {
	case StepRow:
		head := "── " + r.Text + " "
		out := []string{t + head + strings.Repeat("─", max(3, g.width-len(t)-utf8.RuneCountInString(head)))}
		if r.Note != "" && !opt.NoNotes {
			for _, ln := range wrap(r.Note, g.width-len(t)-3) {
				out = append(out, strings.Repeat(" ", len(t)+3)+ln)
			}
		}
		return out
	case NoteRow:
		l := g.lifelines(r)
		x := g.lane(r.From)
		txt := noteText(r)
		if r.Death {
			l[g.x2] = '╳'
		}
		if r.Style == Double {
			l.put(x+1, "◀══ "+txt)
		} else {
			l.put(x+2, txt)
		}
		s := l.String()
		return []string{t + s[len(t):]}
	}
	return []string{g.arrow(r, t)}
}

// noteText is a note's words with what the oracle said.
func noteText(r *Row) string {
	txt := r.Text
	if r.Count > 1 {
		txt += fmt.Sprintf(" (×%d)", r.Count)
	}
	if r.Verdict != "" {
		txt += "  " + VerdictWord(r.Verdict)
	}
	return txt
}

// Glyphs of the arrows.
func (s Style) glyph() rune {
	switch s {
	case Dotted:
		return '┄'
	case Double:
		return '═'
	}
	return '─'
}

// arrowWords are what the text form writes left of the host's lifeline,
// on the arrow's body, and right of the agent's: what travels goes on the
// side it comes from (a delivery's on the reader's side, next to what the
// reader made of it), what the link did goes on the body.
func arrowWords(r *Row) (left, body, right, why string) {
	label := r.Text
	if r.Sentinel {
		label = "█ " + label
	}
	if r.Count > 1 {
		label += fmt.Sprintf(" (×%d)", r.Count)
	}
	var parts, reasons []string
	for _, m := range r.Marks {
		parts = append(parts, markShort(m))
		if m.Text != "" {
			reasons = append(reasons, m.Text)
		}
	}
	if r.LinkText != "" {
		parts = append(parts, r.LinkText)
	}
	body = strings.Join(parts, ", ")
	if len(reasons) > 0 {
		why = "(" + strings.Join(reasons, "; ") + ")"
	}
	switch {
	case r.Dir == "h2a" && r.From == Host:
		return label, body, r.AgentText, why
	case r.Dir == "h2a":
		return "", body, joinNonEmpty(label, r.AgentText), why
	}
	return r.HostText, body, label, why
}

// markShort is a mark without its reason.
func markShort(m Mark) string {
	n := bytefmt.Count(m.N)
	switch m.Kind {
	case Lost:
		return "✗ " + n + " B lost"
	case Cut:
		return "✗ cut: " + n + " B lost"
	case Corrupted:
		return "✗ " + n + " B corrupted"
	case Added:
		return "+" + n + " B added"
	case Held:
		return "held " + n + " B"
	}
	return m.Kind.String()
}

// MarkText says a mark in words.
func MarkText(m Mark) string {
	s := markShort(m)
	if m.Text != "" {
		s += " (" + m.Text + ")"
	}
	return s
}

func (g grid) arrow(r *Row, t string) string {
	l := g.lifelines(r)
	a, z := g.lane(r.From), g.lane(r.To)
	left, body, right, why := arrowWords(r)
	glyph := r.Style.glyph()
	lo, hi := min(a, z), max(a, z)
	for x := lo + 1; x < hi; x++ {
		l[x] = glyph
	}
	lost := r.Lost()
	switch {
	case r.Bytes > 0 && lost >= r.Bytes:
		l[z-sign(z-a)] = '✗' // nothing arrived
	case z > a:
		l[z-1] = '▶'
	default:
		l[z+1] = '◀'
	}
	if lost > 0 && lo < g.x1 && g.x1 < hi && lost < r.Bytes {
		l[g.x1] = '✗' // some of it was lost on the way
	}
	// The link's words go on the body when they fit, else to the right.
	if body != "" {
		if utf8.RuneCountInString(body)+2 <= hi-lo-4 {
			l.put(lo+2, " "+body+" ")
		} else {
			why = joinNonEmpty(body, why)
		}
	}
	right = joinNonEmpty(right, why)
	if left != "" {
		left = clip(left, g.hostW-1)
		l.put(g.x0-1-utf8.RuneCountInString(left), left)
	}
	if right != "" {
		l.put(g.x2+2, right)
	}
	s := l.String()
	return t + string([]rune(s)[len(t):])
}

func sign(x int) int {
	if x < 0 {
		return -1
	}
	return 1
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " · " + b
}

// wrap breaks s into lines of at most n runes at spaces.
func wrap(s string, n int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		cur := ""
		for _, w := range strings.Fields(para) {
			if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > n {
				out = append(out, cur)
				cur = ""
			}
			if cur != "" {
				cur += " "
			}
			cur += w
		}
		if cur != "" {
			out = append(out, cur)
		}
	}
	return out
}
