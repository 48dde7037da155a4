package sim

import (
	"fmt"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// agentStart is a new agent process opening its port. The first one is the
// process New built; later ones are restarts of it (same state directory).
func (w *World) agentStart() {
	if w.inc > 0 {
		w.agent.Restart()
	}
	w.inc++
	w.agentUp = true
	w.agentIn.reset()
	w.parser = "idle"
	w.emit(trace.Event{Kind: trace.KindAgentStart, Inc: w.inc})
	w.link.AgentStart(w.now)
	w.portChange(true)
	if w.link.Transport() == link.UnixSocket && w.hostWant && !w.link.HostOpen() {
		w.hostOpen()
	}
}

// agentDown kills the agent process; a new one starts after down (never
// when down < 0). why and the fault say what killed it.
func (w *World) agentDown(down int64, why string, act fault.AgentAction) {
	if !w.agentUp {
		return
	}
	w.agentUp = false
	w.agentGen++
	w.replyWait = 0
	w.replyQ = w.replyQ[:0]
	w.replyGate.tok++
	w.agentReads.set = false
	w.agentReads.tok++
	until := int64(0)
	if down >= 0 {
		until = vtime.Add(w.now, time.Duration(down))
	}
	w.emit(trace.Event{Kind: trace.KindAgentRestart, Inc: w.inc, Until: until, Text: why, Fault: act.Fault, Name: act.Name})
	if lost := w.glib.Drop(); len(lost) > 0 {
		w.emit(trace.Event{Kind: trace.KindDrop, Dir: "h2a", Lost: link.Spans(lost), N: int64(len(lost)),
			Text: "agent died: bytes in GLib's read buffer lost"})
	}
	w.link.AgentDie(w.now)
	w.portChange(false)
	if w.link.Transport() == link.UnixSocket {
		w.closeWhenDrained()
	}
	if down >= 0 {
		gen := w.agentGen
		w.at(until, func() {
			if gen == w.agentGen && !w.agentUp {
				w.agentStart()
			}
		})
	}
}

// closeWhenDrained ends a unix-socket connection after the host has read
// what the dead agent wrote before it exited.
func (w *World) closeWhenDrained() {
	conn := w.conn
	var check func()
	check = func() {
		if w.conn != conn || !w.link.HostOpen() {
			return
		}
		if t, ok := w.link.Dir(link.A2H).NextReady(); ok && w.clientReads() {
			w.at(max(t, w.now+1), check)
			return
		}
		// The client learns it from the channel and must connect again
		// itself (a connect waits until the new agent listens).
		w.hostClose("agent exited: connection closed", true)
	}
	w.at(w.now, check)
}

// reboot: the agent goes down for longer and the guest's state directory
// (on tmpfs, /var/run) is lost: the frozen marker and the handle counter.
func (w *World) reboot(down int64, act fault.AgentAction) {
	p := w.agent.Persistent()
	fresh := agent.NewPersistent()
	*p = *fresh
	w.agentDown(down, "guest reboot", act)
}

// agentRead is one read() of the agent: at most 4096 bytes, then every
// message completed is handled and its reply scheduled.
func (w *World) agentRead() {
	if !w.agentUp || w.agent.BusyUntil() > w.now || w.link.Dir(link.A2H).Held() > 0 {
		return
	}
	off, data, src := w.glib.Read(w.now, w.link.Dir(link.H2A), agentReadMax)
	if len(data) == 0 {
		return
	}
	spans := link.Spans(src)
	w.emit(trace.Event{Kind: trace.KindDeliver, Dir: "h2a", Off: off, N: int64(len(data)), Bytes: data, Src: spans, Inc: w.inc})
	inOff := w.agentIn.end
	for _, sp := range spans {
		w.agentIn.add(sp.Off, sp.N)
	}
	w.emit(trace.Event{Kind: trace.KindAgentRead, Inc: w.inc, Off: inOff, N: int64(len(data))})
	w.feed(data, false)
}

// feed gives bytes to the agent and schedules the replies. internal bytes
// (a freeze) have their replies dropped: nobody on the channel asked.
func (w *World) feed(data []byte, internal bool) {
	replies := w.agent.Feed(w.now, data)
	w.parserEvent()
	for i := range replies {
		r := replies[i]
		r.Bytes = append([]byte(nil), r.Bytes...)
		if internal {
			w.effect(r, "by fault")
			continue
		}
		// Replies come out in order and each is due no earlier than the
		// one before, so they wait in a FIFO; a death voids the scheduled
		// writes (replyGate) and empties it.
		w.replyQ = append(w.replyQ, r)
		w.replyWait++
		w.qseq++
		w.q.push(item{t: max(r.At, w.now), seq: w.qseq, fn: w.writeNextFn, wake: &w.replyGate, tok: w.replyGate.tok})
	}
}

// writeNext writes the oldest pending reply.
func (w *World) writeNext() {
	r := w.replyQ[0]
	w.replyQ[0] = agent.Reply{}
	w.replyQ = w.replyQ[1:]
	w.replyWait--
	w.writeReply(r)
}

func (w *World) parserEvent() {
	s := "idle"
	if !w.agent.ParserIdle() {
		st := w.agent.ParserState()
		s = fmt.Sprintf("%v brace=%d bracket=%d", st.Lex, st.Brace, st.Bracket)
	}
	if s != w.parser {
		w.parser = s
		w.emit(trace.Event{Kind: trace.KindAgentParser, Inc: w.inc, State: s})
	}
}

// ParserState is the agent parser's state as the trace shows it.
func (w *World) ParserState() string { return w.parser }

// writeReply writes one reply on the channel and records where it came
// from.
func (w *World) writeReply(r agent.Reply) {
	a2h := w.link.Dir(link.A2H)
	off := a2h.Written()
	ev := trace.Event{Kind: trace.KindAgentReply, Inc: w.inc, ASeq: r.Seq, Cmd: r.Command, Class: r.Class, Text: r.Desc,
		Dir: "a2h", Off: off, N: int64(len(r.Bytes)), Bytes: r.Bytes, Origin: w.origin(r.InputEnd)}
	if r.Delim {
		ev.State = "delimited"
	}
	if len(r.Bytes) > 0 && w.glib.WriteFails() {
		// qemu-ga's write fails with ESPIPE while GLib's read buffer holds
		// bytes, and it drops the reply (transport-lab.md §6).
		ev.N, ev.Bytes = 0, nil
		ev.State = "dropped"
		ev.Text = "reply dropped: error writing to channel: Illegal seek (" + itoa(w.glib.Buffered()) + " bytes in GLib's read buffer)"
		if r.Desc != "" {
			ev.Text = r.Desc + "; " + ev.Text
		}
		w.emit(ev)
		w.effect(r, "")
		return
	}
	w.emit(ev)
	if len(r.Bytes) > 0 {
		rec := replyRec{off: off, n: int64(len(r.Bytes)), inc: w.inc, aseq: r.Seq, cmd: r.Command}
		if ev.Origin.Status == "write" {
			rec.originReq, rec.originConn = ev.Origin.Req, ev.Origin.Conn
		}
		w.replies = append(w.replies, rec)
		w.a2hData = append(w.a2hData, r.Bytes...)
		w.link.AgentWrite(w.now, r.Bytes)
	}
	w.effect(r, "")
}

// effect acts on what a command did to the guest.
func (w *World) effect(r agent.Reply, by string) {
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
	w.emit(trace.Event{Kind: trace.KindAgentEffect, Inc: w.inc, ASeq: r.Seq, State: s, Text: by})
	switch r.Effect {
	case agent.EffectShutdown:
		w.dying++
		w.at(w.now, func() { w.dying--; w.agentDown(-1, "guest powered off", fault.AgentAction{}) })
	case agent.EffectReboot:
		w.dying++
		w.at(w.now, func() { w.dying--; w.reboot(int64(DefaultRebootDown), fault.AgentAction{}) })
	}
}

// internalCommand queues a command that the guest itself runs through the
// agent (a freeze or thaw by a fault). It is fed when the parser is idle,
// so that it cannot merge with a host's partial message.
func (w *World) internalCommand(cmd string) {
	w.internal = append(w.internal, []byte(`{"execute":"`+cmd+`"}`))
}

func (w *World) tryInternal() {
	for len(w.internal) > 0 && w.agentUp && w.agent.ParserIdle() {
		b := w.internal[0]
		w.internal = w.internal[1:]
		w.agentIn.add(-2, int64(len(b)))
		w.feed(b, true)
	}
}
