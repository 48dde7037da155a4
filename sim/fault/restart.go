package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// restart-agent: the agent process dies and a fresh one starts after down.
// What it loses and keeps is the agent core's (agent.Restart); what happens
// to bytes in flight is the transport's (link.AgentDie, link.AgentStart).
var restartKind = &Kind{
	Name: "restart-agent", Dir: link.A2H, EventsPerFiring: 3,
	Doc: "the agent process dies and a fresh one starts after `down`: parser, 0xFF flag, handles and the request " +
		"in progress lost, state directory kept. On `to-host` a byte trigger kills it right after that byte, so " +
		"the rest of its reply is never written (lab 0.8). The transport decides the bytes in flight. A firing " +
		"while the agent is down has no effect (traced as such)",
	Params: []Param{
		{Name: "down", Type: Duration, Default: Dur(time.Second), Doc: "how long until the new agent process starts"},
	},
	build: func(b *base, v values) Fault {
		return newKill(b, v.dur("down"), "restart", "agent killed")
	},
}
