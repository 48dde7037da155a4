package link

import (
	"math/rand/v2"

	"github.com/qgasim/qgasim/sim/trace"
)

// Link is the channel between one host client and the agent process, with
// its transport's rules for connects, closes, agent starts and deaths.
type Link struct {
	transport Transport
	h2a, a2h  *Direction
	rng       *rand.PCG // the transport's own choices (the isa-serial flush tail)
	emit      func(trace.Event)

	hostOpen  bool // a host client is connected
	agentOpen bool // an agent process has the port open
	// agentStopped: the agent process is stopped (SIGSTOP), so the rest of
	// a write it was blocked in stays with it.
	agentStopped bool
	// connStart is the h2a writer offset of the first byte the current
	// host connection wrote: bytes before it belong to closed connections.
	connStart int64
}

// New builds a link. The PCGs are the seeded streams of the h2a direction, the
// a2h direction and the transport; emit receives the link's events (with T
// set, Seq left for the caller).
func New(cfg Config, h2aRNG, a2hRNG, trRNG *rand.PCG, emit func(trace.Event)) (*Link, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t, _ := LookupTransport(cfg.Transport)
	return &Link{
		transport: t,
		h2a:       newDirection(H2A, resolve(t, H2A, cfg.H2A), h2aRNG, emit),
		a2h:       newDirection(A2H, resolve(t, A2H, cfg.A2H), a2hRNG, emit),
		rng:       trRNG,
		emit:      emit,
	}, nil
}

// Transport is the link's transport.
func (l *Link) Transport() Transport { return l.transport }

// Dir returns one direction.
func (l *Link) Dir(d Dir) *Direction {
	if d == H2A {
		return l.h2a
	}
	return l.a2h
}

// HostOpen reports whether a host client is connected.
func (l *Link) HostOpen() bool { return l.hostOpen }

// AgentOpen reports whether an agent process has the port open.
func (l *Link) AgentOpen() bool { return l.agentOpen }

// HostWrite is the host client's write. With no host connection the bytes
// are lost (the write fails). The link keeps a copy of data.
func (l *Link) HostWrite(now int64, data []byte) { l.hostWrite(now, data, false) }

// HostWriteShared is HostWrite of bytes the writer hands over: the link
// keeps data itself, without a copy, and hands slices of it to the
// reader. The writer must never change data again (the link does not
// either: a fault that changes bytes changes a copy).
func (l *Link) HostWriteShared(now int64, data []byte) { l.hostWrite(now, data, true) }

func (l *Link) hostWrite(now int64, data []byte, shared bool) {
	c := l.h2a.pipeline(now, data, shared)
	if !l.hostOpen {
		l.h2a.lose(now, c.src, "host not connected")
		return
	}
	l.h2a.enqueue(now, c)
}

// AgentWrite is the agent's write of one reply. With no host connected the
// transport holds the bytes in the guest (virtio-serial: the agent spins
// until a host comes) or loses them. The link keeps a copy of data.
func (l *Link) AgentWrite(now int64, data []byte) {
	l.agentBytes(now, l.a2h.pipeline(now, data, false))
}

// AgentWriteShared is AgentWrite of bytes the writer hands over, as
// HostWriteShared: the writer must never change data again.
func (l *Link) AgentWriteShared(now int64, data []byte) {
	l.agentBytes(now, l.a2h.pipeline(now, data, true))
}

func (l *Link) agentBytes(now int64, c piece) {
	if len(c.data) == 0 {
		return
	}
	if !l.hostOpen {
		if l.transport.HoldsForNoHost() {
			l.a2h.hold(now, c, "no host connected")
			return
		}
		l.a2h.lose(now, c.src, "no host connected")
		return
	}
	l.a2h.enqueue(now, c)
}

// Add puts bytes that no writer wrote (a fault's) into a direction, after
// the fault stages. They carry offset -1.
func (l *Link) Add(now int64, d Dir, data []byte) {
	c := piece{data: append([]byte(nil), data...)}
	if len(data) > 0 {
		c.src = []trace.Span{{Off: -1, N: int64(len(data))}}
	}
	if d == A2H {
		l.agentBytes(now, c)
		return
	}
	if !l.hostOpen {
		l.h2a.lose(now, c.src, "host not connected")
		return
	}
	l.h2a.enqueue(now, c)
}

// Pump moves writers' held bytes into the link as far as the capacity
// allows; agent bytes move only while a host is connected and the agent
// process runs.
func (l *Link) Pump(now int64) {
	// Nothing held is the usual case, and Pump is asked at every step.
	if len(l.h2a.held.data) > 0 || len(l.a2h.held.data) > 0 {
		l.pumpHeld(now)
	}
}

func (l *Link) pumpHeld(now int64) {
	l.h2a.pump(now)
	if l.hostOpen && !l.agentStopped {
		l.a2h.pump(now)
	}
}

// SetAgentStopped says whether the agent process is stopped (SIGSTOP): a
// stopped process makes no write() calls, so what it could not write yet
// stays with it until it runs again.
func (l *Link) SetAgentStopped(stopped bool) { l.agentStopped = stopped }

// CanAgentRead reports whether the agent side may read h2a bytes.
func (l *Link) CanAgentRead() bool { return l.agentOpen }

// CanHostRead reports whether the host side may read a2h bytes.
func (l *Link) CanHostRead() bool { return l.hostOpen }

// HostConnect opens a host connection. Bytes the guest held for a host
// (virtio-serial) start to flow, ahead of anything written later.
func (l *Link) HostConnect(now int64) {
	l.hostOpen = true
	l.connStart = l.h2a.written
	if !l.agentStopped {
		l.a2h.pump(now)
	}
}

// HostClose closes the host connection.
func (l *Link) HostClose(now int64) {
	if !l.hostOpen {
		return
	}
	l.hostOpen = false
	// What the host had not read yet is gone with its socket; the
	// transport decides the rest.
	l.a2h.dropFlight(now, 0, false, "host closed: unread agent bytes lost")
	l.transport.HostClosed(l, now)
}

// AgentStart is a new agent process opening the port.
func (l *Link) AgentStart(now int64) {
	l.agentOpen = true
	l.transport.AgentStarted(l, now)
}

// AgentDie is the agent process exiting or being killed.
func (l *Link) AgentDie(now int64) {
	l.agentOpen = false
	// The rest of a reply it was writing is never written (lab 0.8).
	l.a2h.dropHeld(now, 0, "agent died: unwritten reply bytes lost")
	l.transport.AgentDied(l, now)
}

// CutHeld drops the writer's held bytes of a direction beyond the first
// keep; it returns how many were dropped.
func (l *Link) CutHeld(now int64, d Dir, keep int) int {
	return l.Dir(d).dropHeld(now, keep, "truncated")
}

// Idle reports whether nothing is in flight or held in either direction.
func (l *Link) Idle() bool {
	return l.h2a.inFlight == 0 && l.a2h.inFlight == 0 && len(l.h2a.held.data) == 0 && len(l.a2h.held.data) == 0
}
