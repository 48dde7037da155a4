package link

import (
	"time"

	"github.com/qgasim/qgasim/sim/draw"
)

// isaSerial is an emulated 16550 UART (isa-serial) in the guest, its host
// end a QEMU socket chardev, as measured on a real guest
// (docs/lab.md, 0.9–0.12):
//
//   - 115200 baud; the host side holds 278 bytes before the agent's writes
//     stall, and nothing is lost while the host stays connected (lab 0.12);
//   - input waiting when the agent opens the port is flushed (tcflush),
//     except that a short tail (1-5 bytes) of the connection still open may
//     survive, a seeded choice (3 in 10); the bytes of a connection already
//     closed are flushed whole (lab 0.10, D2);
//   - agent output while no host is connected is lost, including what the
//     agent still had to write when the host closed (lab 0.9, B3);
//   - a host that closes at once has only about 8 more bytes delivered;
//     those the UART already handed to the open tty stay (lab 0.11);
//   - a UART sees no host hang-up and has no port events; GLib takes the
//     tty for seekable.
type isaSerial struct{}

func (isaSerial) Name() string { return ISASerial }

func (isaSerial) Doc() string {
	return "loses the agent's output while no host is connected and flushes input when the agent opens the port; " +
		"it runs at 115200 baud"
}

func (isaSerial) Defaults(d Dir) Params {
	p := Params{Latency: 100 * time.Microsecond, Baud: 115200, ReadMax: 4096, ReadTrigger: 8}
	if d == A2H {
		p.Capacity = 278 // the host socket queue tops out at 278 B (lab 0.12)
	}
	return p
}

func (isaSerial) Seekable() bool       { return true }
func (isaSerial) PortEvents() bool     { return false }
func (isaSerial) AgentListens() bool   { return false }
func (isaSerial) HoldsForNoHost() bool { return false }

func (isaSerial) HostClosed(l *Link, now int64) {
	// QEMU pulls from the socket only as the UART FIFO drains: of the
	// bytes not yet in the guest about 8 get through (lab 0.11); those the
	// UART already handed to the open tty stay (docs/lab.md B2).
	keep := 8
	if l.agentOpen {
		keep += l.h2a.readyCount(now)
	}
	l.h2a.dropFlight(now, keep, false, "host closed: the UART took only 8 more bytes")
	// With no host QEMU drops the guest's output: what the agent still had
	// to write goes into the void (docs/lab.md B3).
	l.a2h.dropHeld(now, 0, "host closed: QEMU drops the agent's output")
}

func (isaSerial) AgentStarted(l *Link, now int64) {
	// tcflush(TCIFLUSH) at open; a short tail sometimes arrives after it
	// (lab 0.10: 3 times in 10, 1-5 bytes). The tail is bytes still
	// streaming in from an open host socket as the flush runs: those of a
	// connection already closed sit whole in the UART and are flushed (lab
	// D2: the next connection was clean in every run). The draw is made
	// either way, so that the transport's stream stays the same.
	keep := 0
	if draw.IntN(l.rng, 10) < 3 {
		keep = 1 + draw.IntN(l.rng, 5)
	}
	keep = min(keep, l.h2a.trailingFrom(l.connStart, l.hostOpen))
	l.h2a.dropFlight(now, keep, true, "agent opened the port: input flushed")
}

func (isaSerial) AgentDied(l *Link, now int64) {
	// Bytes already inside the guest die with it; those still queued in
	// the host socket reach the next process.
	l.h2a.dropReady(now, "agent died: bytes inside the guest lost")
}
