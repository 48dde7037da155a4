// Package live runs the World in wall-clock time with real programs on its
// ends: a real client in place of the simulated one (serve), and a real
// qemu-ga in place of the simulated agent too (proxy). The scenario's
// link, transport and faults stay between them, on the real bytes.
//
// The contract. The World (package sim) stays a pure, single-threaded
// virtual-time core; a Session is a shell around it that maps wall time to
// virtual time (v = (wall - start) * speed). One mutex guards the World,
// and whoever has news takes it: a connection's reader with the bytes it
// read runs the World up to the virtual time they arrived, feeds them in,
// and runs the World on to now, so that what they set off (a delivery on a
// link with no delay, a reply) happens in the same breath; a clock
// goroutine does the World's own scheduled actions at their wall time. The
// lock is never held while waiting on a socket: what the link delivers is
// written at once if the socket takes it without waiting, and otherwise
// goes to the connection's writer goroutine. (A first design gave the World
// to one goroutine fed by channels; every request then crossed two extra
// goroutine hand-offs, which cost about as much as the whole proxy's
// latency budget on a small machine.)
//
// Backpressure is real, and it goes through the simulation: bytes the link
// delivers to a program wait in a bounded queue for its writer
// (Options.QueueBytes); a full queue stops the link from delivering to that
// side, so the bytes stay in the link, where the transport's capacity holds
// the other side's writer, which in turn stops reading (qemu-ga blocks in
// its write and reads nothing meanwhile). A program's reads are taken only
// while the link has room for them (Options.InFlight); otherwise its reader
// waits, its socket fills and the program's own writes block.
//
// Connections are the host opening and closing the channel, with the
// transport's rules (package link): on virtio-serial a reply written while
// no client is connected waits for the next client; on isa-serial it is
// lost; on a unix socket a connect while no agent listens is refused (the
// connection is closed at once) and the agent's exit closes the client's
// connection. One client has the channel at a time: Serve accepts the
// next connection only when the current one is over (it waits in the
// listener's backlog meanwhile, as with qemu-ga); a second in-process Dial
// waits, unread, until the first closes.
//
// A real agent (Options.Agent, an Upstream) is reached through one
// connection that stays open across client connections, as an agent's port
// does. A restart-agent or reboot fault kills the process the Upstream
// manages (SIGKILL) and starts it again after the fault's down time; an
// Upstream that manages no process has only its connection closed and
// reopened, so the agent behind it keeps its parser's state. pause-agent,
// continue-agent and stop-agent send the managed process SIGSTOP, SIGCONT
// and SIGTERM (Upstream.Signal); after SIGTERM the agent exits when it has
// written what it had in hand, and the session starts the next one the
// fault's down time after its connection closes. A connection
// the agent closes by itself is the agent going away; the session
// reconnects when it can.
//
// Everything uses the time package, channels and a mutex only: under
// testing/synctest a Session, a client on Dial's in-process connection and
// the client's own timeouts all run in the bubble's fake time, so a test of
// real client code against faults is deterministic and fast.
//
// The trace (Options.Trace) is the JSON Lines format of docs/trace-format.md,
// written as events happen, each within 10 ms (by a writer goroutine, off
// the path of the requests). The oracle (check.Wire) judges the client from
// its bytes; Close returns its summary.
package live
