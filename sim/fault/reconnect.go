package fault

// reconnect-host: the host closes the channel and opens it again after
// down (default at once). The client sees Closed, then Connected.
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
