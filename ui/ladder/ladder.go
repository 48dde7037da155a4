package ladder

import (
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/ui/bytefmt"
	"github.com/qgasim/qgasim/ui/model"
)

// Lane is a column of the ladder.
type Lane uint8

// The three lanes, left to right.
const (
	Host  Lane = iota // the host program: its callers and the client strategy
	Link              // the channel between them (virtio-serial, isa-serial, a unix socket)
	Agent             // the guest agent, one process after another
)

func (l Lane) String() string {
	switch l {
	case Host:
		return "host"
	case Link:
		return "link"
	case Agent:
		return "agent"
	}
	return "lane?"
}

// RowKind is what a row draws.
type RowKind uint8

// Row kinds.
const (
	ArrowRow RowKind = iota + 1 // bytes moving from one lane to another
	NoteRow                     // something that happens at one lane: a timeout, a restart, a fault
	StepRow                     // the host program reached a step of the scenario: a band across
)

// Style is how an arrow's line is drawn.
type Style uint8

// Arrow styles.
const (
	Solid  Style = iota // bytes on their way
	Dotted              // bytes the client threw away unread
	Double              // a reply handed to a caller (the note of an outcome)
)

// MarkKind is what happened to some of an arrow's bytes on the way.
type MarkKind uint8

// Marks, in the order the renderers show them.
const (
	Lost      MarkKind = iota + 1 // bytes removed from the middle or all of a write (a drop fault, no reader)
	Cut                           // the end of a write never arrived (truncate, the agent died writing)
	Corrupted                     // bytes delivered with other values
	Added                         // bytes nobody wrote arrived with these (duplicate, inject)
	Held                          // the transport held the bytes (no host, a full buffer)
)

func (k MarkKind) String() string {
	switch k {
	case Lost:
		return "lost"
	case Cut:
		return "cut"
	case Corrupted:
		return "corrupted"
	case Added:
		return "added"
	case Held:
		return "held"
	}
	return "mark?"
}

// Mark is a fact about some of an arrow's bytes: N of them, and why.
type Mark struct {
	Kind MarkKind
	N    int64
	Text string // the fault's name or the transport's reason
	Seq  int64  // the event that made it
}

// Row is one line of the ladder. Time runs down: rows are in the order of
// their first event.
type Row struct {
	Kind RowKind
	// T is when the row starts (an arrow: when its bytes were written, or
	// for a delivery row when they were first read); Until is when the last
	// of them arrived (T when the row is an instant).
	T, Until int64
	// Seq and LastSeq are the first and the last trace event folded into
	// the row, so that a view that follows a cursor can tell which rows have
	// happened by event k.
	Seq, LastSeq int64

	// From and To are an arrow's ends. A note sits on From (To == From); a
	// step spans all lanes.
	From, To Lane
	Dir      string // an arrow's direction: trace.H2A or trace.A2H

	// Text is what travels (an arrow's label: "#1 guest-info", "reply to #1
	// guest-info, 3,220 B"), a note's text or a step's title.
	Text string
	// Note is a step's note.
	Note string
	// HostText and AgentText are what each end makes of an arrow: the host
	// client's verdict or reason ("discarded: before the 0xFF sentinel"),
	// the agent parser's state after it read the bytes.
	HostText, AgentText string
	// LinkText is what the link did with an arrow's bytes: reads, holds.
	LinkText string

	Bytes int64 // bytes an arrow carries
	Reads int   // link deliveries folded into an arrow
	// Flags are the facts about the arrow's bytes, in the byte panes'
	// vocabulary; Class is the class they give (bytefmt.ClassOf), so that
	// an arrow has the colour its bytes have in the TUI and the report.
	Flags bytefmt.Flags
	Class bytefmt.Class
	Style Style
	// Sentinel says the arrow carries a 0xFF byte: the host's flush, or the
	// delimiter the agent writes before a guest-sync-delimited reply.
	Sentinel bool
	Marks    []Mark

	// Req is the caller request the row carries, answers or ends (0: none);
	// Verdict is the oracle's verdict on it when the row ends it.
	Req     int
	Verdict check.Verdict
	// GotReplyOf is, for an outcome, the request whose reply the caller was
	// handed (when it is not its own); TakenFrom the index in Rows of the
	// arrow that brought those bytes to the host (-1: none drawn).
	GotReplyOf int
	TakenFrom  int
	// Alarm says the row is worth a colour: a fault, a death, a wrong outcome.
	Alarm bool
	// Count is how many alike rows this one stands for (1 when it is alone).
	Count int

	// Inc is the agent process at the row's time; AgentDown says the agent
	// is dead (its lifeline broken) and Death marks the row it died on.
	// HostGone says no host connection is open.
	Inc       int
	AgentDown bool
	Death     bool
	HostGone  bool
}

// Lost reports how many of the arrow's bytes never arrived.
func (r *Row) Lost() int64 {
	var n int64
	for _, m := range r.Marks {
		if m.Kind == Lost || m.Kind == Cut {
			n += m.N
		}
	}
	return n
}

// Ladder is the whole picture.
type Ladder struct {
	Info model.Info // the scenario, seed, transport and strategy in the header
	Rows []Row
	// Omitted counts rows that were dropped from the front to keep the
	// ladder within Options.MaxRows.
	Omitted int64
	End     int64 // virtual time of the last event folded
}
