package link

import (
	"math/rand/v2"

	"github.com/qgasim/qgasim/sim/trace"
)

// Link is the channel between one host client and the agent process, with
// its transport's rules for connects, closes, agent starts and deaths.
type Link struct {
	transport string
	h2a, a2h  *Direction
	rng       *rand.Rand // the transport's own choices (the isa-serial flush tail)
	emit      func(trace.Event)

	hostOpen  bool // a host client is connected
	agentOpen bool // an agent process has the port open
	// connStart is the h2a writer offset of the first byte the current
	// host connection wrote: bytes before it belong to closed connections.
	connStart int64
}

// New builds a link. rngs are the seeded streams of the h2a direction, the
// a2h direction and the transport; emit receives the link's events (with T
// set, Seq left for the caller).
func New(cfg Config, h2aRNG, a2hRNG, trRNG *rand.Rand, emit func(trace.Event)) (*Link, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t := cfg.Transport
	if t == "" {
		t = VirtioSerial
	}
	return &Link{
		transport: t,
		h2a:       newDirection(H2A, resolve(t, H2A, cfg.H2A), h2aRNG, emit),
		a2h:       newDirection(A2H, resolve(t, A2H, cfg.A2H), a2hRNG, emit),
		rng:       trRNG,
		emit:      emit,
	}, nil
}

// Transport is the transport's name.
func (l *Link) Transport() string { return l.transport }

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
// are lost (the write fails).
func (l *Link) HostWrite(now int64, data []byte) {
	c := l.h2a.pipeline(now, data)
	if !l.hostOpen {
		l.h2a.lose(now, c.Src, "host not connected")
		return
	}
	l.h2a.enqueue(now, c)
}

// AgentWrite is the agent's write of one reply. With no host connected,
// virtio-serial holds the bytes in the guest (the agent spins until a host
// comes); isa-serial and a unix socket lose them.
func (l *Link) AgentWrite(now int64, data []byte) {
	c := l.a2h.pipeline(now, data)
	l.agentBytes(now, c)
}

func (l *Link) agentBytes(now int64, c Chunk) {
	if len(c.Data) == 0 {
		return
	}
	if !l.hostOpen {
		if l.transport == VirtioSerial {
			l.a2h.hold(now, c, "no host connected")
			return
		}
		l.a2h.lose(now, c.Src, "no host connected")
		return
	}
	l.a2h.enqueue(now, c)
}

// Add puts bytes that no writer wrote (a fault's) into a direction, after
// the fault stages. They carry offset -1.
func (l *Link) Add(now int64, d Dir, data []byte) {
	c := Chunk{Data: append([]byte(nil), data...), Src: make([]int64, len(data))}
	for i := range c.Src {
		c.Src[i] = -1
	}
	if d == A2H {
		l.agentBytes(now, c)
		return
	}
	if !l.hostOpen {
		l.h2a.lose(now, c.Src, "host not connected")
		return
	}
	l.h2a.enqueue(now, c)
}

// Pump moves writers' held bytes into the link as far as the capacity
// allows; agent bytes move only while a host is connected.
func (l *Link) Pump(now int64) {
	l.h2a.pump(now)
	if l.hostOpen {
		l.a2h.pump(now)
	}
}

// CanAgentRead reports whether the agent side may read h2a bytes.
func (l *Link) CanAgentRead() bool { return l.agentOpen }

// CanHostRead reports whether the host side may read a2h bytes.
func (l *Link) CanHostRead() bool { return l.hostOpen }

// HostConnect opens a host connection. Bytes the guest held for a host
// (virtio-serial) start to flow, ahead of anything written later.
func (l *Link) HostConnect(now int64) {
	l.hostOpen = true
	l.connStart = l.h2a.written
	l.a2h.pump(now)
}

// HostClose closes the host connection.
func (l *Link) HostClose(now int64) {
	if !l.hostOpen {
		return
	}
	l.hostOpen = false
	// What the host had not read yet is gone with its socket. On
	// virtio-serial QEMU also discards what is in the virtqueue; bytes the
	// guest still holds (held) stay for the next client (lab 0.3).
	l.a2h.dropFlight(now, 0, false, "host closed: unread agent bytes lost")
	switch l.transport {
	case VirtioSerial:
		if !l.agentOpen {
			// QEMU never read them: no guest port was open (lab 0.5).
			l.h2a.dropFlight(now, 0, false, "host closed while the agent port was closed")
		}
	case ISASerial:
		// QEMU pulls from the socket only as the UART FIFO drains: of the
		// bytes not yet in the guest about 8 get through (lab 0.11); those
		// the UART already handed to the open tty stay (docs/lab.md B2).
		keep := 8
		if l.agentOpen {
			keep += l.h2a.readyCount(now)
		}
		l.h2a.dropFlight(now, keep, false, "host closed: the UART took only 8 more bytes")
		// With no host QEMU drops the guest's output: what the agent still
		// had to write goes into the void (docs/lab.md B3).
		l.a2h.dropHeld(now, 0, "host closed: QEMU drops the agent's output")
	case UnixSocket:
		// The agent reads what was sent before EOF; its writes to the
		// closed socket fail and the reply is dropped.
		l.a2h.dropHeld(now, 0, "host closed: the agent's write fails")
	}
}

// AgentStart is a new agent process opening the port.
func (l *Link) AgentStart(now int64) {
	l.agentOpen = true
	if l.transport == ISASerial {
		// tcflush(TCIFLUSH) at open; a short tail sometimes arrives after
		// it (lab 0.10: 3 times in 10, 1-5 bytes). The tail is bytes still
		// streaming in from an open host socket as the flush runs: those of
		// a connection already closed sit whole in the UART and are flushed
		// (lab D2: the next connection was clean in every run). The draw is
		// made either way, so that the transport's stream stays the same.
		keep := 0
		if l.rng.IntN(10) < 3 {
			keep = 1 + l.rng.IntN(5)
		}
		keep = min(keep, l.h2a.trailingFrom(l.connStart, l.hostOpen))
		l.h2a.dropFlight(now, keep, true, "agent opened the port: input flushed")
	}
}

// AgentDie is the agent process exiting or being killed.
func (l *Link) AgentDie(now int64) {
	l.agentOpen = false
	// The rest of a reply it was writing is never written (lab 0.8).
	l.a2h.dropHeld(now, 0, "agent died: unwritten reply bytes lost")
	switch l.transport {
	case UnixSocket:
		// The socket is gone with the process.
		l.h2a.dropFlight(now, 0, false, "agent died: connection gone")
	default:
		// Bytes already inside the guest die with it; those still queued
		// in the host socket reach the next process (lab 0.4, 0.6).
		l.h2a.dropReady(now, "agent died: bytes inside the guest lost")
	}
}

// CutHeld drops the writer's held bytes of a direction beyond the first
// keep; it returns how many were dropped.
func (l *Link) CutHeld(now int64, d Dir, keep int) int {
	return l.Dir(d).dropHeld(now, keep, "truncated")
}

// Idle reports whether nothing is in flight or held in either direction.
func (l *Link) Idle() bool {
	return l.h2a.inFlight == 0 && l.a2h.inFlight == 0 && len(l.h2a.held.Data) == 0 && len(l.a2h.held.Data) == 0
}
