package fault

import (
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

// reboot: the guest reboots; the agent is down for longer (the lab's guest
// answered 5 s after boot) and the state directory, on tmpfs, is lost.
var rebootKind = &Kind{
	Name: "reboot", Dir: link.A2H, EventsPerFiring: 3,
	Doc: "the guest reboots: like restart-agent, down longer (the lab guest answered 5 s after boot), and the state " +
		"directory (tmpfs `/var/run`) is lost: the frozen marker and the handle counter start again. A firing " +
		"while the agent is down has no effect (traced as such)",
	Params: []Param{
		{Name: "down", Type: Duration, Default: Dur(5 * time.Second), Doc: "how long until the agent of the rebooted guest starts"},
	},
	build: func(b *base, v values) Fault {
		return newKill(b, v.dur("down"), "reboot", "guest rebooting")
	},
}
