package agentserver

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/qgasim/qgasim/sim/agent"
)

// readSize is the most one read takes. qemu-ga reads 4 KiB at a time
// (QGA_READ_COUNT_DEFAULT); reading more costs fewer system calls and
// changes nothing a client can see: the parser gets the same bytes in the
// same order (it does not care where reads end), so the replies are the
// same; only their batches are bigger.
const readSize = 64 << 10

// ErrShutdown is returned when the guest shut down (guest-shutdown): the
// agent is gone.
var ErrShutdown = errors.New("the guest shut down (guest-shutdown): the agent has stopped")

// Server runs one simulated agent.
type Server struct {
	agent *agent.Agent
	log   *zap.Logger
	start time.Time
	state *StateDir

	// suspended: the guest suspended (guest-suspend-*); nothing answers.
	suspended bool
	buf       []byte
}

// New returns a server for an agent. log may be nil. state, when not nil,
// is the state directory the agent's persistent state is kept in.
func New(a *agent.Agent, log *zap.Logger, state *StateDir) *Server {
	if log == nil {
		log = zap.NewNop()
	}
	return &Server{agent: a, log: log, start: time.Now(), state: state, buf: make([]byte, readSize)}
}

// now is the virtual time: wall time since the server started.
func (s *Server) now() int64 { return int64(time.Since(s.start)) }

// outcome is why serving a stream stopped.
type outcome int

const (
	endOfInput outcome = iota // the client closed (or stdin ended)
	shutdown                  // the guest shut down
	reboot                    // the guest rebooted: a new agent process
	cancelled                 // ctx ended
)

// ServeStream feeds everything read from r to the agent and writes its
// replies to w until r ends or the guest shuts down (then ErrShutdown).
func (s *Server) ServeStream(r io.Reader, w io.Writer) error {
	switch out, err := s.serve(context.Background(), r, w); {
	case err != nil:
		return err
	case out == shutdown:
		return ErrShutdown
	}
	return nil
}

// serve is the read loop of one client.
func (s *Server) serve(ctx context.Context, r io.Reader, w io.Writer) (outcome, error) {
	writable := true // false once a write failed: replies are dropped, reading goes on
	for {
		n, rerr := r.Read(s.buf)
		if n > 0 && !s.suspended {
			out, werr := s.feed(s.buf[:n], w, writable)
			if werr != nil {
				if writable {
					s.log.Warn("error sending reply; dropping replies until the client closes", zap.Error(werr))
				}
				writable = false
			}
			if out != endOfInput {
				return out, nil
			}
		}
		switch {
		case rerr == nil:
		case rerr == io.EOF:
			return endOfInput, nil
		case ctx.Err() != nil || errors.Is(rerr, net.ErrClosed):
			return cancelled, nil
		default:
			return endOfInput, rerr // a reset connection: that client is gone
		}
	}
}

// feed hands one read to the agent and writes its replies: all of them in
// one write when they are due now, else each when it is due. It reports a
// shutdown or a reboot among them; the replies after it are not written
// (the agent is going down).
func (s *Server) feed(in []byte, w io.Writer, writable bool) (outcome, error) {
	now := s.now()
	replies := s.agent.Feed(now, in)
	if s.state != nil {
		if err := s.state.Save(s.agent.Persistent()); err != nil {
			s.log.Error("saving the state directory", zap.Error(err))
		}
	}
	simple := true
	for _, r := range replies {
		s.logReply(r)
		if r.At > now || r.Effect == agent.EffectShutdown || r.Effect == agent.EffectReboot || r.Effect == agent.EffectSuspend {
			simple = false
		}
	}
	if simple {
		if !writable || len(s.agent.Written()) == 0 {
			return endOfInput, nil
		}
		_, err := w.Write(s.agent.Written())
		return endOfInput, err
	}
	var werr error
	for _, r := range replies {
		if d := time.Duration(r.At - s.now()); d > 0 {
			time.Sleep(d)
		}
		if len(r.Bytes) > 0 && writable && werr == nil {
			_, werr = w.Write(r.Bytes)
		}
		switch r.Effect {
		case agent.EffectShutdown:
			s.log.Info("guest-shutdown: the guest powers off and the agent stops")
			return shutdown, werr
		case agent.EffectReboot:
			s.log.Info("guest-shutdown mode=reboot: the agent restarts")
			return reboot, werr
		case agent.EffectSuspend:
			s.log.Info("guest-suspend: the guest sleeps; nothing answers any more")
			s.suspended = true
			return endOfInput, werr
		}
	}
	return endOfInput, werr
}

func (s *Server) logReply(r agent.Reply) {
	if ce := s.log.Check(zap.DebugLevel, "message"); ce != nil {
		ce.Write(zap.Int64("seq", r.Seq), zap.String("command", r.Command),
			zap.String("class", r.Class), zap.String("desc", r.Desc), zap.ByteString("reply", r.Bytes))
	}
}

// Serve serves ln one client at a time until ctx ends (nil) or the guest
// shuts down (ErrShutdown). It does not close ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var mu sync.Mutex
	var cur net.Conn
	stop := context.AfterFunc(ctx, func() {
		ln.Close()
		mu.Lock()
		if cur != nil {
			cur.Close()
		}
		mu.Unlock()
	})
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		mu.Lock()
		cur = conn
		mu.Unlock()
		if ctx.Err() != nil {
			// The stop came between Accept and cur = conn: the AfterFunc
			// found no connection to close, and a silent client would
			// keep serve reading for ever.
			conn.Close()
			return nil
		}
		s.log.Info("client connected")
		out, err := s.serve(ctx, conn, conn)
		conn.Close()
		mu.Lock()
		cur = nil
		mu.Unlock()
		s.log.Info("client gone", zap.NamedError("reason", err))
		switch out {
		case shutdown:
			return ErrShutdown
		case reboot:
			s.agent.Restart()
		case cancelled:
			return nil
		}
	}
}
