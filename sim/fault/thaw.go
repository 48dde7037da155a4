package fault

import "github.com/qgasim/qgasim/sim/link"

// thaw: the guest thaws its file systems, as guest-fsfreeze-thaw does (the
// other half of freeze, for a freeze with no duration and for the UI's
// freeze/thaw key). No parameters; needs a trigger.
var thawKind = &Kind{
	Name: "thaw", Dir: link.H2A, EventsPerFiring: 1,
	Doc: "the guest thaws its file systems: the agent core runs `guest-fsfreeze-thaw` (the UI's freeze/thaw key, or " +
		"the end of a `freeze` with no duration)",
	build: func(b *base, v values) Fault {
		f := &process{base: b}
		f.act = func(now int64) {
			f.emit(now, "guest file systems thawed", 0)
			f.env.Agent(now, AgentAction{Kind: "thaw", Fault: f.kind, Name: f.name})
		}
		return f
	},
}
