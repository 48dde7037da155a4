package live

import (
	"bufio"
	"io"
	"sync"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// traceOut writes events as JSON Lines from a goroutine of its own: the
// session hands it each event (a copy: the event's bytes may be in a
// reader's buffer) and goes on, and the writer encodes and writes them in
// order, at most flushDelay after they happened, so that `tail -f` follows
// the session. Encoding and the write(2) were on the path of every request
// while the session held its lock (a proxy with --trace added some 20 µs a
// request on a small machine); waking the writer for every request cost as
// much again (a goroutine hand-off, on another CPU that the agent needs).
// So the first event after a quiet spell arms a timer, and the writer takes
// everything that came meanwhile in one batch.
//
// Memory is bounded: when maxPending events wait, the session waits for
// the writer (a slow disk slows the session, it never grows it). The first
// error stops the writing and is reported by close.
type traceOut struct {
	w io.Writer

	mu      sync.Mutex
	room    *sync.Cond // the writer took a batch: there is room again
	pending []trace.Event
	armed   bool // a timer will wake the writer
	closing bool
	fail    error

	kick chan struct{} // the writer has work
	done chan struct{} // the writer has exited
}

// maxPending bounds the events waiting for the writer.
const maxPending = 1 << 14

// flushDelay is the longest an event waits before it is written.
const flushDelay = 10 * time.Millisecond

func newTraceOut(w io.Writer) *traceOut {
	t := &traceOut{w: w, kick: make(chan struct{}, 1), done: make(chan struct{})}
	t.room = sync.NewCond(&t.mu)
	go t.run()
	return t
}

// write queues an event (a copy of it).
func (t *traceOut) write(ev trace.Event) {
	t.mu.Lock()
	for len(t.pending) >= maxPending && t.fail == nil {
		t.signal()
		t.room.Wait()
	}
	if t.fail == nil {
		t.pending = append(t.pending, ownEvent(ev))
		switch {
		case len(t.pending) >= maxPending/2:
			t.signal()
		case !t.armed:
			t.armed = true
			time.AfterFunc(flushDelay, t.signal)
		}
	}
	t.mu.Unlock()
}

func (t *traceOut) signal() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// close writes what is queued, stops the writer and returns the first
// error.
func (t *traceOut) close() error {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
	t.signal()
	<-t.done
	return t.fail
}

func (t *traceOut) run() {
	defer close(t.done)
	bw := bufio.NewWriterSize(t.w, 64<<10)
	tw := trace.NewWriter(bw)
	var batch []trace.Event
	for range t.kick {
		for {
			t.mu.Lock()
			batch, t.pending = t.pending, batch[:0]
			t.armed = false
			closing, failed := t.closing, t.fail != nil
			t.room.Broadcast()
			t.mu.Unlock()
			if len(batch) == 0 {
				if closing {
					return
				}
				break
			}
			var err error
			if !failed {
				for _, ev := range batch {
					if err = tw.Write(ev); err != nil {
						break
					}
				}
				if err == nil {
					err = bw.Flush()
				}
			}
			clear(batch)
			if err != nil {
				t.mu.Lock()
				t.fail = err
				t.room.Broadcast()
				t.mu.Unlock()
			}
		}
	}
}
