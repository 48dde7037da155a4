package sim

import (
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// newProcess builds the World's agent process and wires its attribution
// and effects to the World.
func (w *World) newProcess() {
	p := NewAgentProcess(w.cfg.Agent, w.link, w.emit)
	p.Origin = w.origin
	p.unread, p.skip = w.unread, w.skip
	p.event, p.send = w.event, w.send
	p.Wrote = func(r *agent.Reply, off int64, o *trace.Origin) {
		if !w.keepAttrib() {
			return // no simulated client: no outcome to attribute
		}
		rec := replyRec{off: off, n: int64(len(r.Bytes)), inc: p.Inc(), aseq: r.Seq, cmd: r.Command}
		if o != nil && o.Status == "write" {
			rec.originReq, rec.originConn = o.Req, o.Conn
		}
		w.attr.addReply(rec)
		w.attr.addA2H(r.Bytes)
	}
	p.Effect = func(r agent.Reply) {
		switch r.Effect {
		case agent.EffectShutdown:
			w.dying++
			w.at(w.now, func() { w.dying--; w.agentDown(-1, "guest powered off", fault.AgentAction{}) })
		case agent.EffectReboot:
			w.dying++
			w.at(w.now, func() { w.dying--; w.reboot(int64(DefaultRebootDown), fault.AgentAction{}) })
		}
	}
	w.sp, w.proc = p, p
	w.procFn = func() {
		p.Step(w.now)
		w.attr.trimWrites(w.h2aLow)
	}
}

// agentStart is a new agent process opening its port. The first one is the
// process New built; later ones are restarts of it (same state directory).
func (w *World) agentStart() {
	w.sp.Start(w.now)
	w.portChange(true)
	if w.link.Transport().AgentListens() && w.hostWant && !w.link.HostOpen() {
		w.hostOpen()
	}
}

// agentDown kills the agent process; a new one starts after down (never
// when down < 0). why and the fault say what killed it.
func (w *World) agentDown(down int64, why string, act fault.AgentAction) {
	if !w.proc.Up() {
		return
	}
	until := int64(0)
	if down >= 0 {
		until = vtime.Add(w.now, time.Duration(down))
	}
	if w.xa != nil {
		// A real agent: the caller kills it (or drops its connection) and
		// reports it back with AgentConnect after the down time.
		w.xaDown(until, why, act)
		kind := "restart"
		if why == "guest reboot" {
			kind = "reboot"
		}
		if w.cfg.ExternalAgent.Process != nil && down >= 0 {
			w.cfg.ExternalAgent.Process(w.now, ProcessAction{Kind: kind, Down: down, Fault: act.Fault, Name: act.Name})
		}
		return
	}
	w.agentGen++
	w.procWake.void()
	w.sp.Die(w.now, until, why, act)
	w.portChange(false)
	if w.link.Transport().AgentListens() {
		w.closeWhenDrained()
	}
	if down >= 0 {
		gen := w.agentGen
		w.at(until, func() {
			if gen == w.agentGen && !w.proc.Up() {
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
			w.at(max(t, w.now+1, w.readHoldUntil), check)
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
	if w.sp != nil {
		w.sp.Wipe(w.now)
	}
	w.agentDown(down, "guest reboot", act)
}

// ParserState is the agent parser's state as the trace shows it.
func (w *World) ParserState() string { return w.proc.ParserState() }
