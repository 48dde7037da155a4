package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Bytes are raw stream bytes. In JSON they are a string that a person can
// read: printable ASCII stays, a backslash is \\, any other byte is \xNN
// (so the 0xFF sentinel shows as \xff and a newline as \x0a).
type Bytes []byte

// Quote returns the readable form of b (without JSON's own escaping).
func Quote(b []byte) string {
	out := make([]byte, 0, len(b)+8)
	return string(AppendQuoted(out, b))
}

// AppendQuoted appends the readable form of b to dst.
func AppendQuoted(dst, b []byte) []byte { return appendQuoted(dst, b, false) }

// QuoteText is Quote with the three usual control characters named (\n,
// \r, \t) instead of hex: the form scenario files use, for lines of
// protocol text. Unquote reads both forms.
func QuoteText(b []byte) string {
	out := make([]byte, 0, len(b)+8)
	return string(appendQuoted(out, b, true))
}

func appendQuoted(dst, b []byte, named bool) []byte {
	const hex = "0123456789abcdef"
	for _, c := range b {
		switch {
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c >= 0x20 && c < 0x7f:
			dst = append(dst, c)
		case named && c == '\n':
			dst = append(dst, '\\', 'n')
		case named && c == '\r':
			dst = append(dst, '\\', 'r')
		case named && c == '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// ErrBadBytes is wrapped by every error of Unquote.
var ErrBadBytes = errors.New("trace: bad escaped bytes")

// BytesError is what Unquote could not read, and where.
type BytesError struct {
	Offset int    // byte offset of the backslash in the text
	Msg    string // what is wrong and what would be valid
}

func (e *BytesError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrBadBytes) hold.
func (e *BytesError) Is(target error) bool { return target == ErrBadBytes }

// Escapes lists the escapes Unquote reads, for messages and documentation.
const Escapes = `\xNN \uXXXX \n \r \t \0 \\ \" \'`

// Unquote reads bytes written with escapes: the one byte grammar of qgasim,
// for trace files and for every byte field of a scenario. \xNN is one byte
// (two hex digits), \uXXXX is a character in UTF-8 (four hex digits), \n
// \r \t \0 are LF, CR, TAB and NUL, and \\ \" \' are the character after
// the backslash; every other byte stands for itself. It reverses Quote and
// QuoteText.
func Unquote(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		bad := func(format string, args ...any) error {
			return &BytesError{Offset: i, Msg: fmt.Sprintf(format, args...)}
		}
		if i+1 >= len(s) {
			return nil, bad(`a lone backslash at the end (write \\ for a backslash)`)
		}
		switch e := s[i+1]; e {
		case 'x', 'u':
			n := 2
			if e == 'u' {
				n = 4
			}
			digits := s[i+2 : min(len(s), i+2+n)]
			v, err := strconv.ParseUint(digits, 16, 32)
			if len(digits) < n || err != nil {
				return nil, bad(`\%c needs %d hex digits, not %q`, e, n, digits)
			}
			if e == 'x' {
				out = append(out, byte(v))
			} else {
				out = utf8.AppendRune(out, rune(v))
			}
			i += 1 + n
		case 'n':
			out, i = append(out, '\n'), i+1
		case 'r':
			out, i = append(out, '\r'), i+1
		case 't':
			out, i = append(out, '\t'), i+1
		case '0':
			out, i = append(out, 0), i+1
		case '\\', '"', '\'':
			out, i = append(out, e), i+1
		default:
			return nil, bad(`unknown escape \%s (valid: %s)`, printable(s[i+1:]), Escapes)
		}
	}
	return out, nil
}

// printable is the character after a backslash, for a message.
func printable(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !strconv.IsPrint(r) {
		return fmt.Sprintf("x%02x", s[0])
	}
	return string(r)
}

// MarshalJSON writes the readable form as a JSON string.
func (b Bytes) MarshalJSON() ([]byte, error) { return json.Marshal(Quote(b)) }

// UnmarshalJSON reads the readable form.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := Unquote(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// MarshalJSON writes a span as [off, n].
func (s Span) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	b = strconv.AppendInt(b, s.Off, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, s.N, 10)
	return append(b, ']'), nil
}

// UnmarshalJSON reads [off, n].
func (s *Span) UnmarshalJSON(data []byte) error {
	var a [2]int64
	if err := json.Unmarshal(data, &a); err != nil {
		return err
	}
	s.Off, s.N = a[0], a[1]
	return nil
}
