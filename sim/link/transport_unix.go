package link

import "time"

// unixSocket is qemu-ga listening on a unix socket itself (qemu-ga -m
// unix-listen), with no QEMU in between (docs/protocol.md §2.5):
//
//   - one client at a time; a connect waits until an agent listens, and the
//     agent's exit ends the connection (after the host read what it wrote);
//   - a reply to a client that left is dropped, the rest of one being
//     written too (the write fails: Broken pipe);
//   - the socket dies with the process: bytes the agent had not read are
//     gone;
//   - a socket is not a character device: GLib's buffer only delays.
type unixSocket struct{}

func (unixSocket) Name() string { return UnixSocket }

func (unixSocket) Doc() string {
	return "is `qemu-ga -m unix-listen`: one client at a time, a connect waits for a listening agent, " +
		"a reply to a client that left is lost"
}

func (unixSocket) Defaults(d Dir) Params {
	p := Params{Latency: 20 * time.Microsecond, ReadMax: 4096}
	if d == A2H {
		// What qemu-ga 7.2 gets into a unix socket whose client does not
		// read before its write blocks: 100,303 bytes of a 2.6 MB reply
		// (FIONREAD on the client's socket, twice; Linux's default send
		// buffer, 212,992 bytes, with the socket's per-write overhead).
		p.Capacity = 100_303
	}
	return p
}

func (unixSocket) Seekable() bool       { return false }
func (unixSocket) PortEvents() bool     { return false }
func (unixSocket) AgentListens() bool   { return true }
func (unixSocket) HoldsForNoHost() bool { return false }

func (unixSocket) HostClosed(l *Link, now int64) {
	// The agent reads what was sent before EOF; its writes to the closed
	// socket fail and the reply is dropped.
	l.a2h.dropHeld(now, 0, "host closed: the agent's write fails")
}

func (unixSocket) AgentStarted(l *Link, now int64) {}

func (unixSocket) AgentDied(l *Link, now int64) {
	// The socket is gone with the process.
	l.h2a.dropFlight(now, 0, false, "agent died: connection gone")
}
