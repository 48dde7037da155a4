package fault

import (
	"strconv"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

func itoa(n int) string { return strconv.Itoa(n) }

// inject puts bytes nobody wrote into its direction (default the 0xFF
// sentinel): at a time firing on their own, at a byte trigger right after
// that byte. Stray bytes from another process on the channel, or the host
// pressing "send 0xFF" in the UI.
type inject struct {
	*base
	data []byte
}

var injectKind = &Kind{
	Name: "inject", Dir: link.H2A, EventsPerFiring: 1,
	Doc: "bytes nobody wrote enter the direction: on a time firing on their own (the UI's \"host writes 0xFF\"), " +
		"on a byte trigger right after that byte",
	Params: []Param{
		{Name: "bytes", Type: Bytes, Min: 1, Default: Raw([]byte{0xff}), Doc: "the bytes added at each firing"},
	},
	build: func(b *base, v values) Fault { return &inject{base: b, data: v.bytes("bytes")} },
}

func (f *inject) Fire(now int64) {
	if !f.tick(now) {
		return
	}
	f.env.Add(now, f.dir, f.data)
	ev := f.event(now)
	ev.Added, ev.N, ev.Bytes, ev.Text = int64(len(f.data)), int64(len(f.data)), trace.Bytes(f.data), "bytes injected"
	f.env.Emit(ev)
}

func (f *inject) Apply(now int64, c *link.Chunk) {
	if f.idle(now, c.Data) {
		return
	}
	var data []byte
	var src []int64
	added := 0
	for i, b := range c.Data {
		if data != nil {
			data, src = append(data, b), append(src, c.Off(i))
		}
		if !f.scan(now, b) {
			continue
		}
		if data == nil {
			data, src = append([]byte(nil), c.Data[:i+1]...), append([]int64(nil), c.Offsets()[:i+1]...)
		}
		data = append(data, f.data...)
		for range f.data {
			src = append(src, -1)
		}
		added += len(f.data)
	}
	if data != nil {
		c.Data, c.Src = data, src
		ev := f.event(now)
		ev.Added, ev.N, ev.Bytes, ev.Text = int64(added), int64(added), trace.Bytes(f.data), "bytes injected"
		f.env.Emit(ev)
	}
}
