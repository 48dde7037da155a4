package trace

import (
	"encoding/json"
	"errors"
	"strconv"
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
func AppendQuoted(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	for _, c := range b {
		switch {
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c >= 0x20 && c < 0x7f:
			dst = append(dst, c)
		default:
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return dst
}

// ErrBadBytes is returned for a readable form that Unquote cannot parse.
var ErrBadBytes = errors.New("trace: bad escaped bytes")

// Unquote parses the readable form back into bytes.
func Unquote(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 < len(s) && s[i+1] == 'x' {
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return nil, ErrBadBytes
			}
			out = append(out, byte(v))
			i += 3
			continue
		}
		return nil, ErrBadBytes
	}
	return out, nil
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
