package sim

// ClientNextTimer reports the host client's next timer: whether a request
// still waiting would ever end by itself (the oracle tells a hung request
// from one the run merely cut short).
func (w *World) ClientNextTimer() (int64, bool) {
	if w.cl == nil {
		return 0, false
	}
	return w.cl.NextTimer()
}
