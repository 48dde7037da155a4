package live

import (
	"context"
	"errors"
	"net"
	"syscall"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/link"
)

// closeGrace is how long a closing connection may take to accept the bytes
// still queued for it.
const closeGrace = time.Second

// act runs fn with the World at the virtual time of the wall instant at:
// it takes the lock, runs the World up to then, does fn, runs the World on
// to now (so that what fn set off, a delivery, happens at once), opens the
// readers' gates and tells the clock if the World's next action moved
// earlier. It reports ErrClosed once the session has ended.
func (s *Session) act(at time.Time, fn func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return ErrClosed
	}
	s.runTo(at)
	fn()
	s.settle()
	s.runTo(time.Now())
	s.gates()
	if t, ok := s.w.NextAt(); ok && (s.timerAt < 0 || t < s.timerAt) {
		select {
		case s.poke <- struct{}{}:
		default:
		}
	}
	return nil
}

// clockLoop runs the World's scheduled actions at their wall time: it
// sleeps until the next one, or until someone moved the next one earlier.
func (s *Session) clockLoop() {
	defer s.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		s.mu.Lock()
		if s.ended {
			s.mu.Unlock()
			return
		}
		s.runTo(time.Now())
		s.settle()
		s.gates()
		var tick <-chan time.Time
		s.timerAt = -1
		if t, ok := s.w.NextAt(); ok {
			s.timerAt = t
			timer.Reset(max(0, time.Until(s.clk.wall(t))))
			tick = timer.C
		}
		s.mu.Unlock()
		select {
		case <-s.stopReq:
			timer.Stop()
			return
		case <-tick:
		case <-s.poke:
		}
		timer.Stop()
	}
}

// room: a real program's writes may go on into a direction of the link.
func (s *Session) room(d link.Dir) bool {
	x := s.w.Link().Dir(d)
	if d == link.A2H && x.Held() > 0 {
		// The agent side is blocked: a real agent's write blocks too.
		return false
	}
	return x.InFlight()+x.Held() < s.opts.InFlight
}

// mayRead: the session takes what a connection's program writes: it has
// the channel (or is the agent) and the link has room for it.
func (s *Session) mayRead(p *peer) bool {
	switch p {
	case s.active:
		return s.room(link.H2A)
	case s.up:
		return s.room(link.A2H)
	}
	return false
}

// gates wakes the readers that may read now.
func (s *Session) gates() {
	for _, p := range []*peer{s.active, s.up} {
		if p != nil && s.mayRead(p) {
			p.open()
		}
	}
}

// runTo runs the World up to the virtual time of a wall instant (never
// back), then does what its callbacks left for after it.
func (s *Session) runTo(t time.Time) {
	v := max(s.clk.virtual(t), s.w.Now())
	s.w.RunUntil(v)
	s.settle()
}

// settle runs the actions the World's callbacks deferred: a callback may
// not call back into the World.
func (s *Session) settle() {
	for len(s.after) > 0 {
		fns := s.after
		s.after = nil
		for _, fn := range fns {
			fn()
		}
	}
}

func (s *Session) later(fn func()) { s.after = append(s.after, fn) }

// activate gives the host channel to a client.
func (s *Session) activate(p *peer) {
	for p != nil {
		err := s.w.HostConnect()
		if err == nil {
			s.active = p
			p.q = newOutq(p.conn, s.opts.QueueBytes, s.drained(p))
			s.logf("a client has the channel (connection %d)", s.w.Connection())
			return
		}
		// Refused: no agent listens on a unix socket. The client sees its
		// connection end at once, as a refused connect.
		s.logf("a client's connection refused: %v", err)
		p.abandon()
		p = s.nextWaiting()
	}
}

func (s *Session) nextWaiting() *peer {
	if len(s.waiting) == 0 {
		return nil
	}
	p := s.waiting[0]
	s.waiting = s.waiting[1:]
	return p
}

// drained is a writer's news that its full queue has room again.
func (s *Session) drained(p *peer) func() {
	return func() {
		_ = s.act(time.Now(), func() {
			if p == s.active {
				s.w.SetHostReading(true)
			}
			if p == s.up {
				s.w.SetAgentReading(true)
			}
		})
	}
}

// fromPeer is what a connection's reader read: it goes into the World at
// the virtual time it arrived.
func (s *Session) fromPeer(p *peer, c chunk) {
	_ = s.act(c.at, func() {
		switch p {
		case s.active:
			s.hostChunk(c)
		case s.up:
			s.agentChunk(c)
		}
	})
}

// hostChunk is a read of the active client's socket.
func (s *Session) hostChunk(c chunk) {
	if c.eof {
		p := s.active
		s.active = nil
		s.logf("the client closed connection %d", s.w.Connection())
		s.w.HostClose("the client closed the connection")
		p.finish(closeGrace)
		s.settle()
		s.activate(s.nextWaiting())
		return
	}
	s.w.HostWrite(c.data)
}

// toHost is the World delivering bytes to the real client.
func (s *Session) toHost(_ int64, data []byte) {
	if s.active == nil || s.active.q == nil {
		return
	}
	if s.active.q.put(data) {
		s.later(func() { s.w.SetHostReading(false) })
	}
}

