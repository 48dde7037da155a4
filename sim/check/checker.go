package check

import (
	"github.com/qgasim/qgasim/internal/listing"
	"github.com/qgasim/qgasim/sim/trace"
)

// Observer folds trace events as a run makes them. The oracles here are
// Observers, so that a run can feed them from its event sink and keep no
// trace.
//
// An event is passed by reference, not copied (an event is some 350
// bytes, and a run passes thousands): it is valid during the call only.
type Observer interface {
	Observe(ev *trace.Event)
}

// DefaultList is how many requests (and resync episodes) a summary lists
// from the start of a run and again from its end when Options.List is 0.
const DefaultList = 1000

// Options bound what a Checker keeps.
type Options struct {
	// List is how many requests, and how many resync episodes, the summary
	// lists from the start of the run and again from its end (0:
	// DefaultList). Counts always cover the whole run.
	List int
	// Keep names requests (by number, from 1) that are listed whatever List
	// says: those a scenario's expectations look at.
	Keep []int
	// KeepEpisodes names resync episodes (by number, from 1) that are
	// listed whatever List says: those a scenario's expectations look at.
	KeepEpisodes []int
}

// Checker is the oracle as a fold: it judges each request from the events
// as they come and keeps only what an open question needs. A request is
// open from its issue to its outcome; after that only whether the agent
// answered it may still change, until the agent answers it or replies to a
// message that ended past its bytes (the agent reads the host's bytes in
// order, so a later reply can no longer be its own).
type Checker struct {
	list       *listing.List[Request]
	counts     [len(verdicts)]int // as verdicts
	extra      map[Verdict]int    // a verdict not in verdicts, if ever
	lost       int
	dropped    int
	lostBytes  Summary          // LostToAgent and LostToHost, summed as the events come
	open       openSet          // issued, no outcome yet
	unsettled  []*pending       // ended unanswered, in issue order: the agent may still answer
	byReq      map[int]*pending // the unsettled ones by number
	frontier   int64            // h2a offset of the last agent reply's origin
	rs         resyncs
	boxes      []requestBox // records for the next requests
	boxesCap   int          // the size of the last array of boxes
	replies    []byte       // room for the next replies' copies
	repliesCap int          // the size of the last such array
}

// keepBytes copies b (a reply handed to a caller) for the summary: short
// ones into a shared array, as the records come from slabs. Nil for none.
func (c *Checker) keepBytes(b []byte) []byte {
	switch {
	case len(b) == 0:
		return nil
	case len(b) > replySlab/8:
		return append([]byte(nil), b...)
	case len(b) > cap(c.replies)-len(c.replies):
		// From a sixteenth, doubling: a short run pays for a small array.
		c.repliesCap = min(max(2*c.repliesCap, replySlab/16), replySlab)
		c.replies = make([]byte, 0, max(c.repliesCap, len(b)))
	}
	at := len(c.replies)
	c.replies = append(c.replies, b...)
	return c.replies[at:len(c.replies):len(c.replies)]
}

// replySlab is the size of the arrays short replies are copied into.
const replySlab = 4096

// requestBox is a request's record and its pending record, which the
// Checker takes from arrays of slab of them rather than one by one: a run
// issues a request every few steps. An array lives on while the listing
// or the open questions hold one of its records, so that memory still
// follows Options.List and the open requests, within a factor of slab.
type requestBox struct {
	r Request
	p pending
}

// slab is how many records the Checker allocates at once.
const slab = 32

// pending is a request whose answer is not settled yet. r is its listed
// record, or a record of its own while it is open.
type pending struct {
	r    *Request
	last int64 // h2a writer offset of its last byte written, -1 none
}

// NewChecker returns a Checker for one run.
func NewChecker(o Options) *Checker {
	if o.List <= 0 {
		o.List = DefaultList
	}
	return &Checker{
		list:     listing.New[Request](o.List, o.Keep...),
		byReq:    map[int]*pending{},
		frontier: -1,
		rs:       resyncs{list: listing.New[Resync](o.List, o.KeepEpisodes...)},
	}
}

// Reads is every kind of event Observe looks at: a run whose events go to
// a Checker and nothing else need not build the others
// (sim.Config.SinkReads).
var Reads = []string{trace.KindIssue, trace.KindHostWrite, trace.KindAgentReply, trace.KindOutcome,
	trace.KindDrop, trace.KindFault, trace.KindClientState}

