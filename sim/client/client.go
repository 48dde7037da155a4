package client

import "time"

// Client is a host program talking to the agent: a pure state machine that
// follows one resync strategy. The World (or a test) drives it; it never
// reads a clock, draws from a global random source or touches a socket.
//
// The calls, all with the current virtual time in nanoseconds:
//
//	Issue      a caller asks for one command (a scenario step)
//	Connected  the channel is open (at start, and after every reopen)
//	Closed     the channel was closed under the client (by the link)
//	Receive    bytes read from the channel
//	Tick       the time NextTimer asked for has come
//
// After each call the driver collects Take(): the writes to make, whether to
// reopen or close the channel, and the outcomes callers now see.
type Client interface {
	Strategy() string
	Issue(now int64, req Request)
	Connected(now int64)
	Closed(now int64, reason string)
	Receive(now int64, data []byte)
	Tick(now int64)
	// NextTimer is the virtual time of the client's next timer.
	NextTimer() (int64, bool)
	// Take returns and clears what the client wants done.
	Take() Actions
	// Status is the client's state, for the trace, the report and the UI.
	Status() Status
}

// PortWatcher is implemented by a client that follows the guest port's open
// and close events, as libvirt follows QEMU's VSERPORT_CHANGE on
// virtio-serial. QEMU sends at most one such event a second per port and
// keeps only the newest, so an agent restart can be reported late, or not at
// all when its close and open fall inside one window.
type PortWatcher interface {
	PortChanged(now int64, open bool)
}

// Reader is implemented by a client that can stop reading the channel, as
// libvirt stops watching its agent socket once an error is set. The driver
// then leaves the agent's bytes where they are: in the channel, to be lost
// with it when it closes.
type Reader interface {
	Reading() bool
}

// Async is a Request.Timeout that means the caller does not wait at all,
// as libvirt's --async (a timeout of 0): libvirt fails such a call at once
// ("Guest agent not available for now") without writing it and leaves the
// connection not in sync; the other strategies write it and give up at once.
const Async time.Duration = -2

// Request is one caller's command.
type Request struct {
	Seq       int           // numbers the caller's requests from 1; outcomes refer to it
	Execute   string        // command name, e.g. "guest-info"
	Arguments []byte        // the "arguments" object as JSON text, or nil; read only (it is the scenario's text)
	Timeout   time.Duration // the caller's timeout; 0: the strategy's default; negative: for ever; Async: not at all
}

// Write is one write() call on the channel. Data is handed over: the
// driver passes the array on to the link without a copy, so a client
// never writes into it again (each write is a fresh array).
type Write struct {
	Data []byte
	Seq  int    // the caller request these bytes carry, 0 for the client's own (sync, 0xFF)
	What string // a short label for the trace: "0xFF", "guest-sync-delimited id=7", "guest-info #2"
	// Parts split a write that carries several messages (Proxmox writes its
	// sync and the command in one write()): each part is attributed on its
	// own, so that the reply to the client's sync never counts as the
	// caller's. Their N add up to len(Data). Nil: one part, Seq and What.
	Parts []Part
}

// Part is a run of bytes of a Write that one message makes up.
type Part struct {
	N    int
	Seq  int
	What string
}

// Actions are what the client wants done after a call.
type Actions struct {
	Writes   []Write
	Reopen   bool // close the channel and open a new connection (Connected follows)
	Close    bool // close the channel and leave it closed
	Outcomes []Outcome
	Changed  bool // Status changed
	// Discarded are received bytes the client threw away unread as a reply
	// (stale data skipped while resyncing, replies nobody waited for), as
	// ranges of offsets in everything it received since it started.
	Discarded []Range
}

// Range is the bytes [From, To) of the client's received stream.
type Range struct {
	From, To int64
	Why      string
}

// OutcomeKind is what the caller of a request saw.
type OutcomeKind uint8

// Outcome kinds.
const (
	Returned   OutcomeKind = iota + 1 // a {"return": ...} was handed to the caller
	ErrorReply                        // an {"error": ...} was handed to the caller
	TimedOut                          // the client gave up waiting
	Failed                            // the client failed the call without a reply (poisoned, not connected, protocol error)
)

var outcomeNames = [...]string{Returned: "returned", ErrorReply: "error", TimedOut: "timed out", Failed: "failed"}

func (k OutcomeKind) String() string {
	if int(k) < len(outcomeNames) && outcomeNames[k] != "" {
		return outcomeNames[k]
	}
	return "outcome?"
}

// Outcome is the end of one caller's request as the caller sees it.
type Outcome struct {
	Seq  int
	Kind OutcomeKind
	// Reply is the line handed to the caller (Returned, ErrorReply).
	Reply []byte
	// ReplyFrom and ReplyTo are the offsets, in everything the client has
	// received since it started (over all connections), of the bytes of
	// Reply. The oracle maps them back to the agent reply they came from.
	ReplyFrom, ReplyTo int64
	// Detail is the error text the caller sees, for Failed and TimedOut
	// (libvirt's own words where the strategy models libvirt).
	Detail string
}

// State is where a client is in its resync protocol.
type State uint8

// Client states shown in the UI and the trace.
const (
	Idle         State = iota + 1 // connected, nothing outstanding
	InSync                        // in sync, waiting for a command's reply
	WaitSentinel                  // discarding everything until the 0xFF sentinel
	WaitSyncID                    // waiting for the reply carrying the sync id
	Discarding                    // throwing away stale data
	Poisoned                      // refuses to work until the channel is reopened
	Disconnected                  // no channel
)

var stateNames = [...]string{Idle: "idle", InSync: "in sync", WaitSentinel: "waiting for 0xFF",
	WaitSyncID: "waiting for sync id", Discarding: "discarding", Poisoned: "poisoned", Disconnected: "disconnected"}

func (s State) String() string {
	if int(s) < len(stateNames) && stateNames[s] != "" {
		return stateNames[s]
	}
	return "state?"
}

// Status is the client's state with one line that says why.
type Status struct {
	State State
	Why   string
}

// Retainer is implemented by a client that says which received bytes it
// may still name: after a call returns (and its Take), no later Outcome or
// Range starts before Retained(), an offset in everything received. The
// World forgets what it knew about older bytes, so that its memory follows
// what the client holds and not the length of the run. Every strategy here
// names only bytes it still buffers.
type Retainer interface {
	Retained() int64
}

// Recycler is a client that takes back the Actions the driver is done
// with: the next Take fills their slices again instead of new ones (a
// client's every read makes actions). The driver keeps nothing of them
// after Recycle.
type Recycler interface {
	Recycle(Actions)
}

// Swapper is a client that hands its actions over in place: Swap puts in
// *a what Take would return and keeps the arrays *a held (the driver is
// done with them) for the next ones. One call instead of Take and
// Recycle, and no Actions copied through the layers, at every read.
type Swapper interface {
	Swap(a *Actions)
}
