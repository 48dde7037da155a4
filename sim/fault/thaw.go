package fault

// thaw: the guest thaws its file systems, as guest-fsfreeze-thaw does (the
// other half of freeze, for a freeze with no duration and for the UI's
// freeze/thaw key). No parameters; needs a trigger.
func newThaw(b *base, p *params) (Fault, error) {
	if err := p.done(); err != nil {
		return nil, err
	}
	f := &process{base: b}
	f.act = func(now int64) {
		f.emit(now, "guest file systems thawed", 0)
		f.env.Agent(now, AgentAction{Kind: "thaw", Fault: f.kind, Name: f.name})
	}
	return f, needTrigger(b)
}
