package sim

import "github.com/qgasim/qgasim/sim/client"

// ClientNextTimer reports the host client's next timer: whether a request
// still waiting would ever end by itself (the oracle tells a hung request
// from one the run merely cut short).
func (w *World) ClientNextTimer() (int64, bool) {
	if w.cl == nil {
		return 0, false
	}
	return w.cl.NextTimer()
}

// clientCaps are the optional interfaces of the World's client, looked up
// once when the client is made: the World asks some of them on every read,
// and an interface-to-interface assertion costs a table lookup each time.
type clientCaps struct {
	reader      client.Reader
	retainer    client.Retainer
	recycler    client.Recycler
	swapper     client.Swapper
	portWatcher client.PortWatcher
}

// setClient makes cl the World's client.
func (w *World) setClient(cl client.Client) {
	w.cl = cl
	w.clCaps = clientCaps{}
	w.clCaps.reader, _ = cl.(client.Reader)
	w.clCaps.retainer, _ = cl.(client.Retainer)
	w.clCaps.recycler, _ = cl.(client.Recycler)
	w.clCaps.swapper, _ = cl.(client.Swapper)
	w.clCaps.portWatcher, _ = cl.(client.PortWatcher)
	w.acts = client.Actions{} // the new client's arrays are its own
}
