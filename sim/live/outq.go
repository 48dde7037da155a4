package live

import (
	"net"
	"sync"
)

// outq is the bounded queue of bytes waiting to be written to one socket,
// drained by its own writer goroutine so that a slow reader never blocks the
// World. The loop puts bytes in without waiting; when the queue holds more
// than its limit the loop stops the link from delivering to that side
// (sim.World.SetHostReading, SetAgentReading): the bytes stay in the link,
// where the transport's capacity holds the writer in turn. That is the
// backpressure of a real channel, carried through the simulation instead of
// around it. When the writer has brought the queue under half its limit it
// tells the loop (drained), which lets delivery go on.
type outq struct {
	conn  net.Conn
	limit int

	mu      sync.Mutex
	bufs    [][]byte
	n       int  // bytes queued
	full    bool // the loop was told the queue is full
	closing bool // close the connection once the queue is empty
	failed  error

	kick    chan struct{} // the writer has work
	drained func()        // called (from the writer) when a full queue drains
	done    chan struct{} // the writer has exited
}

func newOutq(conn net.Conn, limit int, drained func()) *outq {
	q := &outq{conn: conn, limit: limit, kick: make(chan struct{}, 1), drained: drained, done: make(chan struct{})}
	go q.run()
	return q
}

// put queues bytes (a copy is kept) and reports whether the queue is now
// over its limit.
func (q *outq) put(b []byte) bool {
	q.mu.Lock()
	if q.closing || q.failed != nil {
		q.mu.Unlock()
		return false
	}
	q.bufs = append(q.bufs, append([]byte(nil), b...))
	q.n += len(b)
	over := q.n > q.limit
	if over {
		q.full = true
	}
	q.mu.Unlock()
	q.signal()
	return over
}

// close closes the connection after the queued bytes are written.
func (q *outq) close() {
	q.mu.Lock()
	q.closing = true
	q.mu.Unlock()
	q.signal()
}

func (q *outq) signal() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

func (q *outq) run() {
	defer close(q.done)
	for range q.kick {
		for {
			q.mu.Lock()
			bufs := q.bufs
			q.bufs = nil
			closing := q.closing
			q.mu.Unlock()
			if len(bufs) == 0 {
				if closing {
					q.conn.Close()
					return
				}
				break
			}
			n := 0
			for _, b := range bufs {
				n += len(b)
			}
			nb := net.Buffers(bufs)
			_, err := nb.WriteTo(q.conn)
			q.mu.Lock()
			q.n -= n
			wake := q.full && q.n <= q.limit/2
			if wake {
				q.full = false
			}
			if err != nil {
				// The peer went away: what it did not take is lost with
				// its socket. The reader side reports the close.
				q.failed = err
				q.bufs, q.n = nil, 0
				wake = q.full
				q.full = false
			}
			q.mu.Unlock()
			if wake && q.drained != nil {
				q.drained()
			}
			if err != nil {
				q.conn.Close()
				return
			}
		}
	}
}
