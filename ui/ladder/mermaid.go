package ladder

import (
	"fmt"
	"io"
	"strings"

	"github.com/qgasim/qgasim/ui/bytefmt"
)

// MermaidOptions shape the Mermaid form.
type MermaidOptions struct {
	// MaxChars bounds the diagram's text: GitHub refuses to render a
	// diagram over 50,000 characters, so rows past the bound are left out
	// and a last note says how many (0: DefaultMermaidChars).
	MaxChars int
	// NoNotes leaves out the steps' notes.
	NoNotes bool
}

// DefaultMermaidChars keeps a diagram well under GitHub's limit.
const DefaultMermaidChars = 40000

// The participants' ids: single capital letters, so that no id begins a
// Mermaid keyword ("link" is one, case-insensitive).
var mermaidID = [...]string{Host: "H", Link: "L", Agent: "A"}

// Mermaid writes the ladder as a Mermaid sequenceDiagram. Every text is
// escaped with Mermaid's entity codes (#59; for a semicolon, which would end
// the statement; #35; for a hash, which would start a comment; #lt; #gt; for
// angle brackets, which it would take for HTML), so that any label of any
// run parses.
func Mermaid(w io.Writer, l *Ladder, opt MermaidOptions) error {
	if opt.MaxChars <= 0 {
		opt.MaxChars = DefaultMermaidChars
	}
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	fmt.Fprintf(&b, "    participant H as host · client %s\n", mermaidText(l.Info.Strategy))
	fmt.Fprintf(&b, "    participant L as link · %s\n", mermaidText(l.Info.Transport))
	b.WriteString("    participant A as agent\n")
	if l.Omitted > 0 {
		fmt.Fprintf(&b, "    Note over H,A: %s earlier rows not drawn\n", bytefmt.Count(l.Omitted))
	}
	down := false
	for i := range l.Rows {
		r := &l.Rows[i]
		var s strings.Builder
		// A dead agent's rows sit in a grey box, from its death to its start.
		if r.Death && !down {
			s.WriteString("    rect rgba(128, 128, 128, 0.15)\n")
			down = true
		}
		if down && !r.AgentDown && !r.Death {
			s.WriteString("    end\n")
			down = false
		}
		mermaidRow(&s, l, i, opt)
		if b.Len()+s.Len() > opt.MaxChars-200 {
			if down {
				b.WriteString("    end\n")
				down = false
			}
			fmt.Fprintf(&b, "    Note over H,A: %d more rows not drawn here (the HTML report has them all)\n", len(l.Rows)-i)
			break
		}
		b.WriteString(s.String())
	}
	if down {
		b.WriteString("    end\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MermaidMarkdown writes a Markdown file with the diagram in a mermaid code
// block, under a title and the line that reproduces the run.
func MermaidMarkdown(w io.Writer, l *Ladder, command string, opt MermaidOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", l.Info.Scenario)
	fmt.Fprintf(&b, "seed %d · %s · client %s", l.Info.Seed, l.Info.Transport, l.Info.Strategy)
	if command != "" {
		fmt.Fprintf(&b, " · reproduce with `%s`", command)
	}
	b.WriteString("\n\n```mermaid\n")
	if err := Mermaid(&b, l, opt); err != nil {
		return err
	}
	b.WriteString("```\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func mermaidRow(b *strings.Builder, l *Ladder, i int, opt MermaidOptions) {
	r := &l.Rows[i]
	t := bytefmt.Time(r.T)
	switch r.Kind {
	case StepRow:
		txt := mermaidText(t + " · step " + r.Text)
		if r.Note != "" && !opt.NoNotes {
			txt += "<br/>" + mermaidText(r.Note)
		}
		fmt.Fprintf(b, "    Note over H,A: %s\n", txt)
	case NoteRow:
		txt := noteText(r)
		if r.Death {
			txt = "╳ " + txt
		}
		place := "right of " + mermaidID[r.From]
		if r.From == Agent {
			place = "left of A"
		}
		if r.Style == Double && r.Verdict != "" {
			color := "rgba(0, 160, 0, 0.15)"
			if r.Alarm {
				color = "rgba(255, 0, 0, 0.15)"
			}
			fmt.Fprintf(b, "    rect %s\n", color)
			fmt.Fprintf(b, "    Note %s: %s ⇐ %s\n", place, t, mermaidText(txt))
			b.WriteString("    end\n")
			return
		}
		fmt.Fprintf(b, "    Note %s: %s %s\n", place, t, mermaidText(txt))
	case ArrowRow:
		left, body, right, why := arrowWords(r)
		label, end := right, left
		if r.Dir == "h2a" {
			label, end = left, right
			if r.From == Link {
				label, end = right, ""
			}
		}
		parts := []string{t + " " + label}
		if body != "" {
			parts = append(parts, body)
		}
		if why != "" {
			parts = append(parts, why)
		}
		txt := strings.Join(parts, " · ")
		if end != "" {
			txt += " → " + end
		}
		arrow := "->>"
		switch {
		case r.Bytes > 0 && r.Lost() >= r.Bytes:
			arrow = "-x"
		case r.Style == Dotted:
			arrow = "-->>"
		}
		fmt.Fprintf(b, "    %s%s%s: %s\n", mermaidID[r.From], arrow, mermaidID[r.To], mermaidText(txt))
	}
}

// mermaidText escapes a text for a message, a note or an alias: one line,
// with the characters Mermaid's grammar gives a meaning written as entity
// codes.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ';':
			b.WriteString("#59;")
		case '#':
			b.WriteString("#35;")
		case '%':
			b.WriteString("#37;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteByte(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "-"
	}
	return out
}
