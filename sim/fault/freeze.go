package fault

// freeze: something in the guest freezes the file systems, as
// guest-fsfreeze-freeze does; the agent then refuses everything but the
// allowlist until thawed, after `for` (0: until a host thaws it). The World
// runs the freeze through the agent core, so the frozen state and its
// error texts are the agent's own.
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
