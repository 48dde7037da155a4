package termsafe

import (
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Writer escapes every control character written through it, except
// newline and tab, before it reaches the underlying writer. A UTF-8
// sequence cut between two writes is held until the next one; Flush writes
// what is held at the end. It is safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	tail []byte // the start of a UTF-8 sequence cut by the end of a write
}

// NewWriter wraps w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it. It reports len(p) on success, as the
// caller's bytes were all consumed, whatever their escaped length.
func (t *Writer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	data := p
	if len(t.tail) > 0 {
		data = append(t.tail, p...)
		t.tail = nil
	}
	// Hold back an incomplete UTF-8 sequence at the end.
	cut := len(data)
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(data[i]) {
			if data[i] >= utf8.RuneSelf && !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	t.tail = append([]byte(nil), data[cut:]...)
	if err := t.emit(data[:cut]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes, escaped, a UTF-8 sequence left incomplete at the end.
func (t *Writer) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	tail := t.tail
	t.tail = nil
	return t.emit(tail)
}

func (t *Writer) emit(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	s := string(p)
	if !cleanStream(s) {
		var b strings.Builder
		appendEscaped(&b, s, true)
		s = b.String()
	}
	_, err := io.WriteString(t.w, s)
	return err
}

// cleanStream: nothing to escape, newlines and tabs allowed.
func cleanStream(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			return cleanUTF8(s[i:])
		}
	}
	return true
}
