package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// process is the shared shape of the faults that act on a process rather
// than on bytes: they fire on a time or byte trigger and ask the World to
// act. On the agent-to-host direction a byte trigger of restart-agent or
// reboot kills the agent right after that byte: the rest of the write is
// never written (the agent died in the middle of its reply).
type process struct {
	*base
	down    time.Duration
	act     func(now int64)
	cutRest bool
	// noEffect is set by an act that found nothing to do: then the rest
	// of the write goes on.
	noEffect bool
}

func (f *process) Fire(now int64) {
	if f.tick(now) {
		f.act(now)
	}
}

// Passive: a process fault on times (or none) acts when it fires and
// watches no bytes, so the link need not pass it any.
func (f *process) Passive() bool { return !f.positional() }

func (f *process) Apply(now int64, c *link.Chunk) {
	if f.idle(now, c.Data) {
		return
	}
	for i, b := range c.Data {
		if !f.scan(now, b) {
			continue
		}
		f.noEffect = false
		f.act(now)
		if f.cutRest && !f.noEffect && i+1 < len(c.Data) {
			lost := append([]int64(nil), c.Offsets()[i+1:]...)
			c.Data, c.Src = c.Data[:i+1], c.Src[:i+1]
			f.emitBytes(now, lost, nil, 0, "the agent died while writing: the rest of the write is lost")
			return
		}
	}
}

// newKill is restart-agent and reboot: the agent dies (act is "restart"
// or "reboot") and a new one starts after down. A firing that finds the
// agent dead, or already dying, has no effect and is traced as such.
func newKill(b *base, down time.Duration, act, text string) *process {
	f := &process{base: b, down: down, cutRest: b.dir == link.A2H}
	f.act = func(now int64) {
		if !f.env.AgentAlive() {
			f.emit(now, "no effect: the agent is already down", 0)
			f.noEffect = true
			return
		}
		f.emit(now, text, vtime.Add(now, f.down))
		f.env.Agent(now, AgentAction{Kind: act, Down: int64(f.down), Fault: f.kind, Name: f.name})
	}
	return f
}

func (f *process) emit(now int64, text string, until int64) {
	ev := f.event(now)
	ev.Text, ev.Until = text, until
	f.env.Emit(ev)
}
