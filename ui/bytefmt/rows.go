package bytefmt

// A byte row is drawn as
//
//	TTTTTTT hh hh hh ...  text
//
// a time column (TimeWidth), a space, the hex cells separated by spaces, two
// spaces, and one text column per byte.
const (
	TimeWidth = 7
	maxPerRow = 32
)

// RowWidth is the width of a row of n bytes.
func RowWidth(n int) int { return TimeWidth + 1 + 3*n - 1 + 2 + n }

// PerRow is how many bytes fit on one row of a pane width columns wide: the
// most that fit, a multiple of 4 from 8 up (so that offsets are easy to
// count), at least 1, at most 32.
func PerRow(width int) int {
	n := (width - TimeWidth - 2) / 4
	switch {
	case n > maxPerRow:
		n = maxPerRow
	case n >= 8:
		n -= n % 4
	case n < 1:
		n = 1
	}
	return n
}

// HexColumn is the column (from the start of a row) of byte i's hex cell;
// TextColumn the column of its text cell, for a row of n bytes. The panes
// use them to draw and to map a mouse click back to a byte.
func HexColumn(i int) int { return TimeWidth + 1 + 3*i }

// TextColumn is the column of byte i's text cell in a row of n bytes.
func TextColumn(i, n int) int { return TimeWidth + 1 + 3*n - 1 + 2 + i }

// ByteAt maps a column of a row of n bytes back to the byte drawn there,
// hex or text cell; ok is false between cells and in the time column.
func ByteAt(col, n int) (i int, ok bool) {
	h := col - (TimeWidth + 1)
	if h >= 0 && h < 3*n-1 {
		if h%3 == 2 {
			return 0, false
		}
		return h / 3, true
	}
	t := col - TextColumn(0, n)
	if t >= 0 && t < n {
		return t, true
	}
	return 0, false
}
