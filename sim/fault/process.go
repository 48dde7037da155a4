package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
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
}

func (f *process) Fire(now int64) {
	if f.tick(now) {
		f.act(now)
	}
}

func (f *process) Apply(now int64, c *link.Chunk) {
	for i, b := range c.Data {
		if !f.scan(now, b) {
			continue
		}
		f.act(now)
		if f.cutRest && i+1 < len(c.Data) {
			lost := append([]int64(nil), c.Src[i+1:]...)
			c.Data, c.Src = c.Data[:i+1], c.Src[:i+1]
			f.emitBytes(now, lost, nil, 0, "the agent died while writing: the rest of the write is lost")
			return
		}
	}
}

func newProcess(b *base, p *params, defDown time.Duration, downName string) (*process, error) {
	f := &process{base: b, down: p.duration(downName, defDown)}
	if err := p.done(downName); err != nil {
		return nil, err
	}
	return f, needTrigger(b)
}

func (f *process) emit(now int64, text string, until int64) {
	ev := f.event(now)
	ev.Text, ev.Until = text, until
	f.env.Emit(ev)
}

// restart-agent: the agent process dies and a fresh one starts after down.
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

// reboot: the guest reboots; the agent is down for longer (the lab's boot
// took 5 s to the first reply) and the state directory, on tmpfs, is lost.
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

// reconnect-host: the host closes the channel and opens it again after down.
func newReconnect(b *base, p *params) (Fault, error) {
	f, err := newProcess(b, p, 0, "down")
	if err != nil {
		return nil, err
	}
	f.act = func(now int64) {
		f.emit(now, "host closes the channel", now+int64(f.down))
		f.env.Host(now, HostAction{Down: int64(f.down), Fault: f.kind, Name: f.name})
	}
	return f, nil
}

// freeze: something in the guest freezes the file systems (as
// guest-fsfreeze-freeze does); the agent then refuses everything but the
// allowlist until thawed, after `for` (0: until a host thaws it).
func newFreeze(b *base, p *params) (Fault, error) {
	f, err := newProcess(b, p, 0, "for")
	if err != nil {
		return nil, err
	}
	f.act = func(now int64) {
		until := int64(0)
		if f.down > 0 {
			until = now + int64(f.down)
		}
		f.emit(now, "guest file systems frozen", until)
		f.env.Agent(now, AgentAction{Kind: "freeze", Down: int64(f.down), Fault: f.kind, Name: f.name})
	}
	return f, nil
}
