package ui

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/sim/qjson"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// StripPane is the agent's JSON parser as a strip: the bytes of its
// current read, under each the lexer's state after it, a cursor on one
// byte and what that byte did (began a message, ended one with an error
// or a command, sent the lexer into recovery), and what the parser held
// before the read (a dead client's fragment). Stepping by byte moves the
// cursor; stepping by read moves to the next read.
type StripPane struct {
	*tview.Box
	model  func() *model.Model
	cursor func() (i int, mode StepMode) // the byte under the cursor (-1: the last)
}

var _ tview.Primitive = (*StripPane)(nil)

// NewStripPane returns the parser strip.
func NewStripPane(m func() *model.Model, cursor func() (int, StepMode)) *StripPane {
	return &StripPane{Box: newBox().SetBorder(true).SetTitleAlign(tview.AlignLeft), model: m, cursor: cursor}
}

// lexLetter is a lexer state in one column, for the strip's lexer row.
func lexLetter(s qjson.LexState) rune {
	switch s {
	case qjson.InStart:
		return '·'
	case qjson.InDQString, qjson.InSQString:
		return 's'
	case qjson.InDQStringEscape, qjson.InSQStringEscape:
		return '\\'
	case qjson.InRecovery:
		return 'R'
	case qjson.InKeyword:
		return 'k'
	case qjson.InZero, qjson.InDigits, qjson.InSign, qjson.InMantissa, qjson.InMantissaDigits,
		qjson.InExpE, qjson.InExpSign, qjson.InExpDigits:
		return 'n'
	}
	return '?'
}

// lexWords says a lexer state in words.
func lexWords(s qjson.LexState) string {
	switch s {
	case qjson.InStart:
		return "between tokens"
	case qjson.InDQString, qjson.InSQString:
		return "inside a string"
	case qjson.InDQStringEscape, qjson.InSQStringEscape:
		return "after a backslash in a string"
	case qjson.InRecovery:
		return "in error recovery: it skips bytes until a structural character ({ } [ ] : ,), a control byte such as a newline, or a 0xFE/0xFF"
	case qjson.InKeyword:
		return "in a keyword"
	}
	return "in a number"
}

// byteGlyph is a byte in one column: printable ASCII as itself, the 0xFF
// as a block, a newline as a pilcrow, anything else as a middle dot.
func byteGlyph(b byte) rune {
	switch {
	case b == 0xFF:
		return '█'
	case b == '\n':
		return '¶'
	case b >= 0x20 && b < 0x7f:
		return rune(b)
	}
	return '·'
}

// StripText is what the strip says, as lines with a style each: a pure
// function so that it can be tested without a screen. w is the width
// inside the border, cursor the byte (-1: the last).
func StripText(m *model.Model, cursor int, mode StepMode, w int) (title string, lines []Line) {
	title = " agent's parser "
	switch mode {
	case StepByte:
		title += "· stepping by byte (x: by read) "
	case StepRead:
		title += "· stepping by read (x: by event) "
	default:
		title += "· x: step by byte "
	}
	rd, ok := m.Parser()
	if !ok || len(rd.Bytes) == 0 {
		now, held, n := m.ParserNow()
		lines = append(lines, Line{Key: "read", Text: "nothing read yet by this agent process", Style: stDim})
		lines = append(lines, heldLine(held, n, now))
		return title, lines
	}
	if cursor < 0 || cursor >= len(rd.Bytes) {
		cursor = len(rd.Bytes) - 1
	}
	cur := rd.Bytes[cursor]
	head := fmt.Sprintf("%s bytes at %s, cursor on byte %d", bytefmt.Count(rd.N), bytefmt.Time(rd.T), int64(cursor)+1+rd.Skipped)
	if rd.HeldN > 0 {
		shown := termsafe.Line(string(rd.Held))
		if int64(len(rd.Held)) < rd.HeldN {
			shown = "…" + shown
		}
		head += fmt.Sprintf("; held before: %s (%s bytes)", shown, bytefmt.Count(rd.HeldN))
	} else {
		head += "; held before: nothing"
	}
	lines = append(lines, Line{Key: "read", Text: head, Style: stDim})
	// The bytes and the lexer under them, in a window that keeps the
	// cursor in view (a third from the left once the read is wider).
	const kw = 8
	room := max(1, w-kw)
	from := 0
	if len(rd.Bytes) > room {
		from = min(max(0, cursor-room/3), len(rd.Bytes)-room)
	}
	to := min(len(rd.Bytes), from+room)
	var bs, lx, mk strings.Builder
	for i := from; i < to; i++ {
		b := rd.Bytes[i]
		bs.WriteRune(byteGlyph(b.B))
		l := lexLetter(b.Lex)
		if b.Ended {
			l = '|'
			if b.Err != "" {
				l = '✗'
			}
		}
		lx.WriteRune(l)
		switch {
		case i == cursor:
			mk.WriteRune('▲')
		default:
			mk.WriteRune(' ')
		}
	}
	lines = append(lines,
		Line{Key: "bytes", Text: bs.String(), Style: stDefault, Cells: stripCells(rd.Bytes[from:to], cursor-from, false)},
		Line{Key: "lexer", Text: lx.String(), Style: stLabel, Cells: stripCells(rd.Bytes[from:to], cursor-from, true)},
		Line{Key: "", Text: mk.String(), Style: stWarn, Optional: true},
	)
	lines = append(lines, Line{Key: "byte", Text: byteStory(rd, cursor), Style: byteStyle(cur), Wrap: true})
	held, n := rd.HeldAt(cursor)
	hl := heldLine(held, n, cur)
	hl.Optional = true // the read line says what was held before it
	lines = append(lines, hl)
	lines = append(lines, Line{Key: "key", Text: "lexer row: · between tokens  s string  \\ escape  k keyword  n number  R recovery  | a message ends  ✗ an error ends it",
		Style: stDim, Optional: true})
	return title, lines
}

