package check

import (
	"github.com/qgasim/qgasim/internal/listing"
	"github.com/qgasim/qgasim/sim/trace"
)

// resyncState reports whether a client state means "not yet in sync".
// A switch rather than a map: it runs for every client.state event.
func resyncState(state string) bool {
	switch state {
	case "waiting for 0xFF", "waiting for sync id", "discarding":
		return true
	}
	return false
}

// maxStates bounds the states an episode remembers: a client that never
// gets back in sync may change state for ever.
const maxStates = 16

// resyncs folds client.state events into resync episodes: from the moment
// a client leaves "in sync"/"idle" for a resync state until it is back.
// It keeps the open episode, a listing of the finished ones and their
// durations.
type resyncs struct {
	cur   *Resync
	list  *listing.List[Resync]
	d     durations
	boxes []episodeBox // records for the next episodes
}

// episodeBox is an episode with room for its first states.
type episodeBox struct {
	ep     Resync
	states [4]string
}

func (r *resyncs) observe(ev *trace.Event) {
	if resyncState(ev.State) {
		if r.cur == nil {
			// The episode and room for its first states together (most
			// episodes pass through two or three), from an array of slab
			// of them as the Checker's requests.
			if len(r.boxes) == 0 {
				r.boxes = make([]episodeBox, slab)
			}
			box := &r.boxes[0]
			r.boxes = r.boxes[1:]
			box.ep = Resync{From: ev.T, To: -1, States: box.states[:0]}
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
	items := r.list.Items()
	if len(items) > 0 || r.cur != nil {
		s.Resyncs = make([]Resync, len(items), len(items)+1)
	}
	for i, it := range items {
		s.Resyncs[i] = *it.V
		s.Resyncs[i].No = it.No
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
