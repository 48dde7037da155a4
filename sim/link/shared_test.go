package link

import (
	"bytes"
	"testing"
)

// flipAll changes every byte in place, as a corrupting fault does.
type flipAll struct{}

func (flipAll) Apply(now int64, c *Chunk) {
	d := c.Own()
	for i := range d {
		d[i] ^= 0x20
	}
}

// readAll reads what is ready in a direction at a late time.
func readAll(l *Link, d Dir) []byte {
	var out []byte
	for {
		_, data, _ := l.Dir(d).Read(1<<40, 0)
		if len(data) == 0 {
			return out
		}
		out = append(out, data...)
	}
}

// A writer that reuses its buffer after a write (a socket's read buffer in
// live mode) must not change what is in the link: HostWrite and AgentWrite
// keep a copy.
func TestWriteKeepsACopyOfTheWritersBytes(t *testing.T) {
	l, _ := newLink(t, fixed("virtio-serial", Params{}))
	l.HostConnect(0)
	buf := []byte("first")
	l.HostWrite(0, buf)
	l.AgentWrite(0, buf)
	copy(buf, "XXXXX")
	l.HostWrite(0, buf[:2])
	if got := string(readAll(l, H2A)); got != "firstXX" {
		t.Errorf("seed %d: h2a read %q, want %q: the link kept the writer's buffer", seed, got, "firstXX")
	}
	if got := string(readAll(l, A2H)); got != "first" {
		t.Errorf("seed %d: a2h read %q, want %q: the link kept the writer's buffer", seed, got, "first")
	}
}

// A shared write is kept without a copy; a stage that changes bytes
// changes its own copy, never the writer's array, in both directions.
func TestSharedWriteIsNeverChanged(t *testing.T) {
	for _, d := range []Dir{H2A, A2H} {
		l, _ := newLink(t, fixed("virtio-serial", Params{}))
		l.HostConnect(0)
		l.AgentStart(0)
		buf := []byte("abc")
		write := l.HostWriteShared
		if d == A2H {
			write = l.AgentWriteShared
		}
		write(0, buf)
		_, data, _ := l.Dir(d).Read(1<<40, 0)
		if string(data) != "abc" || &data[0] != &buf[0] {
			t.Errorf("seed %d %s: read %q: want the writer's own bytes, not a copy", seed, d, data)
		}
		l.Dir(d).AddStage(flipAll{})
		write(0, buf)
		if got := string(readAll(l, d)); got != "ABC" || string(buf) != "abc" {
			t.Errorf("seed %d %s: read %q, writer's bytes %q: want ABC read and abc left as written", seed, d, got, buf)
		}
	}
}

// Own copies shared bytes once and leaves a chunk's own bytes in place.
func TestChunkOwn(t *testing.T) {
	buf := []byte("xy")
	c := Chunk{Data: buf, shared: true}
	d := c.Own()
	if &d[0] == &buf[0] || !bytes.Equal(d, buf) {
		t.Fatalf("Own of shared bytes gave %q at the writer's array", d)
	}
	if e := c.Own(); &e[0] != &d[0] {
		t.Fatal("a second Own copied again")
	}
	own := Chunk{Data: buf}
	if e := own.Own(); &e[0] != &buf[0] {
		t.Fatal("Own copied bytes the chunk already owned")
	}
}
