package client

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// BenchmarkDelimitedRechunked is one request of the fault-heavy minute's
// client as the World drives it: the delimited strategy behind its lock,
// with every reply cut into reads of at most 16 bytes, stale bytes before
// the sentinel, and the driver's calls after each read (Take, Status when
// it changed, Recycle, Retained, Reading).
func BenchmarkDelimitedRechunked(b *testing.B) {
	c, err := New("delimited", Options{}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		b.Fatal(err)
	}
	d := benchDriver{c: c}
	d.call(func() { c.Connected(0) })
	stale := []byte(`{"return": {"version": "7.2.0", "supported_commands": []}}` + "\n")
	args := []byte(`{"id": 4242}`)
	var reply []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		now := int64(i+1) * 100e6
		d.call(func() { c.Issue(now, Request{Seq: i + 1, Execute: "guest-sync", Arguments: args}) })
		id := syncIDOf(b, d.last)
		d.read(now, stale)
		reply = append(append(append(reply[:0], 0xFF), `{"return": `...), id...)
		d.read(now, append(reply, "}\n"...))
		d.read(now, []byte(`{"return": 4242}`+"\n"))
		if d.outcomes != i+1 {
			b.Fatalf("request %d: %d outcomes", i+1, d.outcomes)
		}
	}
}

// benchDriver calls a client as the World does.
type benchDriver struct {
	c        Client
	last     []byte // the last write
	outcomes int
	status   Status
}

func (d *benchDriver) call(f func()) {
	f()
	a := d.c.Take()
	if a.Changed {
		d.status = d.c.Status()
	}
	for _, w := range a.Writes {
		d.last = w.Data
	}
	d.outcomes += len(a.Outcomes)
	if r, ok := d.c.(Recycler); ok {
		r.Recycle(a)
	}
	if r, ok := d.c.(Retainer); ok {
		_ = r.Retained()
	}
}

// read hands data to the client in reads of at most 16 bytes.
func (d *benchDriver) read(now int64, data []byte) {
	for len(data) > 0 {
		if r, ok := d.c.(Reader); ok && !r.Reading() {
			return
		}
		n := min(len(data), 16)
		chunk := data[:n]
		d.call(func() { d.c.Receive(now, chunk) })
		data = data[n:]
	}
}

// syncIDOf is the id of a guest-sync-delimited write.
func syncIDOf(b *testing.B, w []byte) []byte {
	_, id, ok := bytes.Cut(w, []byte(`"id":`))
	if !ok {
		b.Fatalf("no sync id in %q", w)
	}
	return bytes.TrimSuffix(id, []byte("}}\n"))
}
