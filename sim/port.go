package sim

import (
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// portEventInterval is QEMU's rate limit for VSERPORT_CHANGE: one event a
// second per port (monitor event throttling); inside a window only the
// newest event is kept and sent when the window ends.
const portEventInterval = int64(time.Second)

// portThrottle is QEMU's throttle state for the agent's port.
type portThrottle struct {
	window  bool  // a window is open: the next event waits for its end
	pending *bool // the newest event that waits, if any
}

// portChange is the guest opening (agent start) or closing (agent death) its
// port. On a transport with port events (virtio-serial) QEMU reports it to
// the host's management (libvirt), through the throttle; other transports
// have no such event.
func (w *World) portChange(open bool) {
	if !w.link.Transport().PortEvents() {
		return
	}
	if !w.port.window {
		w.port.window = true
		w.deliverPort(open)
		w.at(w.now+portEventInterval, w.portWindowEnd)
		return
	}
	v := open
	w.port.pending = &v
	w.emit(trace.Event{Kind: trace.KindPort, State: portState(open),
		Text: "guest port " + portState(open) + ": QEMU holds the event (one a second; only the newest is sent)"})
}

func (w *World) portWindowEnd() {
	if w.port.pending == nil {
		w.port.window = false
		return
	}
	open := *w.port.pending
	w.port.pending = nil
	w.deliverPort(open)
	w.at(w.now+portEventInterval, w.portWindowEnd)
}

func (w *World) deliverPort(open bool) {
	w.emit(trace.Event{Kind: trace.KindPort, State: portState(open), Conn: w.conn,
		Text: "VSERPORT_CHANGE open:" + map[bool]string{true: "true", false: "false"}[open] + " sent to the host"})
	if pw := w.clCaps.portWatcher; pw != nil {
		pw.PortChanged(w.now, open)
		w.drain()
	}
}

func portState(open bool) string {
	if open {
		return "open"
	}
	return "closed"
}
