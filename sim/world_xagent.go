package sim

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// extAgent is a real agent on the far end of the link, seen through a
// shadow of the simulated agent's parser (ExternalAgent).
type extAgent struct {
	w      *World
	cfg    *ExternalAgent
	shadow *agent.Agent
	up     bool
	inc    int
	in     runs // h2a writer offsets of the bytes delivered to this process
	parser string
	expect []expected // messages the shadow expects a reply to, oldest first
	line   []byte     // the real agent's reply line in progress
	lineAt int64      // its first byte's offset in the a2h writer stream
	hold   bool       // the caller cannot take more bytes (SetAgentReading)
}

// expected is a message the shadow parsed whose reply the real agent owes.
type expected struct {
	aseq   int64
	cmd    string
	origin *trace.Origin
}

func newExtAgent(w *World, cfg *ExternalAgent) *extAgent {
	return &extAgent{w: w, cfg: cfg, shadow: agent.New(w.cfg.Agent, nil), parser: "idle"}
}

func (x *extAgent) Agent() *agent.Agent          { return x.shadow }
func (x *extAgent) Up() bool                     { return x.up }
func (x *extAgent) Inc() int                     { return x.inc }
func (x *extAgent) ParserState() string          { return x.parser }
func (x *extAgent) Pending() int                 { return len(x.expect) }
func (x *extAgent) Buffered() int                { return 0 }
func (x *extAgent) BufferedSpans() []trace.Span  { return nil }
func (x *extAgent) FirstBuffered() (int64, bool) { return 0, false }

// LastRead is the h2a writer offset of the last byte delivered to the real
// agent (the shadow's message may end there), if a host wrote it.
func (x *extAgent) LastRead() (int64, bool) {
	s, ok := x.in.srcOf(x.in.end - 1)
	return s, ok && s >= 0
}
func (x *extAgent) RunQueued(int64) {}

// Next is when the link has bytes ready for the agent.
func (x *extAgent) Next(now int64) (int64, bool) {
	if !x.up || x.hold || !x.w.link.CanAgentRead() {
		return 0, false
	}
	t, ok := x.w.link.Dir(link.H2A).NextReady()
	return max(t, now), ok
}

// Step hands the ready bytes to the real agent and runs them through the
// shadow parser.
func (x *extAgent) Step(now int64) bool {
	if !x.up || x.hold || !x.w.link.CanAgentRead() {
		return false
	}
	off, data, spans := x.w.link.Dir(link.H2A).Read(now, 0)
	if len(data) == 0 {
		return false
	}
	x.w.emit(trace.Event{Kind: trace.KindDeliver, Dir: "h2a", Off: off, N: int64(len(data)), Bytes: data, Src: spans, Inc: x.inc})
	for _, sp := range spans {
		x.in.add(sp.Off, sp.N)
	}
	x.cfg.Deliver(now, data)
	x.feed(now, data)
	if !x.w.attr.keepAll {
		x.in.forget(x.in.end - 1) // as the simulated process does
	}
	return true
}

func (x *extAgent) feed(now int64, data []byte) {
	for _, r := range x.shadow.Feed(now, data) {
		src, ok := x.in.srcOf(r.InputEnd - 1)
		o := x.w.origin(src, ok)
		if r.Bytes == nil {
			// No reply is owed (guest-shutdown): say so now, as the
			// simulated agent does.
			x.w.emit(trace.Event{Kind: trace.KindAgentReply, Inc: x.inc, ASeq: r.Seq, Cmd: r.Command, Origin: o,
				Text: "no reply expected (the shadow parser's view)"})
			continue
		}
		x.expect = append(x.expect, expected{aseq: r.Seq, cmd: r.Command, origin: o})
	}
	s := "idle"
	if !x.shadow.ParserIdle() {
		st := x.shadow.ParserState()
		s = fmt.Sprintf("%v brace=%d bracket=%d", st.Lex, st.Brace, st.Bracket)
	}
	if s != x.parser {
		x.parser = s
		x.w.emit(trace.Event{Kind: trace.KindAgentParser, Inc: x.inc, State: s})
	}
}

// AgentConnect is the real agent's connection coming up at the current
// time. fresh says it is a new process (its parser starts empty, as the
// shadow's then does); a reconnection to the same process keeps the parser.
func (w *World) AgentConnect(fresh bool) error {
	x := w.xa
	if x == nil {
		return fmt.Errorf("sim: AgentConnect without an external agent")
	}
	if x.up {
		return nil
	}
	if fresh && x.inc > 0 {
		x.shadow.Restart()
		x.parser = "idle"
		x.expect = x.expect[:0]
	}
	if fresh {
		x.in.reset()
	}
	x.inc++
	x.up = true
	x.line, x.lineAt = x.line[:0], w.link.Dir(link.A2H).Written()
	text := "a new agent process"
	if !fresh {
		text = "reconnected to the same agent process"
	}
	w.emit(trace.Event{Kind: trace.KindAgentStart, Inc: x.inc, Text: text})
	w.link.AgentStart(w.now)
	w.portChange(true)
	if w.link.Transport().AgentListens() && w.hostWant && !w.link.HostOpen() {
		w.hostOpen()
	}
	w.kick()
	return nil
}

