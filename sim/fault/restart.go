package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// restart-agent: the agent process dies and a fresh one starts after down.
// What it loses and keeps is the agent core's (agent.Restart); what happens
// to bytes in flight is the transport's (link.AgentDie, link.AgentStart).
func newRestart(b *base, p *params) (Fault, error) {
	f, err := newProcess(b, p, time.Second, "down")
	if err != nil {
		return nil, err
	}
	f.cutRest = b.dir == link.A2H
	f.act = func(now int64) {
		f.emit(now, "agent killed", now+int64(f.down))
		f.env.Agent(now, AgentAction{Kind: "restart", Down: int64(f.down), Fault: f.kind, Name: f.name})
	}
	return f, nil
}
