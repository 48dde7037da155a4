package link

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// H1's numbers (docs/lab.md, 0.15): pieces of 846, 3760 and 470 bytes in
// the port; GLib refills 846, 1024, 1024, 1024, 688, hands over 4096 and
// keeps 510; the next read hands over 980.
func TestGLibOvershoot(t *testing.T) {
	l, _ := newLink(t, fixed(VirtioSerial, Params{}))
	l.HostConnect(0)
	l.HostWrite(0, []byte(strings.Repeat("a", 846)))
	l.HostWrite(int64(700*time.Millisecond), []byte(strings.Repeat("b", 3760)))
	l.HostWrite(int64(1400*time.Millisecond), []byte(strings.Repeat("c", 470)))
	l.AgentStart(int64(2 * time.Second))
	g := NewGLibChannel(virtioSerial{})
	now := int64(2 * time.Second)
	off, data, src := g.Read(now, l.Dir(H2A), 4096)
	if off != 0 || len(data) != 4096 || len(src) != 1 || src[0] != (trace.Span{Off: 0, N: 4096}) || g.Buffered() != 510 || !g.WriteFails() {
		t.Fatalf("seed %d: first read off %d len %d, buffered %d", seed, off, len(data), g.Buffered())
	}
	off, data, _ = g.Read(now, l.Dir(H2A), 4096)
	if off != 4096 || len(data) != 980 || g.Buffered() != 0 || g.WriteFails() {
		t.Fatalf("seed %d: second read off %d len %d, buffered %d", seed, off, len(data), g.Buffered())
	}
	// A unix socket is no character device: no seek, no failed writes.
	u := NewGLibChannel(unixSocket{})
	u.buf = []byte("x")
	if u.WriteFails() {
		t.Fatalf("seed %d: a unix socket write failed", seed)
	}
}