// AgentDisconnect is the real agent's connection going away at the current
// time without a fault asking for it (the process exited, the VM went).
func (w *World) AgentDisconnect(why string) {
	if w.xa == nil || !w.xa.up {
		return
	}
	w.xaDown(0, why, fault.AgentAction{})
	w.kick()
}

// xaDown marks the real agent down: the transport does what a death does,
// and replies still owed are void.
func (w *World) xaDown(until int64, why string, act fault.AgentAction) {
	x := w.xa
	x.up = false
	if len(x.line) > 0 {
		// The reply line it was writing: it did answer, and what it wrote
		// went on the link (all of it, or up to a fault's kill), so the
		// oracle follows those bytes to the client as it follows a
		// simulated agent's cut reply.
		x.replyLine(true)
	}
	x.expect = x.expect[:0]
	x.line = x.line[:0]
	w.procWake.void()
	w.emit(trace.Event{Kind: trace.KindAgentRestart, Inc: x.inc, Until: until, Text: why, Fault: act.Fault, Name: act.Name})
	w.link.AgentDie(w.now)
	w.portChange(false)
	if w.link.Transport().AgentListens() {
		w.closeWhenDrained()
	}
}

// AgentWrite is the real agent writing bytes at the current time. Bytes
// written while the World holds the agent dead (a fault killed it and the
// caller has not reconnected yet) never enter the link.
func (w *World) AgentWrite(data []byte) {
	x := w.xa
	if x == nil || len(data) == 0 {
		return
	}
	if !x.up {
		w.emit(trace.Event{Kind: trace.KindDrop, Dir: "a2h", N: int64(len(data)), Bytes: data,
			Text: "written by an agent the World holds dead (a fault killed it): never entered the link"})
		return
	}
	a2h := w.link.Dir(link.A2H)
	off := a2h.Written()
	w.emit(trace.Event{Kind: trace.KindAgentWrite, Dir: "a2h", Off: off, N: int64(len(data)), Bytes: data, Inc: x.inc})
	if w.keepAttrib() {
		w.attr.addA2H(data)
	}
	if len(x.line) == 0 {
		x.lineAt = off
	}
	rest := data
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			x.line = append(x.line, rest...)
			break
		}
		x.line = append(x.line, rest[:i+1]...)
		rest = rest[i+1:]
		x.replyLine(false)
		x.line = x.line[:0]
		x.lineAt = off + int64(len(data)-len(rest))
	}
	w.link.AgentWrite(w.now, data)
	w.kick()
}

// replyLine matches one line the real agent wrote to the oldest message the
// shadow expects a reply to; cut says the agent went away before the line
// was whole.
func (x *extAgent) replyLine(cut bool) {
	w := x.w
	line := append([]byte(nil), x.line...)
	ev := trace.Event{Kind: trace.KindAgentReply, Inc: x.inc, Off: x.lineAt, N: int64(len(line)), Bytes: line, State: "real"}
	body := line
	if len(body) > 0 && body[0] == 0xFF {
		ev.State = "real delimited"
		body = body[1:]
	}
	ev.Class, ev.Text = errorOf(body)
	if cut {
		ev.State += " cut"
		ev.Text = "the agent went away while writing this reply: the rest was never written"
	}
	if len(x.expect) > 0 {
		e := x.expect[0]
		x.expect = x.expect[1:]
		ev.ASeq, ev.Cmd, ev.Origin = e.aseq, e.cmd, e.origin
	} else {
		ev.Origin = &trace.Origin{Status: "none", Off: -1}
		ev.Text = "a line the shadow parser expected no reply for"
	}
	w.emit(ev)
	if w.keepAttrib() {
		rec := replyRec{off: ev.Off, n: ev.N, inc: x.inc, aseq: ev.ASeq, cmd: ev.Cmd}
		if ev.Origin.Status == "write" {
			rec.originReq, rec.originConn = ev.Origin.Req, ev.Origin.Conn
		}
		w.attr.addReply(rec)
	}
}

// errorOf reads the class and desc of an error reply ("" for others).
func errorOf(line []byte) (class, desc string) {
	if !bytes.HasPrefix(line, []byte(`{"error"`)) {
		return "", ""
	}
	var r struct {
		Error struct {
			Class string `json:"class"`
			Desc  string `json:"desc"`
		} `json:"error"`
	}
	if json.Unmarshal(line, &r) != nil {
		return "", ""
	}
	return r.Error.Class, r.Error.Desc
}

// SetAgentReading says whether the caller can take more bytes for the real
// agent: while it cannot (its socket is backed up), the link keeps them.
func (w *World) SetAgentReading(ok bool) {
	if w.xa == nil || w.xa.hold == !ok {
		return
	}
	w.xa.hold = !ok
	w.kick()
}
