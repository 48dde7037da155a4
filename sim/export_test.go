package sim

// Forgetting is how a World trims what it remembers for attribution.
type Forgetting int

const (
	ForgetAsUsual Forgetting = iota // trims when the records doubled
	ForgetNothing                   // keeps everything, as before trimming existed
	ForgetEagerly                   // trims at every chance
)

// SetForgetting chooses how w forgets; call it before the first Step.
func SetForgetting(w *World, f Forgetting) {
	w.attr.keepAll, w.attr.eager = f == ForgetNothing, f == ForgetEagerly
	if w.sp != nil {
		w.sp.keepReads = w.attr.keepAll
	}
}

// Missed counts the attribution questions about something already
// forgotten (a bug: it must stay 0).
func Missed(w *World) int {
	n := w.attr.missed
	if w.sp != nil {
		n += w.sp.missed
	}
	return n
}
