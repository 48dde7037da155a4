package link

import "github.com/qgasim/qgasim/sim/trace"

// GLibChannel is qemu-ga's buffered GIOChannel on its port, the layer
// between the link and the agent core (docs/lab.md, 0.15).
//
// qemu-ga asks for 4096 bytes at a time. GLib refills its own read buffer
// in 1,024-byte reads of the port, each returning at most what is left of
// the piece the port holds, until it has at least 4096 bytes or nothing is
// left; it hands over 4096 and keeps the rest. GLib takes a character
// device for seekable, and on a seekable channel a write with bytes in the
// read buffer first seeks, which a port refuses with ESPIPE: while the
// buffer holds bytes, every reply fails ("error writing to channel: Illegal
// seek") and qemu-ga drops it. A unix socket is not a character device, so
// there the buffer only delays.
type GLibChannel struct {
	// Seekable is the transport's (Transport.Seekable): true on a
	// character device (virtio-serial, isa-serial), false on a unix socket.
	Seekable bool
	buf      []byte
	src      []trace.Span // writer offsets of buf, as runs
	off      int64        // reader offset (in the direction's stream) of buf[0]
}

// GLibRefill is the size of GLib's refill reads.
const GLibRefill = 1024

// NewGLibChannel returns the channel a transport gives qemu-ga.
func NewGLibChannel(t Transport) *GLibChannel {
	return &GLibChannel{Seekable: t.Seekable()}
}

// Read is g_io_channel_read_chars(count): it returns the reader offset of
// the first byte, the bytes and their writer offsets.
func (g *GLibChannel) Read(now int64, d *Direction, count int) (off int64, data []byte, src []trace.Span) {
	if len(g.buf) == 0 {
		// The common case, one short piece and nothing behind it: hand it
		// over as it is.
		o, p, ps := d.ReadPiece(now, min(GLibRefill, count))
		if len(p) == 0 {
			return o, nil, nil
		}
		if len(p) == count {
			return o, p, ps
		}
		o2, p2, ps2 := d.ReadPiece(now, GLibRefill)
		if len(p2) == 0 {
			return o, p, ps
		}
		g.off = o
		g.buf = append(append(g.buf, p...), p2...)
		g.src = appendSpans(appendSpans(g.src, ps), ps2)
		_ = o2
	}
	for len(g.buf) < count {
		o, p, ps := d.ReadPiece(now, GLibRefill)
		if len(p) == 0 {
			break
		}
		if len(g.buf) == 0 {
			g.off = o
		}
		g.buf = append(g.buf, p...)
		g.src = appendSpans(g.src, ps)
	}
	n := min(count, len(g.buf))
	if n == 0 {
		return d.ReadOffset(), nil, nil
	}
	off = g.off
	data = append([]byte(nil), g.buf[:n]...)
	src = cutSpans(nil, g.src, 0, int64(n))
	g.buf, g.src = append(g.buf[:0], g.buf[n:]...), dropSpans(g.src, int64(n))
	g.off += int64(n)
	return off, data, src
}

// Buffered is the number of bytes in GLib's read buffer.
func (g *GLibChannel) Buffered() int { return len(g.buf) }

// WriteFails reports whether a write now fails with "Illegal seek".
func (g *GLibChannel) WriteFails() bool { return g.Seekable && len(g.buf) > 0 }

// FirstPending is the writer offset of the oldest buffered byte (bytes a
// fault added are passed over); false when there is none.
func (g *GLibChannel) FirstPending() (int64, bool) {
	return firstSrc(g.src)
}

// Pending is the writer offsets of the buffered bytes.
func (g *GLibChannel) Pending() []trace.Span { return appendSpans(nil, g.src) }

// Drop empties the buffer (the process died) and returns the writer
// offsets of the bytes lost with it.
func (g *GLibChannel) Drop() []trace.Span {
	src := g.src
	g.buf, g.src = nil, nil
	return src
}
