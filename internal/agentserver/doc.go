// Package agentserver runs the simulated agent (sim/agent) on real bytes:
// a stream (standard input and output) or a listener (a unix socket, as
// qemu-ga -m unix-listen). It is the shell around the pure agent core: it
// owns the clock, the sockets and the state directory; the core decides
// every byte.
//
// What it keeps of qemu-ga's behaviour on a unix socket:
//
//   - One client at a time. The listener is not accepted from while a
//     client is served, so a second client's connect succeeds (the
//     kernel's backlog) and it gets nothing until the first closes; then
//     it is served. It never sees a byte meant for the first.
//   - The parser lives across clients: a client that closed mid-request
//     leaves its bytes in the parser for the next one.
//   - A reply that cannot be written (the client went away) is dropped,
//     and reading goes on to the end of what the client sent, as qemu-ga
//     keeps reading after a failed write: everything a client sent before
//     it closed is parsed.
//   - guest-shutdown ends the agent: no reply, nothing more is read, the
//     client's connection is closed and Serve returns ErrShutdown, as when
//     the guest's shutdown stops qemu-ga. A reboot closes the client and
//     starts a new agent process (parser, handles and children lost).
//   - Virtual time is wall time since the server started: guest-get-time
//     moves, guest-exec's sleep takes real seconds, a command's configured
//     latency delays its reply.
//
// What it does differently, for speed: it reads up to 64 KiB at a time
// (qemu-ga 4 KiB), and all the replies to one read are written with one
// write, once the read is consumed (qemu-ga writes and flushes each reply).
// A client cannot tell: the parser does not care where reads end, the
// bytes and their order are the same, and a reply is never held for input
// that has not arrived (a read returns what is there).
package agentserver
