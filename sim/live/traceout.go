package live

import (
	"bufio"
	"io"

	"github.com/qgasim/qgasim/sim/trace"
)

// traceOut writes events as JSON Lines as they happen, flushed after every
// batch the loop handles so that `tail -f` follows the session. The first
// error stops the writing and is reported when the session closes.
type traceOut struct {
	bw    *bufio.Writer
	tw    *trace.Writer
	dirty bool
	fail  error
}

func newTraceOut(w io.Writer) *traceOut {
	bw := bufio.NewWriterSize(w, 64<<10)
	return &traceOut{bw: bw, tw: trace.NewWriter(bw)}
}

func (t *traceOut) write(ev trace.Event) {
	if t.fail != nil {
		return
	}
	if err := t.tw.Write(ev); err != nil {
		t.fail = err
	}
	t.dirty = true
}

func (t *traceOut) flush() {
	if !t.dirty || t.fail != nil {
		return
	}
	t.dirty = false
	if err := t.bw.Flush(); err != nil {
		t.fail = err
	}
}

func (t *traceOut) err() error { return t.fail }
