package link

import "time"

// virtioSerial is a virtserialport in the guest, its host end a QEMU
// socket chardev (the usual org.qemu.guest_agent.0), as measured on a real
// guest (docs/lab.md, 0.2–0.8):
//
//   - the agent's writes while no host is connected are held in the guest
//     (the agent spins) and go to the next host client ahead of its own
//     replies (lab 0.2);
//   - host bytes queue in the host socket until the agent opens the port,
//     so a new agent can start mid-request (lab 0.4); bytes already inside
//     the guest die with the agent (lab 0.6);
//   - a host close loses the agent bytes in flight (the socket, QEMU, the
//     virtqueue: about 362 KB of a big reply) but not those still held in
//     the guest, so a half-read big reply leaves its tail for the next
//     client (lab 0.3); host bytes a closed port never took are lost too
//     (lab 0.5);
//   - QEMU reports the guest port opening and closing to the host
//     (VSERPORT_CHANGE), and GLib takes the port for seekable.
type virtioSerial struct{}

func (virtioSerial) Name() string { return VirtioSerial }

func (virtioSerial) Doc() string {
	return "holds the agent's replies while no host is connected and gives them to the next host client; " +
		"host bytes wait until the agent opens the port, so a new agent can start mid-request"
}

func (virtioSerial) Defaults(d Dir) Params {
	// RTT of a guest-sync about 0.5 ms (lab 0.16); a host close loses
	// about 362 KB of a big reply in flight (lab 0.3).
	p := Params{Latency: 200 * time.Microsecond, Jitter: 100 * time.Microsecond, ReadMax: 4096}
	if d == A2H {
		p.Capacity = 362_287
	}
	return p
}

func (virtioSerial) Seekable() bool       { return true }
func (virtioSerial) PortEvents() bool     { return true }
func (virtioSerial) AgentListens() bool   { return false }
func (virtioSerial) HoldsForNoHost() bool { return true }

func (virtioSerial) HostClosed(l *Link, now int64) {
	// On virtio-serial QEMU also discards what is in the virtqueue; bytes
	// the guest still holds (held) stay for the next client (lab 0.3).
	if !l.agentOpen {
		// QEMU never read them: no guest port was open (lab 0.5).
		l.h2a.dropFlight(now, 0, false, "host closed while the agent port was closed")
	}
}

func (virtioSerial) AgentStarted(l *Link, now int64) {}

func (virtioSerial) AgentDied(l *Link, now int64) {
	// Bytes already inside the guest die with it; those still queued in
	// the host socket reach the next process (lab 0.4, 0.6).
	l.h2a.dropReady(now, "agent died: bytes inside the guest lost")
}
