package model

import (
	"fmt"
	"strings"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Limits bound the history a Model keeps.
type Limits struct {
	StreamBytes    int64 // bytes of each byte pane
	StreamSegments int   // segments (writes and markers) of each byte pane
	Deliveries     int   // deliveries remembered per direction, for byte stories
	Timeline       int   // timeline entries
	Requests       int   // request rows
}

// DefaultLimits keep a few minutes of a busy run: enough to scroll back
// through, small enough that hours of play stay at a few megabytes.
var DefaultLimits = Limits{StreamBytes: 256 << 10, StreamSegments: 8192, Deliveries: 4096, Timeline: 4096, Requests: 2048}

// Info is what the header shows about the run; it does not come from the
// trace but from the scenario.
type Info struct {
	Scenario    string
	Description string
	Seed        uint64
	Transport   string
	Strategy    string
	// LiveSpeed is a live session's virtual seconds per wall second
	// (serve/proxy --speed); 0 for a run or a recording, which play at
	// the UI's own speed.
	LiveSpeed float64
}

// Agent is the agent pane: the process and its parser as far as the trace
// tells; the live snapshot adds the token being built.
type Agent struct {
	Inc       int
	Running   bool
	DownUntil int64 // while not running: when it comes back (0: never)
	Restarts  int
	Frozen    bool
	Parser    string // the last agent.parser state ("idle", or lexer state and depth)
	LastReply string // a short line about the last reply written
}

// Client is the client pane.
type Client struct {
	State string // a client.State name: "in sync", "waiting for 0xFF", ...
	Why   string
	Since int64
	Conn  int
	Open  bool
}

// Note is the current step's note, shown as a subtitle.
type Note struct {
	Step int
	T    int64
	Text string
	For  string // the client strategy it was written for ("": any)
}

// Foreign reports whether the note was written for another client strategy
// than the one the run shows: it may not hold for this one.
func (n Note) Foreign(strategy string) bool { return n.For != "" && n.For != strategy }

// Live is what the caller reads from the World at the current moment and
// the trace does not carry.
type Live struct {
	Valid   bool
	Lex     string
	Brace   int
	Bracket int
	Token   []byte
	Pending int
	Queued  int
}

// Model is the view model. The zero value is not ready: use New.
type Model struct {
	Info    Info
	Now     int64 // time of the last event applied
	LastSeq int64 // Seq of the last event applied
	Events  int64 // events applied

	H2A, A2H *Stream
	Agent    Agent
	Client   Client
	Note     Note
	Live     Live

	Requests []*Request
	Timeline []Entry

	// Also fold every event after the model: views of the run kept outside
	// this package (the TUI's ladder and oracle), so that they follow the
	// same events and are rebuilt with the model on every rewind.
	Also []Folder

	limits       Limits
	reqs         map[int]*Request
	lateBy       map[replyKey]int // agent replies answering a request that had already ended
	lateKept     int              // len(lateBy) after the last forgetLate
	evictedTL    int64
	evictedReqs  int64
	pendingAdded map[string]string // fault name that added bytes, by direction, for the next delivery's label
	messages     []message         // agent messages, for the story of a host byte
	wire         *wireView         // a live session's real client, judged from its bytes
	shadow       *shadowParser     // the agent's parser, followed byte by byte (parser.go)
}

// message is one message the agent handled, with the host byte that ended it.
type message struct {
	t         int64
	inc       int
	aseq      int64
	cmd       string
	class     string
	originOff int64
	originOK  bool
}

type replyKey struct {
	inc  int
	aseq int64
}

// New returns an empty model with the given limits (zero fields take the
// defaults).
func New(info Info, l Limits) *Model {
	d := DefaultLimits
	if l.StreamBytes <= 0 {
		l.StreamBytes = d.StreamBytes
	}
	if l.StreamSegments <= 0 {
		l.StreamSegments = d.StreamSegments
	}
	if l.Deliveries <= 0 {
		l.Deliveries = d.Deliveries
	}
	if l.Timeline <= 0 {
		l.Timeline = d.Timeline
	}
	if l.Requests <= 0 {
		l.Requests = d.Requests
	}
	return &Model{
		Info: info, limits: l,
		H2A: newStream(trace.H2A, l), A2H: newStream(trace.A2H, l),
		Agent:  Agent{Inc: 1, Running: true, Parser: "idle"},
		Client: Client{State: "idle"},
		reqs:   map[int]*Request{}, lateBy: map[replyKey]int{}, pendingAdded: map[string]string{},
	}
}

// Stream returns the stream of a direction.
func (m *Model) Stream(dir string) *Stream {
	if dir == trace.A2H {
		return m.A2H
	}
	return m.H2A
}

// SetLive records the World's snapshot at the current moment.
func (m *Model) SetLive(l Live) { m.Live = l }

// Folder folds trace events.
type Folder interface{ Apply(ev trace.Event) }

// Apply folds one event into the model, then into Also.
func (m *Model) Apply(ev trace.Event) {
	m.apply(ev)
	for _, f := range m.Also {
		f.Apply(ev)
	}
}

func (m *Model) apply(ev trace.Event) {
	m.Now, m.LastSeq = ev.T, ev.Seq
	m.Events++
	if ev.Kind == trace.KindSession && ev.Session != nil && m.wire == nil {
		m.startWire()
	}
	if m.wire != nil {
		m.observeWire(ev)
		if ev.Kind == trace.KindHostWrite && len(m.wire.made) > 0 && ev.Text == "" {
			// Name the write by the requests it completed.
			ev.Text = strings.Join(m.wire.made, ", ")
		}
		if ev.Kind == trace.KindAgentReply && m.wire.replyTo > 0 && ev.Origin != nil {
			// Name the reply by the request it answers (a copy: the
			// event's origin is not the model's to change).
			o := *ev.Origin
			o.Req = m.wire.replyTo
			ev.Origin = &o
		}
	}
	switch ev.Kind {
	case trace.KindHostWrite:
		m.H2A.Written += ev.N
		m.H2A.add(&Segment{Kind: SegWrite, T: ev.T, Seq: ev.Seq, Label: ev.Text, Off: ev.Off,
			Bytes: clone(ev.Bytes), Flags: make([]bytefmt.Flags, len(ev.Bytes)), Req: ev.Req, Conn: ev.Conn})
		if r := m.reqs[ev.Req]; r != nil && r.Sent == 0 && !r.sent {
			r.Sent, r.sent = ev.T, true
		}
	case trace.KindAgentReply:
		m.agentReply(ev)
	case trace.KindAgentWrite:
		// A real agent's bytes (live mode): its replies are told apart
		// afterwards, by agent.reply events without a direction.
		m.A2H.Written += ev.N
		m.A2H.add(&Segment{Kind: SegWrite, T: ev.T, Seq: ev.Seq, Label: "the real agent wrote", Off: ev.Off,
			Bytes: clone(ev.Bytes), Flags: make([]bytefmt.Flags, len(ev.Bytes)), Inc: ev.Inc})
	case trace.KindDeliver:
		m.deliver(ev)
		m.parserEvent(ev)
	case trace.KindFault:
		m.fault(ev)
	case trace.KindDrop:
		s := m.Stream(ev.Dir)
		s.mark(ev.Lost, bytefmt.FLost)
		s.Lost += trace.Total(ev.Lost)
		m.marker(ev, ev.Dir, '✗', fmt.Sprintf("transport lost %s bytes: %s", bytefmt.Count(trace.Total(ev.Lost)), ev.Text))
	case trace.KindHold:
		s := m.Stream(ev.Dir)
		s.mark([]trace.Span{{Off: ev.Off, N: ev.N}}, bytefmt.FHeld)
		m.marker(ev, ev.Dir, '=', fmt.Sprintf("transport holds %s bytes: %s", bytefmt.Count(ev.N), ev.Text))
	case trace.KindAgentRestart:
		m.Agent.Running, m.Agent.DownUntil = false, ev.Until
		m.Agent.Restarts++
		m.Agent.Parser = "-"
		txt := "agent process " + itoa(ev.Inc) + " dies"
		if ev.Text != "" {
			txt += " (" + ev.Text + ")"
		}
		if ev.Until > 0 {
			txt += ", back at " + bytefmt.Time(ev.Until)
		}
		m.marker(ev, "", 'R', txt)
	case trace.KindAgentStart:
		m.Agent.Inc, m.Agent.Running, m.Agent.DownUntil = ev.Inc, true, 0
		m.Agent.Parser = "idle"
		// A new process finds the guest frozen or not in its state
		// directory, and its start event says which.
		m.Agent.Frozen = ev.State == "frozen"
		m.parserEvent(ev)
		m.marker(ev, trace.H2A, 'R', "agent process "+itoa(ev.Inc)+" opens the port")
	case trace.KindAgentParser:
		m.Agent.Parser = ev.State
	case trace.KindAgentEffect:
		switch ev.State {
		case "frozen":
			m.Agent.Frozen = true
		case "thawed":
			m.Agent.Frozen = false
		}
	case trace.KindClientState:
		m.Client.State, m.Client.Why, m.Client.Since = ev.State, Why(ev.State, ev.Text), ev.T
	case trace.KindDiscard:
		// The client says exactly which received bytes it threw away, by
		// the agent's writer offsets (bytes a fault added have none).
		m.A2H.mark(ev.Src, bytefmt.FDiscarded)
	case trace.KindConnect:
		m.Client.Conn, m.Client.Open = ev.Conn, true
		m.marker(ev, "", '+', "host opens connection "+itoa(ev.Conn))
	case trace.KindClose:
		m.Client.Open = false
		m.marker(ev, "", '-', "host connection "+itoa(ev.Conn)+" closed: "+ev.Text)
	case trace.KindIssue:
		m.issue(ev)
	case trace.KindOutcome:
		m.outcome(ev)
	case trace.KindNote:
		m.Note = Note{Step: ev.Step, T: ev.T, Text: ev.Text, For: ev.State}
	}
	m.timeline(ev)
}

func (m *Model) marker(ev trace.Event, dir string, glyph rune, text string) {
	for _, s := range []*Stream{m.H2A, m.A2H} {
		if dir == "" || dir == s.Dir {
			s.add(&Segment{Kind: SegMarker, T: ev.T, Seq: ev.Seq, Glyph: glyph, Label: text, Off: -1})
		}
	}
}

func (m *Model) agentReply(ev trace.Event) {
	if ev.Inc != 0 {
		m.Agent.Inc = ev.Inc
	}
	msg := message{t: ev.T, inc: ev.Inc, aseq: ev.ASeq, cmd: ev.Cmd, class: ev.Class}
	if o := ev.Origin; o != nil && o.Status == "write" {
		msg.originOff, msg.originOK = o.Off, true
	}
	m.messages = append(m.messages, msg)
	if n := len(m.messages); n > 2*m.limits.Deliveries {
		m.messages = append([]message(nil), m.messages[n-m.limits.Deliveries:]...)
	}
	what := ev.Cmd
	if what == "" {
		what = "a bad message"
	}
	if ev.N == 0 {
		m.Agent.LastReply = what + ": no reply"
		return
	}
	m.Agent.LastReply = fmt.Sprintf("%s, %s bytes", what, bytefmt.Count(ev.N))
	if m.wire != nil {
		m.wireReply(ev)
	}
	if ev.Dir == "" {
		// A real agent's reply: its bytes are in the agent.write segments.
		return
	}
	seg := &Segment{Kind: SegWrite, T: ev.T, Seq: ev.Seq, Off: ev.Off, Bytes: clone(ev.Bytes),
		Flags: make([]bytefmt.Flags, len(ev.Bytes)), Inc: ev.Inc, ASeq: ev.ASeq, Cmd: ev.Cmd}
	label := "reply to " + what
	if ev.Class != "" {
		label += " (" + ev.Class + ")"
	}

	if o := ev.Origin; o != nil {
		if o.Status == "write" && o.Req > 0 {
			seg.OriginReq = o.Req
			label += " #" + itoa(o.Req)
		}
		seg.OriginNone = o.Status != "write"
	}
	seg.Label = label
	m.A2H.Written += ev.N
	m.A2H.add(seg)
	if r := m.reqs[seg.OriginReq]; r != nil && r.Done {
		// The caller has stopped waiting: this reply is stale.
		r.LateAt = ev.T
		m.lateBy[replyKey{ev.Inc, ev.ASeq}] = r.Req
		m.forgetLate()
		seg.Label += fmt.Sprintf(" [stale: #%d %s at %s]", r.Req, r.Outcome, bytefmt.Time(r.At))
	}
}

func (m *Model) deliver(ev trace.Event) {
	s := m.Stream(ev.Dir)
	s.Delivered += ev.N
	s.addDelivery(delivery{T: ev.T, Seq: ev.Seq, ROff: ev.Off, N: ev.N, Src: ev.Src, Inc: ev.Inc, Conn: ev.Conn})
	// Bytes that reach the host while the client is throwing data away are
	// discarded: everything while discarding; while waiting for 0xFF,
	// everything before the sentinel (after it the client reads on).
	discard := ev.Dir == trace.A2H && (m.Client.State == "discarding" || m.Client.State == "waiting for 0xFF")
	untilFF := m.Client.State == "waiting for 0xFF"
	k := 0
	for _, sp := range ev.Src {
		for j := int64(0); j < sp.N; j, k = j+1, k+1 {
			var b byte
			if k < len(ev.Bytes) {
				b = ev.Bytes[k]
			}
			f := bytefmt.FDelivered
			if discard {
				f |= bytefmt.FDiscarded
			}
			if untilFF && b == 0xFF {
				discard = false
			}
			if sp.Off < 0 {
				continue
			}
			seg, i := s.locate(sp.Off + j)
			if seg == nil {
				continue
			}
			seg.Flags[i] |= f
			if seg.Flags[i]&bytefmt.FChanged != 0 && b != seg.Bytes[i] {
				if seg.NewVal == nil {
					seg.NewVal = map[int]byte{}
				}
				seg.NewVal[i] = b
			}
		}
	}
	// Bytes a fault added get their own segment where they arrived.
	k = 0
	for _, sp := range ev.Src {
		if sp.Off >= 0 {
			k += int(sp.N)
			continue
		}
		end := min(k+int(sp.N), len(ev.Bytes))
		b := clone(ev.Bytes[k:end])
		fl := make([]bytefmt.Flags, len(b))
		for i := range fl {
			fl[i] = bytefmt.FAdded | bytefmt.FDelivered
		}
		label := "added by a fault"
		if name := m.pendingAdded[ev.Dir]; name != "" {
			label = "added by " + name
		}
		s.add(&Segment{Kind: SegAdded, T: ev.T, Seq: ev.Seq, Label: label, Off: -1, Bytes: b, Flags: fl})
		k = end
	}
}

func (m *Model) fault(ev trace.Event) {
	name := ev.Name
	if name == "" {
		name = ev.Fault
	}
	var what []string
	if n := trace.Total(ev.Lost); n > 0 {
		what = append(what, "drops "+bytefmt.Count(n))
	}
	if n := trace.Total(ev.Changed); n > 0 {
		what = append(what, "changes "+bytefmt.Count(n))
	}
	if ev.Added > 0 {
		what = append(what, "adds "+bytefmt.Count(ev.Added))
		m.pendingAdded[ev.Dir] = name
	}
	if ev.Dir != "" {
		s := m.Stream(ev.Dir)
		s.mark(ev.Lost, bytefmt.FLost)
		s.mark(ev.Changed, bytefmt.FChanged)
		s.Lost += trace.Total(ev.Lost)
		s.Changed += trace.Total(ev.Changed)
		s.Added += ev.Added
	}
	txt := name
	if len(what) > 0 {
		txt += " " + join(what) + " byte"
		if trace.Total(ev.Lost)+trace.Total(ev.Changed)+ev.Added != 1 {
			txt += "s"
		}
	}
	if ev.Until > 0 {
		txt += " until " + bytefmt.Time(ev.Until)
	}
	if ev.Text != "" {
		txt += ": " + ev.Text
	}
	m.marker(ev, ev.Dir, '✗', txt)
}

// forgetLate drops the stale replies whose request left the table, once
// there are many: the map stays the size of the request window.
func (m *Model) forgetLate() {
	if len(m.lateBy) <= 2*max(m.limits.Requests, m.lateKept) {
		return
	}
	for k, req := range m.lateBy {
		if m.reqs[req] == nil {
			delete(m.lateBy, k)
		}
	}
	m.lateKept = len(m.lateBy)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func itoa(n int) string { return fmt.Sprint(n) }

func join(parts []string) string {
	out := ""
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			out += " and "
		default:
			out += ", "
		}
		out += p
	}
	return out
}
