package bytefmt

import "github.com/gdamore/tcell/v2"

// Style is the colour of a class. The choices carry meaning: red is loss,
// magenta is damage, cyan is something that was not written, the 0xFF byte
// stands out on yellow, the client's rubbish bin is dim, the caller's reply
// is green, bytes still on the wire are grey.
func Style(c Class) tcell.Style {
	s := tcell.StyleDefault
	switch c {
	case InFlight:
		return s.Foreground(tcell.ColorGray)
	case Delivered:
		return s.Foreground(tcell.ColorSilver)
	case Dropped:
		return s.Foreground(tcell.ColorRed).StrikeThrough(true)
	case Corrupted:
		return s.Foreground(tcell.ColorBlack).Background(tcell.ColorFuchsia)
	case Duplicated:
		return s.Foreground(tcell.ColorAqua).Underline(true)
	case Sentinel:
		return s.Foreground(tcell.ColorBlack).Background(tcell.ColorYellow).Bold(true)
	case Discarded:
		return s.Foreground(tcell.ColorOlive).Dim(true)
	case Accepted:
		return s.Foreground(tcell.ColorLime).Bold(true)
	case Held:
		return s.Foreground(tcell.ColorBlue)
	}
	return s
}
