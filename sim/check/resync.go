package check

import (
	"github.com/qgasim/qgasim/internal/listing"
	"github.com/qgasim/qgasim/sim/trace"
)

// resyncStates are the client states that mean "not yet in sync".
var resyncStates = map[string]bool{
	"waiting for 0xFF": true, "waiting for sync id": true, "discarding": true,
}

// maxStates bounds the states an episode remembers: a client that never
// gets back in sync may change state for ever.
const maxStates = 16

// resyncs folds client.state events into resync episodes: from the moment
// a client leaves "in sync"/"idle" for a resync state until it is back.
// It keeps the open episode, a listing of the finished ones and their
// durations.
type resyncs struct {
	cur  *Resync
	list *listing.List[Resync]
	d    durations
}

func (r *resyncs) observe(ev *trace.Event) {
	if resyncStates[ev.State] {
		if r.cur == nil {
			// The episode and room for its first states in one
			// allocation: most episodes pass through two or three.
			box := &struct {
				ep     Resync
				states [4]string
			}{ep: Resync{From: ev.T, To: -1}}
			box.ep.States = box.states[:0]
			r.cur = &box.ep
		}
		if n := len(r.cur.States); n < maxStates && (n == 0 || r.cur.States[n-1] != ev.State) {
			r.cur.States = append(r.cur.States, ev.State)
		}
		return
	}
	if r.cur != nil && ev.State != "poisoned" {
		// Back to work (idle, in sync) or a call ended with its connection
		// (Proxmox): the episode is over. A client that poisoned itself
		// never got back: the episode stays open.
		r.cur.To = ev.T
		r.d.add(r.cur.To - r.cur.From)
		r.list.Add(r.cur)
		r.cur = nil
	}
}

// summarize fills the resync part of a summary; an open episode is listed
// last, unfinished.
func (r *resyncs) summarize(s *Summary) {
	n := r.list.Len()
	for _, it := range r.list.Items() {
		ep := *it.V
		ep.No = it.No
		s.Resyncs = append(s.Resyncs, ep)
	}
	if r.cur != nil {
		n++
		ep := *r.cur
		ep.No = n
		s.Resyncs = append(s.Resyncs, ep)
		s.UnfinishedResyncs = 1
	}
	s.Episodes = n
	s.MedianResync, s.ApproxMedian = r.d.median()
	s.MaxResync = r.d.max
}
