package trace

// Kinds of events. The dotted prefix names the part of the world that acted.
const (
	KindStep         = "step"              // the host program reached a step
	KindNote         = "note"              // a step's note, for the reader of the trace
	KindHostWrite    = "host.write"        // the host client wrote bytes on the channel
	KindHostRead     = "host.read"         // unused by the World; reserved for real-socket traces
	KindDeliver      = "link.deliver"      // a reader took bytes out of the link
	KindFault        = "fault"             // a fault fired and touched bytes or a process
	KindAgentRead    = "agent.read"        // the agent process read bytes
	KindAgentParser  = "agent.parser"      // the agent's parser changed state after a read
	KindAgentReply   = "agent.reply"       // the agent finished a message and wrote its reply (or none)
	KindAgentWrite   = "agent.write"       // a real agent (live mode) wrote bytes on the channel
	KindAgentRestart = "agent.restart"     // the agent process died (restart, reboot, shutdown)
	KindAgentStart   = "agent.start"       // a new agent process opened the port
	KindAgentEffect  = "agent.effect"      // a command changed the guest (frozen, thawed, shutdown, reboot)
	KindClientState  = "client.state"      // the client's resync state changed
	KindDiscard      = "client.discard"    // the client threw received bytes away unread (stale, skipped, delayed)
	KindIssue        = "request.issue"     // a caller asked the client for a command
	KindOutcome      = "request.outcome"   // the client ended a caller's request
	KindConnect      = "transport.connect" // the host opened the channel
	KindClose        = "transport.close"   // the host channel closed
	KindDrop         = "transport.drop"    // the transport lost bytes (no reader, flush, closed, full)
	KindHold         = "transport.hold"    // the transport held a writer's bytes (no host, buffer full)
	KindPort         = "transport.port"    // virtio-serial: QEMU reports the guest port open or closed (VSERPORT_CHANGE), throttled to one a second
	KindEnd          = "end"               // the run ended; carries the bytes still in flight
	KindSession      = "session"           // a live session's first event: what ran (Session)
)

// Directions of the link.
const (
	H2A = "h2a" // host to agent
	A2H = "a2h" // agent to host
)

// Event is one thing that happened. See docs/trace-format.md for the
// fields each kind uses.
type Event struct {
	T    int64  `json:"t"`    // virtual time, ns since the start
	Seq  int64  `json:"seq"`  // event number, from 1
	Kind string `json:"kind"` // one of the Kind constants

	Dir string `json:"dir,omitempty"` // "h2a" or "a2h"
	// Off and N are a range of a stream: for host.write and agent.reply the
	// writer's stream of Dir, for link.deliver and agent.read the reader's.
	Off   int64 `json:"off,omitempty"`
	N     int64 `json:"n,omitempty"`
	Bytes Bytes `json:"bytes,omitempty"`

	// Src says where each delivered byte came from: runs of offsets in the
	// writer's stream, with Off -1 for bytes a fault added.
	Src []Span `json:"src,omitempty"`
	// Lost, Changed and Added say what a fault or the transport did to the
	// writer's stream of Dir: bytes removed, bytes altered (still delivered),
	// and how many bytes were added.
	Lost    []Span `json:"lost,omitempty"`
	Changed []Span `json:"changed,omitempty"`
	Added   int64  `json:"added,omitempty"`

	Fault string `json:"fault,omitempty"` // fault kind, e.g. "drop"
	Name  string `json:"name,omitempty"`  // fault instance name, e.g. "drop#1"

	Conn  int   `json:"conn,omitempty"`  // host connection number, from 1
	Inc   int   `json:"inc,omitempty"`   // agent incarnation (process number), from 1
	ASeq  int64 `json:"aseq,omitempty"`  // message number within the agent incarnation
	Req   int   `json:"req,omitempty"`   // caller request Seq (client.Request.Seq)
	Step  int   `json:"step,omitempty"`  // step index, from 1
	Until int64 `json:"until,omitempty"` // end of a stall, a down time, a freeze

	Cmd     string `json:"cmd,omitempty"`     // command name
	Class   string `json:"class,omitempty"`   // error class of a reply
	State   string `json:"state,omitempty"`   // client state, parser state, effect
	Outcome string `json:"outcome,omitempty"` // request.outcome: returned, error, timed out, failed
	Text    string `json:"text,omitempty"`    // free text: note, what, why, detail, error desc

	Origin *Origin   `json:"origin,omitempty"` // agent.reply: the host write that completed the message
	Reply  *ReplyRef `json:"reply,omitempty"`  // request.outcome: the agent reply the caller got

	Session *Session `json:"session,omitempty"` // session: what a live session ran
}

// Session says what a live session ran, so that its trace can be replayed
// without guessing (the first event of a serve or proxy trace).
type Session struct {
	Mode      string  `json:"mode"`           // "serve" or "proxy"
	Scenario  string  `json:"scenario"`       // the scenario's name
	File      string  `json:"file,omitempty"` // the scenario file, as named on the command line
	Transport string  `json:"transport"`
	Seed      uint64  `json:"seed"`
	Speed     float64 `json:"speed"`
}

// Span is a run of N bytes starting at offset Off of a stream; Off -1 marks
// bytes that no writer wrote (added by a fault).
type Span struct {
	Off int64
	N   int64
}

// Origin is the host write whose bytes completed an agent message.
type Origin struct {
	Status string `json:"status"`         // "write", or "none" (no host byte: injected, added or unknown)
	Req    int    `json:"req,omitempty"`  // the Write's Seq (0 for the client's own bytes)
	Conn   int    `json:"conn,omitempty"` // the connection it was written on
	Off    int64  `json:"off"`            // h2a stream offset of the byte that ended the message
	What   string `json:"what,omitempty"` // the Write's label
}

// ReplyRef names the agent reply whose bytes a caller received.
type ReplyRef struct {
	// Status is "reply" when every byte came unchanged from one agent reply,
	// "mixed" when they came from several, "corrupted" when a fault changed
	// or added any of them, "none" when no reply bytes are known (no Reply).
	Status string `json:"status"`
	Inc    int    `json:"inc,omitempty"`
	ASeq   int64  `json:"aseq,omitempty"`
	// OriginReq and OriginConn are the agent reply's Origin: the caller
	// request whose bytes completed the message the reply answers.
	OriginReq  int    `json:"origin_req,omitempty"`
	OriginConn int    `json:"origin_conn,omitempty"`
	Cmd        string `json:"cmd,omitempty"`
}
