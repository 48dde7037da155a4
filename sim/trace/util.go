package trace

import "bytes"

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// Total returns the number of bytes the spans cover.
func Total(spans []Span) int64 {
	var n int64
	for _, s := range spans {
		n += s.N
	}
	return n
}
