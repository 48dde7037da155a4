package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// The signals a guest's service manager or an operator sends the agent
// process beyond a kill: SIGSTOP and SIGCONT (pause-agent, continue-agent)
// and SIGTERM (stop-agent). The World carries them out on the simulated
// process (sim.AgentProcess: Pause, Resume, Stop); a real agent in live
// mode gets the real signal.

// pause-agent: SIGSTOP, and SIGCONT after `for` (0: until a
// continue-agent).
var pauseKind = &Kind{
	Name: "pause-agent", Dir: link.H2A, EventsPerFiring: 1,
	Doc: "the agent process is stopped (SIGSTOP): it reads and writes nothing, the rest of a write it was blocked in " +
		"stays with it, and its port stays open, so the host sees no close, only silence (unlike restart-agent). " +
		"After `for` it continues (SIGCONT) where it stopped. A firing while the agent is down, or already paused, " +
		"has no effect (traced as such)",
	Params: []Param{
		{Name: "for", Type: Duration, Default: Dur(0), Doc: "how long until SIGCONT; 0: until a continue-agent"},
	},
	build: func(b *base, v values) Fault {
		d := v.dur("for")
		return newSignal(b, "pause", d, func(now int64) (string, int64) {
			if d == 0 {
				return "agent paused (SIGSTOP)", 0
			}
			return "agent paused (SIGSTOP) for " + d.String(), vtime.Add(now, d)
		})
	},
}

// continue-agent: SIGCONT.
var continueKind = &Kind{
	Name: "continue-agent", Dir: link.H2A, EventsPerFiring: 1,
	Doc: "a paused agent process continues (SIGCONT): it writes what it had made and reads what waits, as if no time " +
		"had passed for it (the end of a `pause-agent` with no `for`). A firing while the agent is down or not paused " +
		"has no effect (traced as such)",
	build: func(b *base, v values) Fault {
		return newSignal(b, "continue", 0, func(int64) (string, int64) { return "agent continued (SIGCONT)", 0 })
	},
}

// stop-agent: SIGTERM; a new agent starts `down` after the old one exits.
var stopKind = &Kind{
	Name: "stop-agent", Dir: link.H2A, EventsPerFiring: 3,
	Doc: "the agent process is asked to stop (SIGTERM): it reads nothing more, finishes the replies it has in hand, " +
		"and exits once they are written; a write the transport holds keeps it alive, so on virtio-serial with no " +
		"host connected it lives on until a host comes and takes the held reply (lab H3). A new agent " +
		"starts `down` after it exits. A frozen agent ignores SIGTERM (only SIGKILL, restart-agent, stops it). A " +
		"firing while the agent is down or already stopping has no effect (traced as such)",
	Params: []Param{
		{Name: "down", Type: Duration, Default: Dur(time.Second), Doc: "how long after the exit until a new agent process starts"},
	},
	build: func(b *base, v values) Fault {
		return newSignal(b, "stop", v.dur("down"), func(int64) (string, int64) {
			return "SIGTERM sent (a running agent finishes the replies in hand, then exits)", 0
		})
	},
}

// newSignal is a fault that sends the agent process a signal: it fires on
// its trigger, says what it sent, and asks the World to act (act is
// "pause", "continue" or "stop"; down is pause's duration or stop's down
// time). A firing that finds the agent down, or dying, has no effect.
func newSignal(b *base, act string, down time.Duration, text func(now int64) (string, int64)) *process {
	f := &process{base: b, down: down}
	f.act = func(now int64) {
		if !f.env.AgentAlive() {
			f.emit(now, "no effect: the agent is down", 0)
			f.noEffect = true
			return
		}
		s, until := text(now)
		f.emit(now, s, until)
		f.env.Agent(now, AgentAction{Kind: act, Down: int64(f.down), Fault: f.kind, Name: f.name, Dir: f.dir.String()})
	}
	return f
}
