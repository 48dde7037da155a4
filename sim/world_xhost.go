package sim

import (
	"errors"

	"github.com/qgasim/qgasim/sim/trace"
)

// ErrRefused is HostConnect's answer when the transport has nobody to
// connect to: a unix socket while no agent listens.
var ErrRefused = errors.New("sim: connection refused: no agent is listening")

// ErrHostBusy is HostConnect's answer while another host connection is
// open: the World has one host channel.
var ErrHostBusy = errors.New("sim: the host channel is already open")

// HostConnect is the real client opening the channel at the current time.
func (w *World) HostConnect() error {
	if w.xh == nil {
		return errors.New("sim: HostConnect without an external host")
	}
	if w.link.HostOpen() {
		return ErrHostBusy
	}
	if w.link.Transport().AgentListens() && !w.proc.Up() {
		return ErrRefused
	}
	w.hostOpen()
	w.kick()
	return nil
}

// HostWrite is the real client writing bytes at the current time.
func (w *World) HostWrite(data []byte) {
	if w.xh == nil || len(data) == 0 {
		return
	}
	w.hostWrite(append([]byte(nil), data...), 0, "")
	w.kick()
}

// HostClose is the real client closing the channel at the current time.
func (w *World) HostClose(why string) {
	if w.xh == nil {
		return
	}
	w.hostClose(why, false)
	w.kick()
}

// SetHostReading says whether the caller can take more bytes for the real
// client: while it cannot (the client does not read and its socket is
// backed up), the link keeps them, and with a capacity the agent's writes
// are held in turn, as a full channel does.
func (w *World) SetHostReading(ok bool) {
	if w.xh == nil || w.hostHold == !ok {
		return
	}
	w.hostHold = !ok
	w.kick()
}

// HostOpen reports whether the host channel is open.
func (w *World) HostOpen() bool { return w.link.HostOpen() }

// Stop ends the run now: the "end" events close the accounting. A live
// session calls it when it stops.
func (w *World) Stop() {
	w.finish()
}

// deliverHost hands bytes read by the host to the real client.
func (w *World) deliverHost(data []byte) {
	w.xh.Deliver(w.now, data)
}

// keepAttrib reports whether the World keeps what it needs to attribute
// outcomes to replies: only a simulated client has outcomes.
func (w *World) keepAttrib() bool { return w.cl != nil }

var _ = trace.KindEnd
