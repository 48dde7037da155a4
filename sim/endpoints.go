package sim

import (
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/trace"
)

// The World's two ends. By default both are simulated: the host is the
// client strategy running the program (Config.NewClient, Config.Steps), the
// agent is the simulated qemu-ga process (AgentProcess). Live mode (package
// sim/live) replaces either with a real program: the World stays a pure,
// single-threaded virtual-time core, and the caller feeds it what the real
// program did, each at the virtual time it happened, after running the
// World up to that time (RunUntil). The World calls back, at its current
// time, when the link hands bytes to a real program or when a fault acts on
// a real process. Callbacks must not call back into the World.

// ExternalHost makes the host side a real client (Config.Host): its
// connects, writes and closes come from HostConnect, HostWrite and
// HostClose, and what the link delivers to the host goes to Deliver. The
// transport's rules apply to the real connection as to a simulated one.
type ExternalHost struct {
	// Deliver receives the bytes the link hands to the host now.
	Deliver func(now int64, data []byte)
	// Closed is told when the World closes the host's channel itself: the
	// agent exited on a unix socket, or a reconnect-host fault fired. The
	// real connection should be closed; the client reconnects on its own.
	Closed func(now int64, why string)
}

// ExternalAgent makes the agent side a real qemu-ga (Config.ExternalAgent):
// its connection comes and goes with AgentConnect and AgentDisconnect, its
// writes come from AgentWrite, and what the link delivers to the agent goes
// to Deliver.
//
// The World runs the simulated agent's parser as a shadow over the bytes
// delivered to the real agent, so that the trace knows the message
// boundaries and commands (qemu-ga's parser is reproduced byte for byte by
// package qjson): each message the shadow completes gets an origin, and each
// line the real agent writes is matched, in order, to the next message the
// shadow expects a reply for. The replies themselves are the real agent's.
type ExternalAgent struct {
	// Deliver receives the bytes the link hands to the agent now.
	Deliver func(now int64, data []byte)
	// Process is told when a fault acts on the agent process: the caller
	// kills and restarts the process it manages, or closes and reopens its
	// connection, and reports the new connection with AgentConnect.
	Process func(now int64, act ProcessAction)
}

// ProcessAction is what a fault does to a real agent process.
type ProcessAction struct {
	// Kind is "restart" or "reboot" (kill the process, or drop its
	// connection, and start or reconnect after Down), "pause" (SIGSTOP),
	// "continue" (SIGCONT) or "stop" (SIGTERM: the process exits when it
	// does, its connection closes, and a new one may start Down after).
	Kind string
	// Down is how long the agent stays down, ns: the caller reconnects
	// (or restarts the process) after it.
	Down int64
	// Fault and Name name the fault that fired.
	Fault, Name string
}

// agentEnd is the World's agent side: the simulated process, or a real
// agent seen through its shadow parser.
type agentEnd interface {
	Agent() *agent.Agent
	Up() bool
	Inc() int
	ParserState() string
	Pending() int
	Buffered() int
	BufferedSpans() []trace.Span
	FirstBuffered() (int64, bool)
	LastRead() (int64, bool)
	Next(now int64) (int64, bool)
	Step(now int64) bool
	RunQueued(now int64)
}

var (
	_ agentEnd = (*AgentProcess)(nil)
	_ agentEnd = (*extAgent)(nil)
)
