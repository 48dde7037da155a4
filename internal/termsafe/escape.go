package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line escapes every control character of s, newline included.
func Line(s string) string {
	if clean(s, false) {
		return s
	}
	var b strings.Builder
	appendEscaped(&b, s, false)
	return b.String()
}

// Block escapes every control character of s but the newline, and puts
// indent after each newline (and nothing before the first line).
func Block(s, indent string) string {
	if clean(s, true) && !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
			b.WriteString(indent)
		}
		appendEscaped(&b, line, false)
	}
	return b.String()
}

// clean reports whether s needs no escape (keepNL: a newline is fine).
func clean(s string, keepNL bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			if keepNL && c == '\n' {
				continue
			}
			return false
		}
		if c >= 0x80 {
			return cleanUTF8(s[i:])
		}
	}
	return true
}

func cleanUTF8(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || isUnsafeRune(r) {
			// U+FFFD itself is fine, but it may stand for a bad byte:
			// take the slow, exact path.
			return false
		}
	}
	return true
}

// isUnsafeRune is a non-ASCII rune that a terminal acts on or that
// reorders the text shown around it.
func isUnsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r == 0x200e || r == 0x200f: // left-to-right, right-to-left marks
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	}
	return false
}

// appendEscaped writes s to b with every control escaped; keep lists the
// ASCII controls left as they are.
func appendEscaped(b *strings.Builder, s string, keepNLTab bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case keepNLTab && (c == '\n' || c == '\t'):
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20 || c == 0x7f:
				fmt.Fprintf(b, `\x%02x`, c)
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(b, `\x%02x`, c)
		case isUnsafeRune(r):
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}