// stripCells styles the bytes (or the lexer row) of a strip window: the
// cursor reversed, the 0xFF in its class colour, recovery and errors red.
func stripCells(bs []model.ParserByte, cursor int, lexer bool) []tcell.Style {
	out := make([]tcell.Style, len(bs))
	for i, b := range bs {
		st := stDefault
		switch {
		case lexer && b.Ended && b.Err != "":
			st = stAlarm
		case lexer && b.Ended:
			st = stGood
		case lexer && b.Lex == qjson.InRecovery:
			st = stMarker
		case lexer:
			st = stLabel
		case b.B == 0xFF:
			st = classStyle(bytefmt.Sentinel)
		}
		if i == cursor {
			st = st.Reverse(true)
		}
		out[i] = st
	}
	return out
}

func heldLine(held []byte, n int64, st model.ParserByte) Line {
	if n == 0 {
		return Line{Key: "holds", Text: "nothing: the parser is " + lexWords(st.Lex), Style: stDim}
	}
	shown := termsafe.Line(string(held))
	if int64(len(held)) < n {
		shown = "…" + shown
	}
	return Line{Key: "holds", Text: fmt.Sprintf("%s  (%s bytes of an unfinished message, { %d [ %d, %s)", shown, bytefmt.Count(n), st.Brace, st.Bracket, lexWords(st.Lex)),
		Style: stWarn}
}

// byteStory says what the byte under the cursor did to the parser.
func byteStory(rd model.ParserRead, i int) string {
	b := rd.Bytes[i]
	prev := rd.Before
	if i > 0 {
		prev = rd.Bytes[i-1]
	}
	what := fmt.Sprintf("0x%02x", b.B)
	if b.B >= 0x20 && b.B < 0x7f {
		what = fmt.Sprintf("'%c'", b.B)
	} else if b.B == '\n' {
		what = "the newline"
	} else if b.B == 0xFF {
		what = "the 0xFF"
	}
	var s string
	switch {
	case b.Ended && b.Err != "":
		s = fmt.Sprintf("%s ends the message with an error: %s. The agent answers it with an error reply", what, b.Err)
		if prev.Pending > 0 {
			s += fmt.Sprintf("; the %d bytes it held are thrown away", prev.Pending)
		}
	case b.Ended && b.Cmd != "":
		s = fmt.Sprintf("%s completes a message: the agent runs %s", what, b.Cmd)
	case b.Ended:
		s = fmt.Sprintf("%s completes a message that is not a command: the agent answers an error", what)
	case prev.Lex == qjson.InRecovery && b.Lex != qjson.InRecovery:
		s = fmt.Sprintf("%s ends the error recovery: the lexer starts afresh", what)
		if b.Fresh {
			s += " and a new message begins here"
		}
	case b.Lex == qjson.InRecovery:
		s = fmt.Sprintf("%s is skipped: the lexer is in error recovery", what)
	case b.Fresh:
		s = fmt.Sprintf("%s begins a new message", what)
	case b.Pending > 0:
		s = fmt.Sprintf("%s is held: %d bytes of an unfinished message, %s", what, b.Pending, lexWords(b.Lex))
	default:
		s = fmt.Sprintf("%s: the parser holds nothing, %s", what, lexWords(b.Lex))
	}
	return s
}

func byteStyle(b model.ParserByte) tcell.Style {
	switch {
	case b.Ended && b.Err != "", b.Lex == qjson.InRecovery:
		return stAlarm
	case b.Ended:
		return stGood
	case b.Pending > 0:
		return stWarn
	}
	return stDefault
}

// Draw draws the strip.
func (p *StripPane) Draw(screen tcell.Screen) {
	cursor, mode := p.cursor()
	_, _, w, _ := p.GetInnerRect()
	title, lines := StripText(p.model(), cursor, mode, w)
	p.SetTitle(title)
	p.DrawForSubclass(screen, p)
	drawLines(screen, p.Box, lines)
}
