// Package sim is the simulation: the World in which one simulated qemu-ga
// (package agent) and one host client (package client) talk over a virtual
// serial link (package link) with faults (package fault), and where
// everything that happens becomes a trace event (package trace).
//
// The contract:
//
//   - Time is virtual: an integer number of nanoseconds. The World is an
//     event queue ordered by (time, sequence number), so ties break the same
//     way every run. It is single-threaded: no goroutines, no wall clock.
//
//   - Randomness: one seed (Config.Seed); every component draws from its own
//     math/rand/v2 stream derived from the seed and its name (Stream):
//     "link/h2a", "link/a2h", "link/transport", "client", "fault/<name>".
//     Adding a fault does not change another component's draws. The same
//     Config and seed give a byte-identical trace, whatever GOMAXPROCS is.
//
//   - The host program (Config.Steps) runs in order: a Send blocks until the
//     client reports that request's outcome, unless NoWait (the caller
//     waits in a thread of its own; WaitAll waits for every caller); Raw
//     writes bytes past the client; Sleep waits; Disconnect and Reconnect
//     close and open the channel; StopReading stops the host's reads for a
//     while (the transport fills, then the agent's write blocks);
//     RestartClient replaces the client by a fresh one of the same
//     strategy (its own random stream, "client/2", ...) with the channel
//     kept. A Note becomes a "note" event. How concurrent callers share the
//     connection is the client's (client.Lock).
//
//   - The agent process (AgentProcess, shared with sim/lab's simulator
//     target, so that the lab checks the code scenarios run) reads at most
//     4096 bytes at a time, never while it is busy
//     (agent.BusyUntil) or blocked writing (its bytes held by the link),
//     through qemu-ga's buffered GLib channel (link.GLibChannel): with more
//     than 4 KiB waiting, GLib's 1 KiB refills can overshoot and keep bytes,
//     and while it holds them every reply on virtio-serial or isa-serial is
//     dropped with "Illegal seek", as the lab measured (H1).
//     Replies are written at Reply.At. The link never resets the parser; a
//     restart does (agent.Restart), a reboot also clears the state
//     directory (on tmpfs in a real guest).
//
//   - Signals beyond a kill (pause-agent, continue-agent, stop-agent):
//     SIGSTOP stops the process where it is, its port open (the rest of a
//     write it was blocked in stays with it); SIGCONT lets it go on; SIGTERM
//     makes it read nothing more, write the replies it has in hand (as long
//     as the transport holds a write, it lives on: virtio-serial with no
//     host, docs/lab.md, H3) and exit GracefulExit later. A frozen agent
//     ignores SIGTERM. With a real agent the live shell sends the signals.
//
//   - The freeze fault makes the guest run guest-fsfreeze-freeze (and, after
//     its duration, guest-fsfreeze-thaw) through the agent core itself, fed
//     when the parser is idle and with its reply discarded; so the frozen
//     state, its allowlist and its error texts are the agent's own.
//
//   - Port events: on virtio-serial the guest port opens when an agent
//     starts and closes when it dies; QEMU reports each change to the host
//     (VSERPORT_CHANGE) at most once a second, keeping only the newest inside
//     a window ("transport.port" events). A client that implements
//     client.PortWatcher (libvirt) hears the ones QEMU sends.
//
//   - Discards: a client names the received bytes it throws away unread;
//     they become "client.discard" events with the agent's writer offsets.
//
//   - Accounting: every byte either side writes is delivered once, or named
//     lost by a "fault" or "transport.drop" event, or still in flight at the
//     "end" event; changed and added bytes are named by fault events.
//
//   - Attribution: every "agent.reply" names the host write (request Seq,
//     connection) whose byte completed the message; every
//     "request.outcome" names the agent reply the caller's bytes came from,
//     or "mixed", "corrupted", "none". See docs/trace-format.md.
//
//   - Memory follows the configuration and the bytes in flight, not the
//     length of the run: with Config.NoKeep the events only go to the Sink,
//     and the attribution records are trimmed behind the readers (host
//     writes the agent has read past, received bytes the client no longer
//     holds: client.Retainer, and the replies behind both).
//
//   - Budgets: a run stops with ErrBudget (a *BudgetError) when it has made
//     Config.MaxEvents trace events or run as many scheduled actions
//     (DefaultMaxEvents), when more than MaxPending actions wait, or when a
//     direction holds more than MaxHeldBytes; its "end" events then say why.
//
//   - Endpoints (endpoints.go): either end may be a real program instead.
//     With Config.Host the host is a real client whose connects, writes and
//     closes the caller feeds in (HostConnect, HostWrite, HostClose) and
//     to which the World delivers through a callback; with
//     Config.ExternalAgent the agent is a real qemu-ga, seen through a
//     shadow of the simulated parser over the bytes delivered to it (the
//     trace still knows each message), whose process faults the caller
//     carries out. The caller runs the World up to each input's virtual
//     time first (RunUntil), so the World stays pure: package sim/live is
//     the shell that does this in wall-clock time, with the sockets.
//
// Run ends at Config.Duration or as soon as every step is done and nothing
// is in flight (a World with a real host ends only by Stop), at a budget
// (Err), or at StopWith (an interrupt); Step runs one scheduled action at a
// time for the UI; Inject fires a fault by hand. Config.Repeat runs the host
// program over again, for long runs.
package sim
