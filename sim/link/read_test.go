package link

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

// Whatever the sizes of writes and reads and their times, the reader gets
// the writer's stream in order, each read with the writer offsets of its
// bytes, and a piece read never joins writes that arrived apart.
func TestReadsGiveTheWrittenStream(t *testing.T) {
	for _, tr := range []string{"virtio-serial", "isa-serial", "unix-socket"} {
		r := rand.New(rand.NewPCG(seed, 11))
		l, _ := newLink(t, Both(tr, Params{Capacity: -1}))
		l.HostConnect(0)
		l.AgentStart(0)
		d := l.Dir(A2H)
		var wrote, got []byte
		now := int64(0)
		for step := 0; step < 3000; step++ {
			now += int64(r.IntN(int(time.Millisecond)))
			if r.IntN(3) == 0 {
				w := make([]byte, 1+r.IntN(40))
				for i := range w {
					w[i] = byte('a' + r.IntN(26))
				}
				wrote = append(wrote, w...)
				if r.IntN(2) == 0 {
					l.AgentWrite(now, w)
				} else {
					l.AgentWriteShared(now, w)
				}
				continue
			}
			read := d.Read
			if r.IntN(2) == 0 {
				read = d.ReadPiece
			}
			off, data, src := read(now, r.IntN(20))
			if off != int64(len(got)) {
				t.Fatalf("seed %d %s step %d: read at offset %d, want %d", seed, tr, step, off, len(got))
			}
			if spansLen(src) != int64(len(data)) || len(data) > 0 && (len(src) != 1 || src[0].Off != off) {
				t.Fatalf("seed %d %s step %d: %d bytes at %d with runs %v", seed, tr, step, len(data), off, src)
			}
			got = append(got, data...)
		}
		for {
			_, data, _ := d.Read(1<<50, 0)
			if len(data) == 0 {
				break
			}
			got = append(got, data...)
		}
		if !bytes.Equal(got, wrote) {
			t.Fatalf("seed %d %s: read %d bytes, wrote %d: streams differ", seed, tr, len(got), len(wrote))
		}
	}
}
