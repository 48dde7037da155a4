package sim

import (
	"fmt"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sim/vtime"
)

// env is the World as the faults see it. Process actions are scheduled at
// the current time, so that they happen after the write that fired them.
type env struct{ w *World }

func (e env) Emit(ev trace.Event) { e.w.emit(ev) }

func (e env) Stall(now int64, d link.Dir, until int64) { e.w.link.Dir(d).Stall(until) }

func (e env) Add(now int64, d link.Dir, data []byte) { e.w.link.Add(now, d, data) }

func (e env) CutHeld(now int64, d link.Dir, keep int) int { return e.w.link.CutHeld(now, d, keep) }

func (e env) Agent(now int64, act fault.AgentAction) {
	w := e.w
	kill := act.Kind == "restart" || act.Kind == "reboot"
	if kill {
		w.dying++
	}
	w.at(now, func() {
		if kill {
			w.dying--
		}
		switch act.Kind {
		case "restart":
			w.agentDown(act.Down, "agent restart", act)
		case "reboot":
			w.reboot(act.Down, act)
		case "freeze":
			w.sp.Run("guest-fsfreeze-freeze")
			if act.Down > 0 {
				w.at(vtime.Add(w.now, time.Duration(act.Down)), func() { w.sp.Run("guest-fsfreeze-thaw") })
			}
		case "thaw":
			w.sp.Run("guest-fsfreeze-thaw")
		case "pause":
			w.pauseAgent(act)
		case "continue":
			w.continueAgent(act)
		case "stop":
			w.stopAgent(act)
		}
	})
}

func (e env) Host(now int64, act fault.HostAction) {
	w := e.w
	w.at(now, func() {
		w.hostClose("host reconnect ("+act.Name+")", true)
		if w.xh == nil {
			// A real client reconnects on its own.
			w.at(vtime.Add(w.now, time.Duration(act.Down)), w.hostOpen)
		}
	})
}

// AgentAlive: an agent process runs and no kill of it is scheduled.
func (e env) AgentAlive() bool { return e.w.proc.Up() && e.w.dying == 0 }

// Inject builds a fault from spec and fires it now, by hand (the UI's
// keys). A spec with no trigger fires once; its name defaults to
// "inject#<n>:<kind>".
func (w *World) Inject(spec fault.Spec) error {
	if w.sp == nil && (spec.Kind == "freeze" || spec.Kind == "thaw") {
		return fmt.Errorf("sim: %s runs a command inside the guest: it needs the simulated agent, not a real one", spec.Kind)
	}
	w.nInjected++
	name := spec.Name
	if name == "" {
		name = "inject#" + itoa(w.nInjected) + ":" + spec.Kind
	}
	if isZeroTrigger(spec.Trigger) {
		now := durationOf(w.now)
		spec.Trigger = fault.Trigger{At: &now, Max: 1}
	}
	f, err := fault.New(spec, name, w.source("fault/"+name), env{w})
	if err != nil {
		return err
	}
	w.faults = append(w.faults, f)
	w.link.Dir(f.Dir()).AddStage(f)
	if t, ok := f.NextFire(); ok && t <= w.now {
		f.Fire(w.now)
	}
	w.scheduleFault(f)
	w.kick()
	return nil
}
