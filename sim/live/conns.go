package live

import (
	"context"
	"net"
	"time"
)

// chunk is one read of a socket, stamped with the wall time it arrived.
type chunk struct {
	at   time.Time
	data []byte
	eof  bool
}

// peer is a real program's connection: a reader goroutine hands its reads
// to the loop through data, one at a time. The loop takes them only while
// the link has room for more; otherwise the reader waits, the socket's
// buffer fills and the program's own writes block. A connection that waits
// for the channel (another client has it) is not read at all: its bytes
// wait in its socket, as on QEMU's chardev.
type peer struct {
	conn net.Conn
	data chan chunk
	gone chan struct{} // closed when the loop abandons the connection
	q    *outq         // its writer, once it is in use
}

func (s *Session) newPeer(c net.Conn) *peer {
	p := &peer{conn: c, data: make(chan chunk), gone: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			buf := make([]byte, readSize)
			n, err := c.Read(buf)
			if n > 0 {
				if !p.hand(s, chunk{at: time.Now(), data: buf[:n]}) {
					return
				}
			}
			if err != nil {
				p.hand(s, chunk{at: time.Now(), eof: true})
				return
			}
		}
	}()
	return p
}

func (p *peer) hand(s *Session, c chunk) bool {
	select {
	case p.data <- c:
		return true
	case <-p.gone:
		return false
	case <-s.stopped:
		return false
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
	// Close ends the managed process, if any, when the session ends.
	Close() error
}
