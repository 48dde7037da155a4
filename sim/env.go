package sim

import (
	"fmt"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
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
	w.at(now, func() {
		switch act.Kind {
		case "restart":
			w.agentDown(act.Down, "agent restart", act)
		case "reboot":
			w.reboot(act.Down, act)
		case "freeze":
			w.sp.Run("guest-fsfreeze-freeze")
			if act.Down > 0 {
				w.at(w.now+act.Down, func() { w.sp.Run("guest-fsfreeze-thaw") })
			}
		case "thaw":
			w.sp.Run("guest-fsfreeze-thaw")
		}
	})
}

func (e env) Host(now int64, act fault.HostAction) {
	w := e.w
	w.at(now, func() {
		w.hostClose("host reconnect ("+act.Name+")", true)
		if w.xh == nil {
			// A real client reconnects on its own.
			w.at(w.now+act.Down, w.hostOpen)
		}
	})
}

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
	f, err := fault.New(spec, name, w.stream("fault/"+name), env{w})
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
