package ui

import (
	"github.com/gdamore/tcell/v2"

	"github.com/qgasim/qgasim/ui/bytefmt"
)

// classStyle is the terminal colour of a byte class (the classes live in
// bytefmt, free of any terminal; their colours are the TUI's). The choices carry meaning: red is loss,
// magenta is damage, cyan is something that was not written, the 0xFF byte
// stands out on yellow, the client's rubbish bin is dim, the caller's reply
// is green, bytes still on the wire are grey.
func classStyle(c bytefmt.Class) tcell.Style {
	s := tcell.StyleDefault
	switch c {
	case bytefmt.InFlight:
		return s.Foreground(tcell.ColorGray)
	case bytefmt.Delivered:
		return s.Foreground(tcell.ColorSilver)
	case bytefmt.Dropped:
		return s.Foreground(tcell.ColorRed).StrikeThrough(true)
	case bytefmt.Corrupted:
		return s.Foreground(tcell.ColorBlack).Background(tcell.ColorFuchsia)
	case bytefmt.Duplicated:
		return s.Foreground(tcell.ColorAqua).Underline(true)
	case bytefmt.Sentinel:
		return s.Foreground(tcell.ColorBlack).Background(tcell.ColorYellow).Bold(true)
	case bytefmt.Discarded:
		return s.Foreground(tcell.ColorOlive).Dim(true)
	case bytefmt.Accepted:
		return s.Foreground(tcell.ColorLime).Bold(true)
	case bytefmt.Held:
		return s.Foreground(tcell.ColorBlue)
	}
	return s
}
