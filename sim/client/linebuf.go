package client

import "bytes"

// lineBuf holds received bytes not yet consumed, with the offset of its first
// byte in everything the client received since it started, so that a line
// handed to a caller can be traced back to the bytes it came from.
type lineBuf struct {
	buf []byte
	// spare is the array buf lies in: an empty buffer starts there again,
	// and bytes still buffered move to its start rather than into a new
	// one when a read does not fit after them (a client reads all run
	// long, often a few bytes at a time). Nothing keeps a slice of buf
	// past the next add: line copies, peekLine's line is read at once.
	spare []byte
	start int64 // stream offset of buf[0]
	total int64 // bytes received in all
}

// add appends one read.
func (l *lineBuf) add(data []byte) {
	n := len(l.buf) + len(data)
	switch {
	case len(l.buf) == 0:
		l.start = l.total
		if cap(l.spare) > maxSpare {
			l.spare = nil // after a long line: give it back
		}
		l.buf = l.spare[:0]
	case n > cap(l.buf) && n <= cap(l.spare):
		l.buf = l.spare[:copy(l.spare[:cap(l.spare)], l.buf)]
	}
	if n > cap(l.buf) {
		// A new array: the next reads start in it.
		l.buf = append(l.buf, data...)
		l.spare = l.buf
	} else {
		l.buf = append(l.buf, data...)
	}
	l.total += int64(len(data))
}

// skip counts n received bytes thrown away unbuffered, with nothing
// buffered; it returns the stream offset of the first.
func (l *lineBuf) skip(n int) (from int64) {
	from = l.total
	l.total += int64(n)
	l.start = l.total
	return from
}

// maxSpare is the largest array an empty buffer keeps for the next read.
const maxSpare = 64 << 10

// line takes the next complete line. The returned line has no '\n'; from/to
// are its stream offsets, the '\n' included.
func (l *lineBuf) line() (line []byte, from, to int64, ok bool) {
	line, from, to, ok = l.peekLine()
	if ok {
		line = append([]byte(nil), line...)
	}
	return line, from, to, ok
}

// peekLine is line without the copy: the returned line is the buffer's
// own bytes, to be read before the next add and never kept.
func (l *lineBuf) peekLine() (line []byte, from, to int64, ok bool) {
	i := bytes.IndexByte(l.buf, '\n')
	if i < 0 {
		return nil, 0, 0, false
	}
	line = l.buf[:i:i]
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
