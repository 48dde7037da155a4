package sim

import (
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// The signals faults send the agent process beyond a kill (sim/fault's
// pause-agent, continue-agent, stop-agent). The simulated process carries
// them out itself (AgentProcess.Pause, Resume, Stop); a real agent gets
// them from the live shell through ExternalAgent.Process, and the World
// sees their effect in what the real agent does.

// pauseAgent is SIGSTOP, and SIGCONT after act.Down when it is not 0.
func (w *World) pauseAgent(act fault.AgentAction) {
	if w.xa != nil {
		w.signalReal("pause", act)
		if act.Down > 0 {
			w.at(vtime.Add(w.now, time.Duration(act.Down)), func() { w.signalReal("continue", act) })
		}
		return
	}
	if w.sp.Paused() {
		w.signalResult(act, "no effect: the agent is already paused")
		return
	}
	w.sp.Pause()
	if act.Down > 0 {
		inc := w.sp.Inc()
		w.at(vtime.Add(w.now, time.Duration(act.Down)), func() {
			if w.sp.Up() && w.sp.Inc() == inc && w.sp.Paused() {
				w.sp.Resume()
				w.signalResult(act, "agent continued (SIGCONT)")
			}
		})
	}
}

// continueAgent is SIGCONT.
func (w *World) continueAgent(act fault.AgentAction) {
	if w.xa != nil {
		w.signalReal("continue", act)
		return
	}
	if !w.sp.Paused() {
		w.signalResult(act, "no effect: the agent is not paused")
		return
	}
	w.sp.Resume()
}

// stopAgent is SIGTERM: the process exits once it has written what it has
// in hand, and a new one starts act.Down after the exit.
func (w *World) stopAgent(act fault.AgentAction) {
	if w.xa != nil {
		// The real agent exits when it does; its connection closing
		// (AgentDisconnect) tells the World.
		w.signalReal("stop", act)
		return
	}
	down := act.Down
	ok := w.sp.Stop(func(int64) {
		w.agentDown(down, "agent stopped (SIGTERM): it exited after writing the replies it had in hand", act)
	})
	switch {
	case ok:
	case w.sp.Agent().Frozen():
		w.signalResult(act, "SIGTERM ignored: the agent is frozen (qemu-ga's quit handler does nothing while the file systems are frozen; only SIGKILL stops it)")
	default:
		w.signalResult(act, "no effect: the agent is already stopping")
	}
}

// signalReal hands a signal to the live shell that manages the real agent.
func (w *World) signalReal(kind string, act fault.AgentAction) {
	if w.cfg.ExternalAgent.Process != nil {
		w.cfg.ExternalAgent.Process(w.now, ProcessAction{Kind: kind, Down: act.Down, Fault: act.Fault, Name: act.Name})
	}
}

// signalResult traces what a signal did when that is not what its fault
// said (a continue at the end of a pause, a signal with no effect).
func (w *World) signalResult(act fault.AgentAction, text string) {
	w.emit(trace.Event{Kind: trace.KindFault, Fault: act.Fault, Name: act.Name, Dir: act.Dir, Text: text})
}
