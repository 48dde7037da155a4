package bytefmt

import (
	"strconv"
	"strings"
)

const hexDigits = "0123456789abcdef"

// Hex is the two-character hex cell of b.
func Hex(b byte) string { return string([]byte{hexDigits[b>>4], hexDigits[b&15]}) }

// Text is the one-column text cell of b: printable ASCII as is, a newline
// as ¶ (a reply ends with one, and a reader should see where), the 0xFF
// sentinel as a full block, anything else as a middle dot.
func Text(b byte) rune {
	switch {
	case b >= 0x20 && b < 0x7f:
		return rune(b)
	case b == '\n':
		return '¶'
	case b == 0xFF:
		return '█'
	}
	return '·'
}

// Time formats a virtual time in nanoseconds as seconds with milliseconds,
// the unit every pane uses: 6004000000 -> "6.004".
func Time(ns int64) string {
	neg := ns < 0
	if neg {
		ns = -ns
	}
	ms := ns / 1e6
	s := strconv.FormatInt(ms/1000, 10) + "." + pad3(ms%1000)
	if neg {
		return "-" + s
	}
	return s
}

// Duration formats a length of virtual time for people: "850ms", "5.000s".
func Duration(ns int64) string {
	if ns < 0 {
		return "-" + Duration(-ns)
	}
	if ns == 0 {
		return "0s"
	}
	if ns < 1e9 {
		if ns < 1e6 {
			return strconv.FormatInt(ns/1e3, 10) + "us"
		}
		return strconv.FormatInt(ns/1e6, 10) + "ms"
	}
	return Time(ns) + "s"
}

func pad3(v int64) string {
	s := strconv.FormatInt(v, 10)
	return strings.Repeat("0", 3-len(s)) + s
}

// Count formats a byte count with thousands separators: 3210 -> "3,210".
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + Count(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Speed formats a play speed (virtual seconds per wall second).
func Speed(x float64) string {
	if x >= 1 {
		return "x" + strconv.FormatFloat(x, 'f', -1, 64)
	}
	return "x" + strconv.FormatFloat(x, 'f', 3, 64)
}
