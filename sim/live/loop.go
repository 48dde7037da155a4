package live

import (
	"context"
	"errors"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/link"
)

// closeGrace is how long a closing connection may take to accept the bytes
// still queued for it.
const closeGrace = time.Second

// loop owns the World: it runs it up to the wall clock, sleeps until its
// next action or until a real program does something, and feeds what
// happened in at the virtual time it happened.
func (s *Session) loop() {
	defer close(s.stopped)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		s.runTo(time.Now())
		if s.tw != nil {
			s.tw.flush()
		}
		var tick <-chan time.Time
		if t, ok := s.w.NextAt(); ok {
			timer.Reset(max(0, time.Until(s.clk.wall(t))))
			tick = timer.C
		}
		var hostData, agentData chan chunk
		if s.active != nil && s.room(link.H2A) {
			hostData = s.active.data
		}
		if s.up != nil && s.room(link.A2H) {
			agentData = s.up.data
		}
		select {
		case <-s.stopReq:
			timer.Stop()
			s.shutdown()
			return
		case <-tick:
		case in := <-s.in:
			s.handle(in)
		case c := <-hostData:
			s.hostChunk(c)
		case c := <-agentData:
			s.agentChunk(c)
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

func (s *Session) handle(in input) {
	s.runTo(in.at)
	switch in.kind {
	case inAccept:
		p := s.newPeer(in.conn)
		if s.active == nil {
			s.activate(p)
		} else {
			s.waiting = append(s.waiting, p)
		}
	case inDrained:
		if in.p == s.active {
			s.w.SetHostReading(true)
		}
		if in.p == s.up {
			s.w.SetAgentReading(true)
		}
	case inAgentConn:
		if in.gen != s.upGen || s.up != nil {
			in.conn.Close()
			return
		}
		p := s.newPeer(in.conn)
		p.q = newOutq(in.conn, s.opts.QueueBytes, s.drained(p))
		s.up = p
		_ = s.w.AgentConnect(in.fresh)
		select {
		case <-s.ready:
		default:
			close(s.ready)
		}
	}
	s.settle()
}

// activate gives the host channel to a client.
func (s *Session) activate(p *peer) {
	for p != nil {
		err := s.w.HostConnect()
		if err == nil {
			s.active = p
			p.q = newOutq(p.conn, s.opts.QueueBytes, s.drained(p))
			return
		}
		// Refused: no agent listens on a unix socket. The client sees its
		// connection end at once, as a refused connect.
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

func (s *Session) drained(p *peer) func() {
	return func() { s.send(input{kind: inDrained, p: p, at: time.Now()}) }
}

// hostChunk is a read of the active client's socket.
func (s *Session) hostChunk(c chunk) {
	s.runTo(c.at)
	if c.eof {
		p := s.active
		s.active = nil
		s.w.HostClose("the client closed the connection")
		p.finish(closeGrace)
		s.settle()
		s.activate(s.nextWaiting())
		s.settle()
		return
	}
	s.w.HostWrite(c.data)
	s.settle()
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
	s.runTo(c.at)
	if c.eof {
		p := s.up
		s.up = nil
		p.abandon()
		s.w.AgentDisconnect("the agent closed the connection")
		s.logf("the agent closed its connection; reconnecting")
		s.settle()
		// It may come back (a restarted agent, a VM rebooting): keep
		// trying, a little later.
		s.dialAgent(redialPause, true)
		return
	}
	s.w.AgentWrite(c.data)
	s.settle()
}

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
// session starts it again or reconnects.
func (s *Session) process(_ int64, act sim.ProcessAction) {
	p := s.up
	s.up = nil
	if p != nil {
		p.abandon()
	}
	killed := s.opts.Agent.Kill()
	// Without a process to restart, the agent behind the connection is
	// the same one: its parser keeps what it had.
	s.dialAgent(s.clk.wallDur(act.Down), killed)
}

// dialAgent connects to the real agent after a pause, in the background,
// and hands the connection to the loop.
func (s *Session) dialAgent(pause time.Duration, fresh bool) {
	s.upGen++
	gen := s.upGen
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-s.stopped:
			case <-s.stopReq:
			case <-ctx.Done():
			}
			cancel()
		}()
		if pause > 0 {
			t := time.NewTimer(pause)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
		last := ""
		for {
			c, err := s.opts.Agent.Dial(ctx)
			if err != nil && ctx.Err() == nil && err.Error() != last {
				last = err.Error()
				s.logf("cannot reach the agent (retrying): %v", err)
			}
			if err == nil {
				if !s.send(input{kind: inAgentConn, conn: c, gen: gen, fresh: fresh, at: time.Now()}) {
					c.Close()
				}
				return
			}
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return
			}
			t := time.NewTimer(redialPause)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
	}()
}

// shutdown ends the session: the World stops now, connections close after
// their queued bytes, the oracle sums up.
func (s *Session) shutdown() {
	s.runTo(time.Now())
	s.w.Stop()
	s.summary = s.judge.Summary()
	s.virtual, s.wall = s.w.Now(), time.Since(s.clk.start)
	if s.tw != nil {
		s.tw.flush()
	}
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
