package live

import (
	"errors"
	"net"
	"sync"
	"syscall"
)

// outq is the bounded queue of bytes waiting to be written to one socket,
// drained by its own writer goroutine so that a slow reader never blocks the
// World. The session puts bytes in without waiting; when the queue holds more
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
	raw     syscall.RawConn
	busy    bool // the writer goroutine is writing (only it may write then)
	// started: the writer goroutine runs. It is started when bytes first
	// wait for the socket: most connections never need it (what the
	// socket takes at once is written by tryWrite), and a goroutine less
	// per connection is less for a small machine to schedule.
	started bool
}

func newOutq(conn net.Conn, limit int, drained func()) *outq {
	q := &outq{conn: conn, limit: limit, kick: make(chan struct{}, 1), drained: drained}
	if sc, ok := conn.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			q.raw = raw
		}
	}
	return q
}

// start starts the writer goroutine if it does not run (with q.mu held).
func (q *outq) start() {
	if !q.started {
		q.started = true
		go q.run()
	}
}

// tryWrite writes what the socket takes at once, without waiting: the fast
// path when nothing is queued (a goroutine hand-off less per delivery).
// It returns how many bytes went.
func (q *outq) tryWrite(b []byte) int {
	if q.raw == nil {
		return 0
	}
	n := 0
	err := q.raw.Write(func(fd uintptr) bool {
		for n < len(b) {
			m, err := syscall.Write(int(fd), b[n:])
			if m > 0 {
				n += m
			}
			if err != nil || m <= 0 {
				break
			}
		}
		return true // never wait for the socket: the writer goroutine does
	})
	if err != nil && !errors.Is(err, syscall.EAGAIN) {
		return n // the writer goroutine will meet the error and report it
	}
	return n
}

// put queues bytes (a copy is kept) and reports whether the queue is now
// over its limit. When nothing is queued it first writes what the socket
// takes at once.
func (q *outq) put(b []byte) bool {
	q.mu.Lock()
	if q.closing || q.failed != nil {
		q.mu.Unlock()
		return false
	}
	if len(q.bufs) == 0 && !q.busy {
		b = b[q.tryWrite(b):]
		if len(b) == 0 {
			q.mu.Unlock()
			return false
		}
	}
	q.bufs = append(q.bufs, append([]byte(nil), b...))
	q.n += len(b)
	over := q.n > q.limit
	if over {
		q.full = true
	}
	q.start()
	q.mu.Unlock()
	q.signal()
	return over
}

// close closes the connection after the queued bytes are written: at once
// when nothing waits and no writer runs.
func (q *outq) close() {
	q.mu.Lock()
	q.closing = true
	if !q.started {
		q.mu.Unlock()
		q.conn.Close()
		return
	}
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
	for range q.kick {
		for {
			q.mu.Lock()
			bufs := q.bufs
			q.bufs = nil
			closing := q.closing
			q.busy = len(bufs) > 0
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