// Observe folds one event. The event's slices are not kept: what the
// summary needs of them is copied.
func (c *Checker) Observe(ev *trace.Event) {
	// Every kind named here is in Reads.
	switch ev.Kind {
	case trace.KindIssue:
		if len(c.boxes) == 0 {
			c.boxesCap = min(max(2*c.boxesCap, 2), slab) // doubling, as keepBytes
			c.boxes = make([]requestBox, c.boxesCap)
		}
		box := &c.boxes[0]
		c.boxes = c.boxes[1:]
		box.r = Request{Req: ev.Req, Cmd: ev.Cmd, Issued: ev.T, Ended: -1}
		box.p = pending{r: &box.r, last: -1}
		c.list.Add(&box.r)
		c.open.put(&box.p)
	case trace.KindHostWrite:
		if p := c.open.get(ev.Req); p != nil && ev.Req != 0 && ev.N > 0 {
			p.last = max(p.last, ev.Off+ev.N-1)
		}
	case trace.KindAgentReply:
		if ev.State == "dropped" {
			c.dropped++
		}
		if o := ev.Origin; o != nil && o.Status == "write" {
			c.settleBefore(o.Off)
			if o.Req != 0 && ev.N > 0 {
				c.answer(o.Req)
			}
		}
	case trace.KindOutcome:
		p := c.open.get(ev.Req)
		if p == nil {
			return
		}
		c.open.remove(ev.Req)
		r := p.r
		r.Ended, r.Outcome, r.Reply, r.Detail = ev.T, ev.Outcome, c.keepBytes(ev.Bytes), ev.Text
		judge(r, ev.Reply, ev.N)
		c.count(r.Verdict)
		switch {
		case r.Answered:
		case p.last < 0 || p.last < c.frontier:
			// It wrote nothing, or every byte of it came before the last
			// reply's origin: the agent will never answer it.
			c.lost++
		default:
			c.unsettled = append(c.unsettled, p)
			c.byReq[r.Req] = p
		}
	case trace.KindDrop, trace.KindFault:
		c.lostBytes.addLost(ev)
	case trace.KindClientState:
		c.rs.observe(ev)
	}
}

// count counts one request judged v.
func (c *Checker) count(v Verdict) {
	for i, w := range verdicts {
		if v == w {
			c.counts[i]++
			return
		}
	}
	if c.extra == nil {
		c.extra = map[Verdict]int{}
	}
	c.extra[v]++
}

// answer records that the agent answered request req.
func (c *Checker) answer(req int) {
	if p := c.open.get(req); p != nil {
		p.r.Answered = true
		return
	}
	if p := c.byReq[req]; p != nil {
		p.r.Answered = true
		delete(c.byReq, req)
		c.unsettled = removePending(c.unsettled, p)
	}
}

// settleBefore moves the frontier to off: the agent finished a message
// whose last byte was written at off, so no later reply can be to a
// request whose bytes all came before it.
func (c *Checker) settleBefore(off int64) {
	if off <= c.frontier {
		return
	}
	c.frontier = off
	k := 0
	for k < len(c.unsettled) && c.unsettled[k].last < off {
		delete(c.byReq, c.unsettled[k].r.Req)
		c.unsettled[k] = nil
		c.lost++
		k++
	}
	if k > 0 {
		c.unsettled = c.unsettled[k:]
		if cap(c.unsettled) > 64 && len(c.unsettled) < cap(c.unsettled)/4 {
			c.unsettled = append([]*pending(nil), c.unsettled...)
		}
	}
}

func removePending(s []*pending, p *pending) []*pending {
	for i, q := range s {
		if q == p {
			copy(s[i:], s[i+1:])
			s[len(s)-1] = nil
			return s[:len(s)-1]
		}
	}
	return s
}

// Summary is what the oracle knows at the end of the run (or now, for a run
// cut short). timersPending says whether the client still had a timer that
// would end a waiting request: requests without an outcome are then
// unfinished rather than hung. Summary does not change the Checker.
func (c *Checker) Summary(timersPending bool) Summary {
	s := Summary{Counts: make(map[Verdict]int, len(Verdicts)), Total: c.list.Len(), Lost: c.lost, Dropped: c.dropped,
		LostToAgent: c.lostBytes.LostToAgent, LostToHost: c.lostBytes.LostToHost}
	for i, n := range c.counts {
		if n > 0 {
			s.Counts[verdicts[i]] = n
		}
	}
	for v, n := range c.extra {
		s.Counts[v] = n
	}
	// The requests still unsettled were never answered; the open ones have
	// no outcome.
	s.Lost += len(c.unsettled)
	c.open.each(func(p *pending) {
		if !p.r.Answered {
			s.Lost++
		}
		if timersPending {
			s.Counts[Unfinished]++
		} else {
			s.Counts[Hung]++
		}
	})
	items := c.list.Items()
	if len(items) > 0 {
		// One array of the right size: the summary copies every listed
		// request.
		s.Requests = make([]Request, len(items))
	}
	for i, it := range items {
		r := &s.Requests[i]
		*r = *it.V
		if r.Ended < 0 {
			noOutcome(r, timersPending)
		}
	}
	c.rs.summarize(&s)
	return s
}

// noOutcome judges a request that had no outcome when the run ended.
func noOutcome(r *Request, timersPending bool) {
	if timersPending {
		r.Verdict, r.Why = Unfinished, "the run ended while the client still waited, with a timer set"
	} else {
		r.Verdict, r.Why = Hung, "no outcome, and nothing would ever end the wait"
	}
}

// Analyze judges every request of a whole trace (a Checker fed every
// event, listing every request).
func Analyze(events []trace.Event, timersPending bool) Summary {
	c := NewChecker(Options{List: len(events) + 1})
	for i := range events {
		c.Observe(&events[i])
	}
	return c.Summary(timersPending)
}
