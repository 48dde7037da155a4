package ladder

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/ui/model"
)

// checkMermaid is a grammar check of the sequenceDiagram subset this
// package writes, from Mermaid's documented syntax and its lexer: a
// semicolon ends a statement and a hash starts a comment anywhere in a
// line (so inside a text both must be entity codes, #59; and #35;), a text
// runs to the end of the line, the participants used must be declared (we
// always declare them), ids must not begin a keyword, and rect/opt/loop/
// alt/critical/break blocks must close with end. It returns the problems,
// each with its line number.
func checkMermaid(src string) []string {
	var errs []string
	bad := func(n int, format string, a ...any) {
		errs = append(errs, fmt.Sprintf("line %d: %s", n, fmt.Sprintf(format, a...)))
	}
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "sequenceDiagram" {
		return []string{"line 1: the diagram must start with sequenceDiagram"}
	}
	ids := map[string]bool{}
	depth := 0
	for i, raw := range lines[1:] {
		n := i + 2
		ln := strings.TrimSpace(raw)
		if ln == "" || strings.HasPrefix(ln, "%%") {
			continue
		}
		if m := mermaidParticipant.FindStringSubmatch(ln); m != nil {
			if mermaidKeyword.MatchString(m[1]) {
				bad(n, "participant id %q begins a keyword", m[1])
			}
			ids[m[1]] = true
			checkMermaidText(n, m[2], bad)
			continue
		}
		if m := mermaidMessage.FindStringSubmatch(ln); m != nil {
			for _, id := range []string{m[1], m[3]} {
				if !ids[id] {
					bad(n, "participant %q is not declared", id)
				}
			}
			checkMermaidText(n, m[4], bad)
			continue
		}
		if m := mermaidNote.FindStringSubmatch(ln); m != nil {
			for _, id := range strings.Split(m[1], ",") {
				if !ids[strings.TrimSpace(id)] {
					bad(n, "note on undeclared participant %q", id)
				}
			}
			checkMermaidText(n, m[2], bad)
			continue
		}
		if m := mermaidBlock.FindStringSubmatch(ln); m != nil {
			depth++
			if m[1] == "rect" && !mermaidColor.MatchString(m[2]) {
				bad(n, "rect wants a colour, got %q", m[2])
			} else if m[1] != "rect" {
				checkMermaidText(n, m[2], bad)
			}
			continue
		}
		if ln == "end" {
			if depth == 0 {
				bad(n, "end without a block")
			}
			depth--
			continue
		}
		bad(n, "not a statement: %q", ln)
	}
	if depth > 0 {
		bad(len(lines), "%d block(s) not closed with end", depth)
	}
	return errs
}

var (
	mermaidParticipant = regexp.MustCompile(`^participant ([A-Za-z][A-Za-z0-9_]*) as (.+)$`)
	mermaidMessage     = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*)(->>|-->>|-x|--x|->|-->|-\)|--\))([A-Za-z][A-Za-z0-9_]*): ?(.*)$`)
	mermaidNote        = regexp.MustCompile(`^Note (?:left of|right of|over) ([A-Za-z][A-Za-z0-9_]*(?:,[A-Za-z][A-Za-z0-9_]*)?): ?(.*)$`)
	mermaidBlock       = regexp.MustCompile(`^(rect|opt|loop|alt|critical|break) (.+)$`)
	mermaidColor       = regexp.MustCompile(`^rgba?\(\s*\d{1,3},\s*\d{1,3},\s*\d{1,3}(,\s*[0-9.]+)?\s*\)$`)
	mermaidKeyword     = regexp.MustCompile(`(?i)^(participant|actor|create|destroy|box|loop|rect|opt|alt|else|par|and|critical|option|break|end|left of|right of|links?|properties|details|over|note|activate|deactivate|title|autonumber|off|as)`)
	mermaidEntity      = regexp.MustCompile(`#(?:[a-z]+|[0-9]+);`)
)

// checkMermaidText checks one text: not empty, one line, no raw ';' or
// '#' (only entity codes), no '%%', no HTML but the <br/> line break.
func checkMermaidText(n int, s string, bad func(int, string, ...any)) {
	if strings.TrimSpace(s) == "" {
		bad(n, "empty text")
		return
	}
	rest := mermaidEntity.ReplaceAllString(s, "")
	rest = strings.ReplaceAll(rest, "<br/>", "")
	for _, c := range []string{";", "#", "%%", "<", ">", "\r"} {
		if strings.Contains(rest, c) {
			bad(n, "raw %q in text %q", c, s)
		}
	}
}

