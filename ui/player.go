package ui

import (
	"sync"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

// Player is what the UI's play, step and jump keys drive: a Runner (a
// World the UI runs) or a TracePlayer (recorded events).
type Player interface {
	Source
	Step() bool
	Back() error
	JumpTo(pos int64) error
	End()
	Advance(dt int64)
}

var (
	_ Player = (*Runner)(nil)
	_ Player = (*TracePlayer)(nil)
)

// TracePlayer plays recorded events into a view model: a trace file read
// back (qgasim tui --trace), or a live session's events as they happen
// (serve --tui). A step applies the events of the next moment (one virtual
// time); a step back folds the events again from the first one kept to the
// moment before (the view model is a pure fold of the events, so nothing
// needs the World). Playing goes at the UI's speed through a recorded
// trace, and follows a live session as it goes.
//
// A live player keeps at most a bounded number of events for stepping
// back: beyond it the oldest half is forgotten, and a step back then folds
// from the oldest kept event, so the panes miss what came before it.
type TracePlayer struct {
	info   model.Info
	limits model.Limits
	live   bool
	keep   int

	mu       sync.Mutex
	incoming []trace.Event // from Append, not yet taken by the UI
	finished bool          // Finish: no more events will come

	events  []trace.Event // kept events (UI goroutine only)
	dropped int64         // events forgotten before events[0]
	pos     int           // events applied (index into events)
	done    bool          // every event applied and no more will come
	byHand  int           // faults injected into the live session from the UI
	m       *model.Model
}

// DefaultLiveKeep is how many events a live player keeps for stepping back.
const DefaultLiveKeep = 200_000

// NewTracePlayer plays a recorded trace, from its start.
func NewTracePlayer(info model.Info, l model.Limits, events []trace.Event) *TracePlayer {
	return &TracePlayer{info: info, limits: l, events: events, finished: true, m: newModel(info, l)}
}

// NewLivePlayer plays events that Append hands in as they happen; keep
// bounds the events kept for stepping back (0: DefaultLiveKeep).
func NewLivePlayer(info model.Info, l model.Limits, keep int) *TracePlayer {
	if keep <= 0 {
		keep = DefaultLiveKeep
	}
	return &TracePlayer{info: info, limits: l, live: true, keep: keep, m: newModel(info, l)}
}

// Append hands in one event; any goroutine may call it.
func (p *TracePlayer) Append(ev trace.Event) {
	p.mu.Lock()
	p.incoming = append(p.incoming, ev)
	p.mu.Unlock()
}

// Finish says that no more events will come.
func (p *TracePlayer) Finish() {
	p.mu.Lock()
	p.finished = true
	p.mu.Unlock()
}

// pull takes the events handed in since the last call.
func (p *TracePlayer) pull() {
	p.mu.Lock()
	in := p.incoming
	p.incoming = nil
	finished := p.finished
	p.mu.Unlock()
	p.events = append(p.events, in...)
	if p.live && len(p.events) > p.keep && p.pos > p.keep/2 {
		n := p.keep / 2
		p.events = append(p.events[:0:0], p.events[n:]...)
		p.dropped += int64(n)
		p.pos -= n
	}
	p.done = finished && p.pos >= len(p.events)
}

// Model is the view model.
func (p *TracePlayer) Model() *model.Model { return p.m }

// Now is the time of the last event applied.
func (p *TracePlayer) Now() int64 { return p.m.Now }

// Pos is the number of events applied, counting the forgotten ones.
func (p *TracePlayer) Pos() int64 { return p.dropped + int64(p.pos) }

// Done reports whether every event is applied and no more will come.
func (p *TracePlayer) Done() bool { return p.done }

// ByHand is the number of faults a person injected into the live session
// from this UI (0 for a recorded trace).
func (p *TracePlayer) ByHand() int { return p.byHand }

// apply applies events up to index end.
func (p *TracePlayer) apply(end int) {
	for ; p.pos < end; p.pos++ {
		p.m.Apply(p.events[p.pos])
	}
}

// moment is the index after the events at the same time as events[i].
func (p *TracePlayer) moment(i int) int {
	j := i + 1
	for j < len(p.events) && p.events[j].T == p.events[i].T {
		j++
	}
	return j
}

// Step applies the next moment's events; false when nothing is left (and
// nothing more will come).
func (p *TracePlayer) Step() bool {
	p.pull()
	if p.pos < len(p.events) {
		p.apply(p.moment(p.pos))
	}
	p.pull()
	return !p.done
}

// refold folds the kept events again up to index end.
func (p *TracePlayer) refold(end int) {
	p.m, p.pos = newModel(p.info, p.limits), 0
	p.apply(end)
	p.pull()
}

// Back goes to the moment before the current one.
func (p *TracePlayer) Back() error {
	if p.pos == 0 {
		return nil
	}
	start := p.pos - 1
	t := p.events[start].T
	for start > 0 && p.events[start-1].T == t {
		start--
	}
	p.refold(start)
	return nil
}

// JumpTo goes to the end of the moment that holds event pos (0: the
// start).
func (p *TracePlayer) JumpTo(pos int64) error {
	p.pull()
	i := int(max(0, pos-p.dropped))
	if i > len(p.events) {
		i = len(p.events)
	}
	if i > 0 {
		i = p.moment(i - 1)
	}
	p.refold(i)
	return nil
}

// End applies every event there is.
func (p *TracePlayer) End() {
	p.pull()
	p.apply(len(p.events))
	p.pull()
}

// Advance plays dt of virtual time: a live player applies everything that
// has come (it follows the session); a recorded trace the events up to
// the time dt after the current one.
func (p *TracePlayer) Advance(dt int64) {
	p.pull()
	if p.live {
		p.apply(len(p.events))
	} else {
		target := p.m.Now + dt
		end := p.pos
		for end < len(p.events) && p.events[end].T <= target {
			end++
		}
		p.apply(end)
		p.m.Now = max(p.m.Now, min(target, p.lastT()))
	}
	p.pull()
}

func (p *TracePlayer) lastT() int64 {
	if len(p.events) == 0 {
		return 0
	}
	return p.events[len(p.events)-1].T
}
