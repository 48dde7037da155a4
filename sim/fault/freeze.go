package fault

import (
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// freeze: something in the guest freezes the file systems, as
// guest-fsfreeze-freeze does; the agent then refuses everything but the
// allowlist until thawed, after `for` (0: until a host thaws it). The World
// runs the freeze through the agent core, so the frozen state and its
// error texts are the agent's own.
var freezeKind = &Kind{
	Name: "freeze", Dir: link.H2A, EventsPerFiring: 1,
	Doc: "something in the guest freezes the file systems: the World has the agent core run `guest-fsfreeze-freeze` " +
		"(fed when its parser is idle, reply discarded), so from then on it refuses everything but the allowlist " +
		"with qemu's own texts; after `for` it runs `guest-fsfreeze-thaw`",
	Params: []Param{
		{Name: "for", Type: Duration, Default: Dur(0), Doc: "how long until the guest thaws; 0: until a host thaws it"},
	},
	build: func(b *base, v values) Fault {
		f := &process{base: b, down: v.dur("for")}
		f.act = func(now int64) {
			until := int64(0)
			if f.down > 0 {
				until = vtime.Add(now, f.down)
			}
			f.emit(now, "guest file systems frozen", until)
			f.env.Agent(now, AgentAction{Kind: "freeze", Down: int64(f.down), Fault: f.kind, Name: f.name})
		}
		return f
	},
}
