package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// reboot: the guest reboots; the agent is down for longer (the lab's guest
// answered 5 s after boot) and the state directory, on tmpfs, is lost.
func newReboot(b *base, p *params) (Fault, error) {
	f, err := newProcess(b, p, 5*time.Second, "down")
	if err != nil {
		return nil, err
	}
	f.cutRest = b.dir == link.A2H
	f.act = func(now int64) {
		f.emit(now, "guest rebooting", now+int64(f.down))
		f.env.Agent(now, AgentAction{Kind: "reboot", Down: int64(f.down), Fault: f.kind, Name: f.name})
	}
	return f, nil
}
