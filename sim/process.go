package sim

import (
	"fmt"
	"math"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// AgentReadMax is qemu-ga's read size (QGA_READ_COUNT_DEFAULT).
const AgentReadMax = 4096

// GracefulExit is how long qemu-ga takes to exit once its main loop has
// ended after SIGTERM (its cleanup: the channel, the pidfile, the state
// file). Measured for an idle qemu-ga 7.2 on a unix socket: 0.25-0.47 ms
// over 10 runs on the host; the lab's guest runs under software emulation,
// about ten times slower. The port stays open meanwhile, so bytes that
// reach the guest in that time are lost with the process: the lab saw the
// first request of the client that took the held reply go unanswered (H3).
const GracefulExit = 2 * time.Millisecond

// AgentProcess is the simulated qemu-ga process on its end of a link: the
// agent core (package agent) behind qemu-ga's read loop and GLib's buffered
// channel, with its incarnations. The World runs one; the lab's simulator
// target (sim/lab) runs the same type, so that the differential test against
// a real guest checks the code scenarios run.
//
// The read loop, as qemu-ga 7.2 has it: one read() of at most 4096 bytes
// through GLib's channel (link.GLibChannel), never while the agent is busy
// executing commands (agent.BusyUntil) or blocked writing (its bytes held by
// the link), nor while it is paused (SIGSTOP); every message the read
// completed is handled in order, and each reply is written when its command
// is done (agent.Reply.At), oldest first. While GLib's read buffer holds
// bytes on a seekable port, a write fails with "Illegal seek" and the reply
// is dropped. A death voids the replies not yet written and the bytes in
// GLib's buffer; a start is a new process with the same state directory.
//
// It is driven in virtual time by its owner: Next says when it next has
// something to do, Step does it. It never schedules anything itself, so the
// World's event queue and the lab's loop drive it the same way.
type AgentProcess struct {
	ag   *agent.Agent
	glib *link.GLibChannel
	link *link.Link
	emit func(trace.Event)

	inc      int
	up       bool
	paused   bool
	stopping bool            // SIGTERM: finishing what it has in hand
	exitAt   int64           // when a stopping process exits (0: not yet known)
	exit     func(now int64) // what Stop was told to call at the exit
	in       runs            // h2a writer offsets of the bytes this process read; -1 added, -2 internal
	// keepReads keeps the whole read map (tests compare runs that keep
	// and that forget; the answers are the same).
	keepReads bool
	missed    int        // origins asked about a byte already forgotten: a bug, tests check it stays 0
	parser    string     // the parser state as the trace shows it
	due       []dueReply // replies made and not written yet, oldest first
	dueBuf    []dueReply // due's array from its start, for due to go back to once empty
	cur       dueReply   // the reply being written (Wrote points at it)
	internal  [][]byte   // commands the guest runs itself (a freeze), waiting for an idle parser
	// unread and skip: the World's events nothing reads, and how it
	// numbers one it does not build (World.skip).
	unread unread
	skip   func()
	// event and send, when set (the World's), lend write the World's
	// event to fill in place (newEvent).
	event func(kind string) *trace.Event
	send  func(*trace.Event)
	// replyBytes holds the due replies' bytes (the agent's buffer is
	// reused by its next read).
	replyBytes slab[byte]

	// Origin, when set, names the host write behind the end of a message
	// (the World's attribution); nil leaves agent.reply without an origin.
	Origin func(src int64, ok bool) *trace.Origin
	// Wrote, when set, is told of every reply written on the link, with
	// its offset in the a2h writer stream and the event's origin.
	Wrote func(r *agent.Reply, off int64, origin *trace.Origin)
	// Effect, when set, is told of a command that changed the guest after
	// the agent.effect event (the World powers off or reboots it).
	Effect func(r agent.Reply)
}

// NewAgentProcess builds the process that will run on l (not started: call
// Start). emit receives its events with T set to the time of the call.
func NewAgentProcess(cfg agent.Config, l *link.Link, emit func(trace.Event)) *AgentProcess {
	return &AgentProcess{ag: agent.New(cfg, nil), glib: link.NewGLibChannel(l.Transport()), link: l, emit: emit, parser: "idle",
		replyBytes: newSlab[byte](4096)}
}

// Agent is the agent core of the current process.
func (p *AgentProcess) Agent() *agent.Agent { return p.ag }

// Up reports whether a process runs; Inc is its number, from 1.
func (p *AgentProcess) Up() bool { return p.up }
func (p *AgentProcess) Inc() int { return p.inc }

// Paused reports whether the process is stopped (SIGSTOP).
func (p *AgentProcess) Paused() bool { return p.paused }

// ParserState is the parser's state as the trace shows it.
func (p *AgentProcess) ParserState() string { return p.parser }

// Pending is the number of replies made and not written yet.
func (p *AgentProcess) Pending() int { return len(p.due) }

// Buffered is the bytes in GLib's read buffer; BufferedSpans their h2a
// writer offsets.
func (p *AgentProcess) Buffered() int               { return p.glib.Buffered() }
func (p *AgentProcess) BufferedSpans() []trace.Span { return p.glib.Pending() }

// FirstBuffered is the writer offset of the oldest byte in GLib's buffer.
func (p *AgentProcess) FirstBuffered() (int64, bool) { return p.glib.FirstPending() }

// Start is a new process opening its port: the first one is the process
// NewAgentProcess built, later ones restart it (same state directory).
func (p *AgentProcess) Start(now int64) {
	if p.inc > 0 {
		p.ag.Restart()
	}
	p.inc++
	p.up, p.paused = true, false
	p.stopping, p.exitAt, p.exit = false, 0, nil
	p.link.SetAgentStopped(false)
	p.in.reset()
	p.parser = "idle"
	ev := trace.Event{T: now, Kind: trace.KindAgentStart, Inc: p.inc}
	if p.ag.Frozen() {
		// The new process finds the frozen marker in its state directory
		// (a restart while frozen, or a guest set up frozen): it starts
		// frozen, and the trace says so where it starts.
		ev.State = "frozen"
	}
	p.emit(ev)
	p.link.AgentStart(now)
}

// Die kills the process: its unwritten replies and GLib's buffer are lost,
// and the transport does what a death does to bytes in flight. until is
// when a new one starts (0: never); why and act say what killed it.
func (p *AgentProcess) Die(now, until int64, why string, act fault.AgentAction) {
	if !p.up {
		return
	}
	p.up, p.paused = false, false
	p.stopping, p.exitAt, p.exit = false, 0, nil
	p.link.SetAgentStopped(false)
	p.due = p.dueBuf[:0]
	p.emit(trace.Event{T: now, Kind: trace.KindAgentRestart, Inc: p.inc, Until: until, Text: why, Fault: act.Fault, Name: act.Name})
	if lost := p.glib.Drop(); len(lost) > 0 {
		n := int64(0)
		for _, sp := range lost {
			n += sp.N
		}
		p.emit(trace.Event{T: now, Kind: trace.KindDrop, Dir: "h2a", Lost: lost, N: n,
			Text: "agent died: bytes in GLib's read buffer lost"})
	}
	p.link.AgentDie(now)
}

// Wipe loses the guest's state directory (on tmpfs in a real guest): a
// reboot does it, before the process dies. A frozen guest comes back
// thawed (a new kernel; the frozen marker is gone): the trace says so.
func (p *AgentProcess) Wipe(now int64) {
	frozen := p.ag.Frozen()
	*p.ag.Persistent() = *agent.NewPersistent()
	if frozen {
		p.emit(trace.Event{T: now, Kind: trace.KindAgentEffect, Inc: p.inc, State: "thawed", Text: "by reboot: the state directory is lost"})
	}
}

// Pause stops the process (SIGSTOP): it reads and writes nothing (the rest
// of a write it was blocked in stays with it), and its port stays open.
// Resume lets it go on where it stopped.
func (p *AgentProcess) Pause() {
	if p.up {
		p.paused = true
		p.link.SetAgentStopped(true)
	}
}

func (p *AgentProcess) Resume() {
	p.paused = false
	p.link.SetAgentStopped(false)
}

// Stop is SIGTERM. qemu-ga's handler ends the main loop: the process reads
// nothing more, finishes the replies it has in hand (every message of its
// last read), waits as long as the transport holds its write, and exits
// GracefulExit after its last byte is written; exit is called then, and
// must kill it (Die). A paused process handles the signal once resumed. It
// reports false, and does nothing, when no process runs, when one is
// already stopping, or when the agent is frozen: qemu-ga ignores SIGTERM
// while the guest's file systems are frozen (docs/protocol.md §2.6).
func (p *AgentProcess) Stop(exit func(now int64)) bool {
	if !p.up || p.stopping || p.ag.Frozen() {
		return false
	}
	p.stopping, p.exitAt, p.exit = true, 0, exit
	return true
}

// Stopping reports whether the process got SIGTERM and has not exited yet.
func (p *AgentProcess) Stopping() bool { return p.stopping }

// Run queues a command the guest itself runs through the agent (a freeze or
// thaw by a fault). It is fed when the parser is idle, so that it cannot
// merge with a host's partial message; its reply goes nowhere.
func (p *AgentProcess) Run(cmd string) {
	p.internal = append(p.internal, []byte(`{"execute":"`+cmd+`"}`))
}

// RunQueued feeds the queued guest commands while the parser is idle.
func (p *AgentProcess) RunQueued(now int64) {
	for len(p.internal) > 0 && p.up && !p.paused && p.ag.ParserIdle() {
		b := p.internal[0]
		p.internal = p.internal[1:]
		p.in.add(-2, int64(len(b)))
		p.feed(now, b, true)
	}
}

// canRead: the port is open, the process runs and is not blocked in a
// write (its bytes held by the link).
func (p *AgentProcess) canRead() bool {
	return p.up && !p.paused && !p.stopping && p.link.CanAgentRead() && p.link.Dir(link.A2H).Held() == 0
}

// finished: a stopping process has written everything it had in hand.
func (p *AgentProcess) finished() bool {
	return p.stopping && len(p.due) == 0 && p.link.Dir(link.A2H).Held() == 0
}

// Next is the time of the process's next action at or after now: a reply
// due, or a read of bytes that are (or will be) ready.
func (p *AgentProcess) Next(now int64) (int64, bool) {
	if !p.up || p.paused {
		return 0, false
	}
	t, ok := int64(math.MaxInt64), false
	if len(p.due) > 0 {
		t, ok = max(p.due[0].At, now), true
	}
	if p.finished() {
		// Step notes when it is done; then the exit is due.
		if p.exitAt == 0 {
			return now, true
		}
		return max(p.exitAt, now), true
	}
	if p.canRead() {
		busy := p.ag.BusyUntil()
		if p.glib.Buffered() > 0 {
			// GLib's watch fires while its buffer holds bytes.
			t, ok = min(t, max(busy, now)), true
		} else if r, ready := p.link.Dir(link.H2A).NextReady(); ready {
			t, ok = min(t, max(r, busy, now)), true
		}
	}
	return t, ok
}

// Step does what is due at now: the replies whose time has come are
// written, oldest first, then the process reads once if it can. It reports
// whether anything happened.
func (p *AgentProcess) Step(now int64) bool {
	if !p.up || p.paused {
		return false
	}
	did := false
	for len(p.due) > 0 && p.due[0].At <= now && p.up {
		p.cur = p.due[0]
		p.due[0] = dueReply{}
		p.due = p.due[1:]
		if len(p.due) == 0 {
			// Usually one or two wait: once none does, the next ones go
			// at the start of the array again.
			p.due = p.dueBuf[:0]
		}
		p.write(now, &p.cur)
		did = true
	}
	if p.up && p.canRead() && p.ag.BusyUntil() <= now {
		did = p.read(now) || did
	}
	if p.up && p.finished() {
		if p.exitAt == 0 {
			p.exitAt = now + int64(GracefulExit)
			did = true
		}
		if now >= p.exitAt {
			exit := p.exit
			if exit == nil {
				exit = func(now int64) { p.Die(now, 0, "agent stopped (SIGTERM)", fault.AgentAction{}) }
			}
			exit(now)
			did = true
		}
	}
	return did
}

// read is one read() of the agent: at most 4096 bytes, then every message
// completed is handled and its reply queued.
func (p *AgentProcess) read(now int64) bool {
	off, data, spans := p.glib.Read(now, p.link.Dir(link.H2A), AgentReadMax)
	if len(data) == 0 {
		return false
	}
	if p.unread.deliver {
		p.skip()
	} else {
		p.emit(trace.Event{T: now, Kind: trace.KindDeliver, Dir: "h2a", Off: off, N: int64(len(data)), Bytes: data, Src: spans, Inc: p.inc})
	}
	inOff := p.in.end
	for _, sp := range spans {
		p.in.add(sp.Off, sp.N)
	}
	if p.unread.agentRead {
		p.skip()
	} else {
		p.emit(trace.Event{T: now, Kind: trace.KindAgentRead, Inc: p.inc, Off: inOff, N: int64(len(data))})
	}
	p.feed(now, data, false)
	if !p.keepReads {
		// A message that ends in a later read ends at a byte of it or at
		// this read's last byte: older runs are asked about no more.
		p.in.forget(p.in.end - 1)
	}
	return true
}

// dueReply is a reply waiting to be written, with the origin of the
// message it answers, found when the process read the message's last byte.
type dueReply struct {
	agent.Reply
	origin *trace.Origin
}

// LastRead is the h2a writer offset of the last byte this process read, if
// a host wrote it: a message the next read completes may end there.
func (p *AgentProcess) LastRead() (int64, bool) {
	s, ok := p.in.srcOf(p.in.end - 1)
	return s, ok && s >= 0
}

// feed gives bytes to the agent and queues the replies. internal bytes (a
// freeze) have their replies dropped: nobody on the channel asked.
func (p *AgentProcess) feed(now int64, data []byte, internal bool) {
	replies := p.ag.Feed(now, data)
	p.parserEvent(now)
	for i := range replies {
		if internal {
			p.effect(now, &replies[i], "by fault")
			continue
		}
		// Replies come out in order and each is due no earlier than the
		// one before, so they wait in a FIFO. Each is built in place,
		// in the room after the last, and queued once complete. The
		// origin is found now, while the read map still holds the
		// message's last byte.
		if len(p.due) == cap(p.due) {
			p.due = append(p.due, dueReply{})[:len(p.due)]
			p.dueBuf = p.due[:0]
		}
		d := &p.due[:len(p.due)+1][len(p.due)]
		d.Reply = replies[i]
		r := &d.Reply
		r.Bytes = p.replyBytes.copy(r.Bytes)
		if stateEffect(r.Effect) {
			// The guest's state changed as the agent ran the command; its
			// reply may come later (a latency) or never (the agent dies).
			p.effect(now, r, "")
		}
		r.At = max(r.At, now)
		d.origin = p.origin(r.InputEnd)
		p.due = p.due[:len(p.due)+1]
	}
}

func (p *AgentProcess) parserEvent(now int64) {
	s := "idle"
	if !p.ag.ParserIdle() {
		st := p.ag.ParserState()
		s = fmt.Sprintf("%v brace=%d bracket=%d", st.Lex, st.Brace, st.Bracket)
	}
	if s != p.parser {
		p.parser = s
		p.emit(trace.Event{T: now, Kind: trace.KindAgentParser, Inc: p.inc, State: s})
	}
}

// origin names the host write behind the byte that ended a message.
func (p *AgentProcess) origin(inputEnd int64) *trace.Origin {
	if i := inputEnd - 1; i >= 0 && i < p.in.start {
		p.missed++
	}
	src, ok := p.in.srcOf(inputEnd - 1)
	if p.Origin == nil {
		return nil
	}
	return p.Origin(src, ok)
}

// newEvent is a blank event of kind at now, to fill and hand to
// sendEvent: the World's own when the process is the World's (event,
// send: World.event), so that a reply's event is not copied on its way
// to the Sink; else a new one, given to emit.
func (p *AgentProcess) newEvent(now int64, kind string) *trace.Event {
	if p.event == nil {
		return &trace.Event{T: now, Kind: kind}
	}
	ev := p.event(kind)
	ev.T = now
	return ev
}

func (p *AgentProcess) sendEvent(ev *trace.Event) {
	if p.send == nil {
		p.emit(*ev)
		return
	}
	p.send(ev)
}

// write writes one reply on the link.
func (p *AgentProcess) write(now int64, d *dueReply) {
	r, origin := &d.Reply, d.origin
	a2h := p.link.Dir(link.A2H)
	off := a2h.Written()
	ev := p.newEvent(now, trace.KindAgentReply)
	ev.Inc, ev.ASeq, ev.Cmd, ev.Class, ev.Text = p.inc, r.Seq, r.Command, r.Class, r.Desc
	ev.Dir, ev.Off, ev.N, ev.Bytes, ev.Origin = "a2h", off, int64(len(r.Bytes)), r.Bytes, origin
	if r.Delim {
		ev.State = "delimited"
	}
	if len(r.Bytes) > 0 && p.glib.WriteFails() {
		// qemu-ga's write fails with ESPIPE while GLib's read buffer holds
		// bytes, and it drops the reply (docs/lab.md, 0.15).
		ev.N, ev.Bytes = 0, nil
		ev.State = "dropped"
		ev.Text = "reply dropped: error writing to channel: Illegal seek (" + itoa(p.glib.Buffered()) + " bytes in GLib's read buffer)"
		if r.Desc != "" {
			ev.Text = r.Desc + "; " + ev.Text
		}
		p.sendEvent(ev)
		if !stateEffect(r.Effect) {
			p.effect(now, r, "")
		}
		return
	}
	p.sendEvent(ev)
	if len(r.Bytes) > 0 {
		if p.Wrote != nil {
			p.Wrote(r, off, origin)
		}
		p.link.AgentWriteShared(now, r.Bytes)
	}
	if !stateEffect(r.Effect) {
		// A shutdown or reboot acts once its reply is written.
		p.effect(now, r, "")
	}
}

// stateEffect says an effect changes the guest's state (frozen, thawed),
// reported when the command runs rather than when its reply is written.
func stateEffect(e agent.Effect) bool {
	return e == agent.EffectFrozen || e == agent.EffectThawed
}

// effect reports what a command did to the guest beyond its reply.
func (p *AgentProcess) effect(now int64, r *agent.Reply, by string) {
	var s string
	switch r.Effect {
	case agent.EffectFrozen:
		s = "frozen"
	case agent.EffectThawed:
		s = "thawed"
	case agent.EffectShutdown:
		s = "shutdown"
	case agent.EffectReboot:
		s = "reboot"
	default:
		return
	}
	p.emit(trace.Event{T: now, Kind: trace.KindAgentEffect, Inc: p.inc, ASeq: r.Seq, State: s, Text: by})
	if p.Effect != nil {
		p.Effect(*r)
	}
}
