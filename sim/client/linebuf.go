package client

import "bytes"

// lineBuf holds received bytes not yet consumed, with the offset of its first
// byte in everything the client received since it started, so that a line
// handed to a caller can be traced back to the bytes it came from.
type lineBuf struct {
	buf []byte
	// spare is the array buf last started at: an empty buffer starts
	// there again instead of in a new one (a client reads all run long;
	// nothing keeps a slice of buf: line copies).
	spare []byte
	start int64 // stream offset of buf[0]
	total int64 // bytes received in all
}

// add appends one read.
func (l *lineBuf) add(data []byte) {
	if len(l.buf) == 0 {
		l.start = l.total
		if cap(l.spare) > maxSpare {
			l.spare = nil // after a long line: give it back
		}
		l.buf = append(l.spare[:0], data...)
		l.spare = l.buf
	} else {
		l.buf = append(l.buf, data...)
	}
	l.total += int64(len(data))
}

// maxSpare is the largest array an empty buffer keeps for the next read.
const maxSpare = 64 << 10

// line takes the next complete line. The returned line has no '\n'; from/to
// are its stream offsets, the '\n' included.
func (l *lineBuf) line() (line []byte, from, to int64, ok bool) {
	i := bytes.IndexByte(l.buf, '\n')
	if i < 0 {
		return nil, 0, 0, false
	}
	line = append([]byte(nil), l.buf[:i]...)
	from, to = l.start, l.start+int64(i)+1
	l.consume(i + 1)
	return line, from, to, true
}

// discardThrough drops bytes up to and including the first c; it reports
// whether c was found (otherwise everything is dropped) and how many bytes
// were thrown away.
func (l *lineBuf) discardThrough(c byte) (found bool, dropped int) {
	i := bytes.IndexByte(l.buf, c)
	if i < 0 {
		n := len(l.buf)
		l.consume(n)
		return false, n
	}
	l.consume(i + 1)
	return true, i + 1
}

func (l *lineBuf) consume(n int) {
	l.start += int64(n)
	l.buf = l.buf[n:]
	if len(l.buf) == 0 {
		l.buf = nil
		l.start = l.total
	}
}

// reset forgets everything buffered (a new connection).
func (l *lineBuf) reset() {
	l.buf = nil
	l.start = l.total
}

// pending is the number of bytes buffered.
func (l *lineBuf) pending() int { return len(l.buf) }