// hostClosedByWorld: the World closed the host channel (the agent exited on
// a unix socket, a reconnect-host fault). The client's connection ends
// after what it was sent; the next waiting client gets the channel.
func (s *Session) hostClosedByWorld(_ int64, _ string) {
	p := s.active
	s.active = nil
	if p != nil {
		p.finish(closeGrace)
	}
	s.later(func() {
		if s.active == nil {
			s.activate(s.nextWaiting())
		}
	})
}

// agentChunk is a read of the real agent's socket.
func (s *Session) agentChunk(c chunk) {
	if c.eof {
		p := s.up
		s.up = nil
		p.abandon()
		s.w.AgentDisconnect("the agent closed the connection")
		pause := redialPause
		if s.stopping {
			// It exited on a stop-agent's SIGTERM: the next one starts
			// after the fault's down time.
			pause, s.stopping = s.stopDown, false
		}
		s.logf("the agent closed its connection; reconnecting")
		// It may come back (a restarted agent, a VM rebooting): keep
		// trying, a little later.
		s.dialAgent(pause, false, true)
		return
	}
	s.w.AgentWrite(c.data)
}

// processSignals are the signals of the process actions that are one.
var processSignals = map[string]syscall.Signal{"pause": syscall.SIGSTOP, "continue": syscall.SIGCONT, "stop": syscall.SIGTERM}

// redialPause is how long the proxy waits before it reconnects to an agent
// that closed its connection.
const redialPause = 100 * time.Millisecond

// toAgent is the World delivering bytes to the real agent.
func (s *Session) toAgent(_ int64, data []byte) {
	if s.up == nil || s.up.q == nil {
		return
	}
	if s.up.q.put(data) {
		s.later(func() { s.w.SetAgentReading(false) })
	}
}

// process is a fault acting on the real agent: the managed process is
// killed (SIGKILL) or the connection closed, and after the down time the
// session starts it again or reconnects. pause-agent, continue-agent and
// stop-agent send the managed process SIGSTOP, SIGCONT and SIGTERM; after
// a SIGTERM the agent exits when it has written what it had in hand, its
// connection closes, and the session starts the next one the fault's down
// time later.
func (s *Session) process(_ int64, act sim.ProcessAction) {
	if sig, ok := processSignals[act.Kind]; ok {
		if !s.opts.Agent.Signal(sig) {
			s.logf("%s (%s): no agent process to signal; start the agent with --agent-cmd", act.Kind, act.Name)
			return
		}
		if act.Kind == "stop" {
			s.stopDown, s.stopping = s.clk.wallDur(act.Down), true
		}
		return
	}
	p := s.up
	s.up = nil
	if p != nil {
		p.abandon()
	}
	s.dialAgent(s.clk.wallDur(act.Down), true, false)
}

// dialAgent connects to the real agent in the background, after a pause,
// and hands the connection to the World. kill first kills the managed
// process (an Upstream that manages none only has its connection closed,
// and the agent behind it keeps its parser: the connection is not fresh).
func (s *Session) dialAgent(pause time.Duration, kill, fresh bool) {
	s.upGen++
	gen := s.upGen
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-s.stopReq:
			case <-ctx.Done():
			}
			cancel()
		}()
		if kill && s.opts.Agent.Kill() {
			fresh = true
		}
		if !sleepCtx(ctx, pause) {
			return
		}
		last := ""
		for {
			c, err := s.opts.Agent.Dial(ctx)
			if err == nil {
				if s.act(time.Now(), func() { s.agentUp(c, gen, fresh) }) != nil {
					c.Close()
				}
				return
			}
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return
			}
			if err.Error() != last {
				last = err.Error()
				s.logf("cannot reach the agent (retrying): %v", err)
			}
			if !sleepCtx(ctx, redialPause) {
				return
			}
		}
	}()
}

// agentUp is a new connection to the real agent.
func (s *Session) agentUp(c net.Conn, gen int, fresh bool) {
	if gen != s.upGen || s.up != nil {
		c.Close()
		return
	}
	p := s.newPeer(c)
	p.q = newOutq(c, s.opts.QueueBytes, s.drained(p))
	s.up = p
	_ = s.w.AgentConnect(fresh)
	select {
	case <-s.ready:
	default:
		close(s.ready)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// shutdown ends the session (with the lock held): the World stops now,
// connections close after their queued bytes, the oracle sums up.
func (s *Session) shutdown() {
	if s.ended {
		return
	}
	s.runTo(time.Now())
	s.w.Stop()
	s.ended = true
	s.summary = s.judge.Summary()
	s.virtual, s.wall = s.w.Now(), time.Since(s.clk.start)
	if s.active != nil {
		s.active.finish(closeGrace)
		s.active = nil
	}
	for _, p := range s.waiting {
		p.abandon()
	}
	s.waiting = nil
	if s.up != nil {
		s.up.finish(closeGrace)
		s.up = nil
	}
	if s.opts.Agent != nil {
		if err := s.opts.Agent.Close(); err != nil && s.err == nil {
			s.err = err
		}
	}
}
