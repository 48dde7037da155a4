package live

import (
	"context"
	"net"
	"sync"
	"syscall"
	"time"
)

// chunk is one read of a socket, stamped with the wall time it arrived.
type chunk struct {
	at   time.Time
	data []byte
	eof  bool
}

// peer is a real program's connection. Its reader goroutine reads only
// while the session may take what it reads (the gate, see mayRead): the
// connection has the channel (or is the agent's) and the link has room.
// Otherwise the reader waits, the socket's buffer fills and the program's
// own writes block. A connection that waits for the channel (another client
// has it) is not read at all: its bytes wait in its socket, as on QEMU's
// chardev.
type peer struct {
	conn net.Conn
	wake chan struct{} // the gate may be open: look again
	gone chan struct{} // closed when the session lets the connection go
	q    *outq         // its writer, once it is in use
}

// newPeer starts a connection's reader (with the lock held).
func (s *Session) newPeer(c net.Conn) *peer {
	p := s.addPeer(c)
	go s.read(p)
	return p
}

// addPeer is a connection whose reader the caller starts (go s.read(p))
// once it has let go of the lock (with the lock held: the session counts
// the reader now, before it can end).
func (s *Session) addPeer(c net.Conn) *peer {
	p := &peer{conn: c, wake: make(chan struct{}, 1), gone: make(chan struct{})}
	s.wg.Add(1)
	return p
}

// readNow hands the session what a new connection holds already, read
// without waiting: a client that wrote as it connected has its first
// request go on at once, instead of after its reader goroutine is first
// scheduled (on a busy machine, that was most of what a connection added
// to its first request's latency). A connection that holds nothing, or
// its end, is left to the reader.
func (s *Session) readNow(p *peer) {
	sc, ok := p.conn.(syscall.Conn)
	if !ok {
		return
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return
	}
	s.mu.Lock()
	ok = s.mayRead(p)
	s.mu.Unlock()
	if !ok {
		return
	}
	bp := readBufs.Get().(*[readSize]byte)
	defer readBufs.Put(bp)
	n := 0
	_ = raw.Read(func(fd uintptr) bool {
		n, _ = syscall.Read(int(fd), bp[:])
		return true // never wait: the reader does
	})
	if n > 0 {
		s.fromPeer(p, chunk{at: time.Now(), data: bp[:n]})
	}
}

// readBufs keeps the readers' buffers between connections: a client that
// connects for each request would otherwise cost a new 32 KiB buffer, and
// the garbage collector's time, each time.
var readBufs = sync.Pool{New: func() any { return new([readSize]byte) }}

func (s *Session) read(p *peer) {
	defer s.wg.Done()
	bp := readBufs.Get().(*[readSize]byte)
	defer readBufs.Put(bp)
	buf := bp[:]
	for {
		// Wait for the gate.
		for {
			s.mu.Lock()
			ok, over := s.mayRead(p), s.ended
			s.mu.Unlock()
			if over {
				return
			}
			if ok {
				break
			}
			select {
			case <-p.wake:
			case <-p.gone:
				return
			case <-s.stopReq:
				return
			}
		}
		n, err := p.conn.Read(buf)
		at := time.Now()
		if n > 0 {
			s.fromPeer(p, chunk{at: at, data: buf[:n]})
		}
		if err != nil {
			select {
			case <-p.gone: // the session closed it: nothing to tell
			default:
				s.fromPeer(p, chunk{at: at, eof: true})
			}
			return
		}
	}
}

// open wakes the reader to look at its gate again.
func (p *peer) open() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// abandon closes the connection now and stops its reader; what was queued
// for it is dropped.
func (p *peer) abandon() {
	select {
	case <-p.gone:
		return
	default:
	}
	close(p.gone)
	p.conn.Close()
}

// finish closes the connection after its queued bytes are written (within
// a grace period: a program that never reads must not hold the session).
func (p *peer) finish(grace time.Duration) {
	select {
	case <-p.gone:
		return
	default:
	}
	close(p.gone)
	if p.q == nil {
		p.conn.Close()
		return
	}
	_ = p.conn.SetWriteDeadline(time.Now().Add(grace))
	p.q.close()
}

// Upstream is the real agent a proxy session talks to.
type Upstream interface {
	// Dial returns a connection to the agent, starting the agent first
	// when the Upstream manages its process and none runs. It may retry
	// until ctx ends (an agent starting up has no socket yet).
	Dial(ctx context.Context) (net.Conn, error)
	// Kill kills the managed agent process (SIGKILL) and reports true;
	// an Upstream that manages no process does nothing and reports false
	// (the session then only closes its connection).
	Kill() bool
	// Signal sends sig (SIGSTOP, SIGCONT, SIGTERM) to the managed agent
	// process and reports true; an Upstream that manages no process does
	// nothing and reports false.
	Signal(sig syscall.Signal) bool
	// Close ends the managed process, if any, when the session ends.
	Close() error
}