// The checker must catch what Mermaid rejects or misreads.
func TestMermaidCheckerCatches(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"no header", "graph TD\n"},
		{"raw semicolon", "sequenceDiagram\n participant H as h\n H->>H: a; b\n"},
		{"raw hash", "sequenceDiagram\n participant H as h\n H->>H: #1 guest-info\n"},
		{"undeclared", "sequenceDiagram\n participant H as h\n H->>Q: x\n"},
		{"keyword id", "sequenceDiagram\n participant link as l\n"},
		{"open block", "sequenceDiagram\n participant H as h\n rect rgb(1, 2, 3)\n H->>H: x\n"},
		{"stray end", "sequenceDiagram\n participant H as h\n end\n"},
		{"html", "sequenceDiagram\n participant H as h\n Note over H: <script>\n"},
		{"empty", "sequenceDiagram\n participant H as h\n H->>H: \n"},
		{"garbage", "sequenceDiagram\n participant H as h\n H => H\n"},
	} {
		if errs := checkMermaid(tc.src); len(errs) == 0 {
			t.Errorf("%s: the checker accepts %q", tc.name, tc.src)
		}
	}
	ok := "sequenceDiagram\n participant H as host #35;1\n H->>H: a #59; b #lt;x#gt;<br/>c\n rect rgba(1, 2, 3, 0.5)\n Note right of H: n\n end\n"
	if errs := checkMermaid(ok); len(errs) > 0 {
		t.Errorf("the checker rejects a good diagram: %v", errs)
	}
}

// Every library scenario's diagram passes the grammar check.
func TestMermaidLibrary(t *testing.T) {
	for _, name := range scenariotest.LibraryNames() {
		t.Run(name, func(t *testing.T) {
			l, _ := library(t, name)
			var b bytes.Buffer
			if err := Mermaid(&b, l, MermaidOptions{}); err != nil {
				t.Fatal(err)
			}
			if errs := checkMermaid(b.String()); len(errs) > 0 {
				t.Errorf("%s:\n%s\n%s", name, strings.Join(errs, "\n"), b.String())
			}
		})
	}
}

// Hostile text (a raw step with Mermaid's own syntax in it) is escaped.
func TestMermaidEscapes(t *testing.T) {
	l := &Ladder{Info: model.Info{Scenario: "x; y", Strategy: "none#1", Transport: "a%%b"}, Rows: []Row{
		{Kind: StepRow, Text: "1 · raw ; end\nNote over H: #x", Note: "<b>bold</b> & %% comment", Count: 1, TakenFrom: -1},
		{Kind: ArrowRow, From: Host, To: Agent, Dir: "h2a", Text: "raw 'A->>B: x;y'", Bytes: 3, Count: 1, TakenFrom: -1},
		{Kind: NoteRow, From: Host, To: Host, Text: "#2 ✗ end", Count: 1, TakenFrom: -1},
	}}
	var b bytes.Buffer
	if err := Mermaid(&b, l, MermaidOptions{}); err != nil {
		t.Fatal(err)
	}
	if errs := checkMermaid(b.String()); len(errs) > 0 {
		t.Errorf("%s\n%s", strings.Join(errs, "\n"), b.String())
	}
	if n := strings.Count(b.String(), "\n"); n != 7 {
		t.Errorf("%d lines, want 7 (3 participants, 3 rows, the header):\n%s", n, b.String())
	}
}

// A diagram too long for GitHub stops at the bound and says so.
func TestMermaidBounded(t *testing.T) {
	l := &Ladder{Info: model.Info{Scenario: "long"}}
	for i := 0; i < 5000; i++ {
		l.Rows = append(l.Rows, Row{Kind: ArrowRow, From: Host, To: Agent, Dir: "h2a", Text: fmt.Sprintf("#%d guest-ping", i), Count: 1, TakenFrom: -1})
	}
	var b bytes.Buffer
	if err := Mermaid(&b, l, MermaidOptions{MaxChars: 10000}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 10000 || !strings.Contains(b.String(), "more rows not drawn") {
		t.Errorf("%d chars; tail %q", b.Len(), b.String()[b.Len()-100:])
	}
	if errs := checkMermaid(b.String()); len(errs) > 0 {
		t.Error(errs)
	}
}
