package fault

import (
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/vtime"
)

// reconnect-host: the host closes the channel and opens it again after
// down (default at once). The client sees Closed, then Connected.
var reconnectKind = &Kind{
	Name: "reconnect-host", Dir: link.H2A, EventsPerFiring: 3,
	Doc: "the host closes the channel (the client sees Closed) and opens it again after `down` (Connected)",
	Params: []Param{
		{Name: "down", Type: Duration, Default: Dur(0), Doc: "how long the channel stays closed"},
	},
	build: func(b *base, v values) Fault {
		f := &process{base: b, down: v.dur("down")}
		f.act = func(now int64) {
			f.emit(now, "host closes the channel", vtime.Add(now, f.down))
			f.env.Host(now, HostAction{Down: int64(f.down), Fault: f.kind, Name: f.name})
		}
		return f
	},
}
