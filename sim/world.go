package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// World owns the virtual clock, the seeded random streams, the agent
// process, the link, the host client, the host program and the trace. It is
// single-threaded: nothing here starts a goroutine.
type World struct {
	port portThrottle // VSERPORT_CHANGE throttle (port.go)
	cfg  Config
	now  int64
	end  int64
	q    queue
	qseq int64
	done bool

	actions   int64 // scheduled actions run (the budget counts them)
	maxEvents int64 // the event budget (Config.MaxEvents or the default)
	err       error // why the run stopped early (a *BudgetError), or nil

	evSeq   int64
	spareEv *trace.Event // the event send gave back, for event to fill again
	kept    store        // the events (unless NoKeep)
	unread  unread       // frequent kinds of event nothing reads (Config.SinkReads)

	link     *link.Link
	h2a, a2h *link.Direction // the link's two directions

	proc       agentEnd      // the agent side: sp, or xa
	sp         *AgentProcess // the simulated qemu-ga (process.go), nil with an external agent
	xa         *extAgent     // a real agent (Config.ExternalAgent), nil otherwise
	xh         *ExternalHost // a real client (Config.Host), nil otherwise
	hostHold   bool          // the real client cannot take more bytes now
	procWake   wake          // the agent side's next action
	procFn     func()
	agentGen   int // changes when a process dies: a scheduled start of the next one checks it
	hostReadFn func()
	stepText   []string

	cl        client.Client
	clCaps    clientCaps     // what cl implements beyond client.Client
	acts      client.Actions // the client's last actions, kept for their arrays (drain)
	draining  bool           // a drain works through w.acts
	conn      int
	hostWant  bool // the host wants the channel open (a unix socket waits for the agent)
	hostReads wake
	timer     wake   // the client's timer (its items are not wake-ups: see kick)
	itemTok   int64  // the token of the item running
	timerFn   func() // fires it
	stepsFn   func() // w.runSteps, made once (a method value is an allocation)

	faults    []fault.Fault
	nInjected int
	dying     int // agent kills scheduled and not yet done

	step      int  // next step
	round     int  // rounds of the program done (Config.Repeat)
	waitReq   int  // the request the program waits for
	waitAll   bool // the program waits until no request is open
	stepsDone bool
	// readHoldUntil: the host program reads nothing before this time
	// (a stop-reading step).
	readHoldUntil int64
	clients       int // client instances so far (a restart-client makes a new one)
	reqSeq        int
	open          map[int]bool

	attr    attribution              // whose bytes a message and a reply were (attrib.go)
	origins recordSlab[trace.Origin] // the agent replies' origins
	// recvBase is where the current client's received stream starts in
	// the World's (a restart-client: the new client counts from 0).
	recvBase int64
}

// New builds a World from a configuration; nothing runs until Step or Run.
func New(cfg Config) (*World, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return NewValidated(cfg)
}

// NewValidated is New for a configuration that Validate has accepted and
// that has changed since only in fields Validate does not read (Seed,
// Sink, NoKeep, SinkReads, MaxEvents, NotesFor): it does not validate it
// again. Validate reads every step and fault, and a sweep runs one
// configuration at many seeds. The World's parts still check what they
// are built from (an error is ErrConfig); a configuration Validate would
// refuse is the caller's bug.
func NewValidated(cfg Config) (*World, error) {
	w := &World{cfg: cfg, open: map[int]bool{}, unread: unreadKinds(cfg)}
	w.end = int64(cfg.Duration)
	if w.end == 0 {
		w.end = int64(DefaultDuration)
	}
	lk, err := link.New(cfg.linkConfig(), w.source("link/h2a"), w.source("link/a2h"), w.source("link/transport"), w.emit)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	w.link, w.h2a, w.a2h = lk, lk.Dir(link.H2A), lk.Dir(link.A2H)
	w.maxEvents = cfg.MaxEvents
	if w.maxEvents <= 0 {
		w.maxEvents = DefaultMaxEvents
	}
	if cfg.ExternalAgent != nil {
		w.xa = newExtAgent(w, cfg.ExternalAgent)
		w.proc = w.xa
		w.procFn = func() {
			w.xa.Step(w.now)
			w.attr.trimWrites(w.h2aLow)
		}
	} else {
		w.newProcess()
	}
	if cfg.Host != nil {
		w.xh = cfg.Host
	} else if cl, err := cfg.Client.New(w.stream("client")); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	} else {
		w.setClient(cl)
	}
	for i, spec := range cfg.Faults {
		if _, err := w.addFault(spec, faultName(spec, i)); err != nil {
			return nil, fmt.Errorf("%w: fault %d: %v", ErrConfig, i+1, err)
		}
	}
	w.hostReadFn = w.hostRead
	w.timerFn, w.stepsFn = w.fireTimer, w.runSteps
	if !w.unread.step {
		for _, st := range cfg.Steps {
			w.stepText = append(w.stepText, st.String())
		}
	}
	w.at(0, w.start)
	return w, nil
}

func (w *World) stream(name string) *rand.Rand { return Stream(w.cfg.Seed, name) }

func (w *World) addFault(spec fault.Spec, name string) (fault.Fault, error) {
	f, err := fault.New(spec, name, w.source("fault/"+name), env{w})
	if err != nil {
		return nil, err
	}
	w.faults = append(w.faults, f)
	w.link.Dir(f.Dir()).AddStage(f)
	w.scheduleFault(f)
	return f, nil
}

func (w *World) scheduleFault(f fault.Fault) {
	if t, ok := f.NextFire(); ok {
		w.at(t, func() {
			if t2, ok := f.NextFire(); ok && t2 <= w.now {
				f.Fire(w.now)
				w.scheduleFault(f)
			}
		})
	}
}

// start is time zero: the agent opens its port, the host connects, the
// program begins.
func (w *World) start() {
	if w.sp != nil {
		w.agentStart()
	}
	if w.cl == nil {
		// A real client connects when it does (HostConnect); a real
		// agent is up when its connection is (AgentConnect).
		return
	}
	w.emitClientState()
	w.hostOpen()
	w.at(0, w.stepsFn)
}

// event is a blank event of kind to fill and send: the World's own, so
// that an event goes to the Sink without a copy of its 350 bytes. It is
// the one send gave back, or (while that one is still with a Sink that
// called back into the World) a new one.
func (w *World) event(kind string) *trace.Event {
	ev := w.spareEv
	if ev == nil {
		return &trace.Event{Kind: kind}
	}
	w.spareEv = nil
	*ev = trace.Event{Kind: kind}
	return ev
}

// send stamps an event from event and records it. The Sink has the event
// for the call only: the World fills it again for a later one.
func (w *World) send(ev *trace.Event) {
	w.evSeq++
	ev.Seq = w.evSeq
	if ev.T == 0 {
		ev.T = w.now
	}
	if !w.cfg.NoKeep {
		w.kept.add(ev)
	}
	if w.cfg.Sink != nil {
		w.cfg.Sink(ev)
	}
	w.spareEv = ev
}

// emit sends an event built elsewhere (the link's, the agent process's, a
// fault's, the rare ones).
func (w *World) emit(ev trace.Event) {
	e := w.spareEv
	if e == nil {
		e = new(trace.Event)
	}
	w.spareEv = nil
	*e = ev
	w.send(e)
}

// skip takes the number of an event that nothing reads (unread) and
// builds nothing.
func (w *World) skip() { w.evSeq++ }

// skipN is n skips.
func (w *World) skipN(n int) { w.evSeq += int64(n) }

// Seed is the run's seed.
func (w *World) Seed() uint64 { return w.cfg.Seed }

// Now is the virtual time in nanoseconds.
func (w *World) Now() int64 { return w.now }

// Done reports whether the run has ended.
func (w *World) Done() bool { return w.done }

// Events is the number of events so far.
func (w *World) Events() int { return int(w.evSeq) }

// Event returns event i (from 0) of the kept trace.
func (w *World) Event(i int) trace.Event { return w.kept.event(i) }

// Trace returns every event so far (none with NoKeep). The slice and what
// its events point to are the World's own: do not change them.
func (w *World) Trace() []trace.Event { return w.kept.all() }

// Agent is the current agent process, for display.
func (w *World) Agent() *agent.Agent { return w.proc.Agent() }

// AgentUp reports whether an agent process is running; Incarnation is its
// number (from 1).
func (w *World) AgentUp() bool         { return w.proc.Up() }
func (w *World) Incarnation() int      { return w.proc.Inc() }
func (w *World) Connection() int       { return w.conn }
func (w *World) Link() *link.Link      { return w.link }
func (w *World) Faults() []fault.Fault { return w.faults }

// ClientStatus is the host client's state.
func (w *World) ClientStatus() client.Status {
	if w.cl == nil {
		return client.Status{}
	}
	return w.cl.Status()
}

// Step runs the next scheduled action (one or more events at one virtual
// time) and reports whether the run goes on.
func (w *World) Step() bool {
	if w.done {
		return false
	}
	if w.q.len() == 0 {
		// A live session ends when its driver says (Stop), not when
		// nothing is scheduled: a real client may write at any time.
		if w.xh == nil {
			w.finish()
		}
		return false
	}
	if w.stepsDone && w.quiescent() {
		w.finish()
		return false
	}
	if w.q.next() > w.end {
		w.now = w.end
		w.finish()
		return false
	}
	it := w.q.pop()
	w.actions++
	for it.wake != nil && it.tok != it.wake.tok {
		// A reader's wake-up that a later one replaced: skip it, so that
		// every Step does something.
		if w.q.len() == 0 && w.xh != nil {
			return false
		}
		if w.q.len() == 0 || w.q.next() > w.end {
			w.now = max(w.now, min(it.t, w.end))
			w.finish()
			return false
		}
		it = w.q.pop()
		w.actions++
	}
	w.now = it.t
	if it.wake != nil {
		it.wake.set = false
	}
	w.itemTok = it.tok
	it.fn()
	w.kick()
	if b := w.overBudget(); b != nil {
		w.err = b
		w.finishWith(b.Error())
		return false
	}
	return true
}

// Err is why the run stopped before its end: a *BudgetError (errors.Is
// ErrBudget) when it reached a budget; nil for a run that ended or was
// stopped by Stop.
func (w *World) Err() error { return w.err }

// StopWith ends the run now, as Stop does, and its "end" events say why
// (an interrupted run's trace says so, and its accounting still closes). A
// run already ended is left as it is.
func (w *World) StopWith(why string) { w.finishWith(why) }

// RunUntil runs every action up to virtual time t and leaves the clock at t
// (unless the run ended first).
func (w *World) RunUntil(t int64) {
	for !w.done && w.q.len() > 0 && w.q.next() <= t {
		if !w.Step() {
			break
		}
	}
	if !w.done && t > w.now {
		w.now = min(t, w.end)
	}
}

// NextAt is the time of the next scheduled action; a live driver sleeps
// until then (or until a real program does something). It may be a wake-up
// that turns out void: RunUntil then does nothing.
func (w *World) NextAt() (int64, bool) {
	if w.done || w.q.len() == 0 {
		return 0, false
	}
	return w.q.next(), true
}

// Run runs to the end: the configured duration, or every step done with
// nothing in flight.
func (w *World) Run() {
	for w.Step() {
	}
}

// quiescent: the program is done, no request is open, nothing is in the
// link and the agent has nothing left to write. (Step asks it only once
// the steps are done.)
func (w *World) quiescent() bool {
	return w.cl != nil && w.stepsDone && len(w.open) == 0 && w.link.Idle() && w.proc.Pending() == 0 && w.proc.Buffered() == 0
}

// finish ends the run: one "end" event per direction with what is still in
// flight, so that the accounting closes.
func (w *World) finish() { w.finishWith("") }

// finishWith ends the run; why, if any, says why it ended early.
func (w *World) finishWith(why string) {
	if w.done {
		return
	}
	for _, d := range []link.Dir{link.H2A, link.A2H} {
		x := w.link.Dir(d)
		src, n := x.Pending(), int64(x.InFlight()+x.Held())
		if d == link.H2A && w.proc.Buffered() > 0 {
			src, n = append(w.proc.BufferedSpans(), src...), n+int64(w.proc.Buffered())
		}
		w.emit(trace.Event{Kind: trace.KindEnd, Dir: d.String(), Src: src, N: n, Off: x.Written(), Text: why})
	}
	w.done = true
}

// kick schedules the readers and the client timer for what is now possible.
func (w *World) kick() {
	if w.done {
		return
	}
	w.proc.RunQueued(w.now)
	w.link.Pump(w.now)
	if t, ok := w.proc.Next(w.now); ok {
		w.procWake.want(w, t, w.procFn)
	}
	if w.link.CanHostRead() && !w.hostHold && w.clientReads() {
		if t, ok := w.a2h.NextReady(); ok {
			w.hostReads.want(w, max(t, w.readHoldUntil), w.hostReadFn)
		}
	}
	if w.cl == nil {
		return
	}
	if t, ok := w.cl.NextTimer(); ok && (!w.timer.set || t != w.timer.at) {
		// Not a wake-up Step skips when void: a replaced timer still runs
		// (and does nothing), as it always has, so that traces keep their
		// order of actions.
		w.timer.tok++
		w.timer.at, w.timer.set = t, true
		w.qseq++
		w.q.push(item{t: max(t, w.now), seq: w.qseq, fn: w.timerFn, tok: w.timer.tok}, w.now)
	}
}

// fireTimer is the client's timer: it ticks the client if its timer is
// still the one set and due.
func (w *World) fireTimer() {
	if w.itemTok != w.timer.tok {
		return
	}
	w.timer.set = false
	if t, ok := w.cl.NextTimer(); ok && t <= w.now {
		w.cl.Tick(w.now)
		w.drain()
	}
}

// wake is one pending wake-up of a reader: at most one is live; asking for
// another time voids the pending one.
type wake struct {
	tok int64
	at  int64
	set bool
}

// void cancels the pending wake-up, if any.
func (k *wake) void() {
	k.set = false
	k.tok++
}

func (k *wake) want(w *World, t int64, fn func()) {
	if k.set && k.at == t {
		return
	}
	k.tok++
	k.at, k.set = t, true
	if t < w.now {
		t = w.now
	}
	w.qseq++
	w.q.push(item{t: t, seq: w.qseq, fn: fn, wake: k, tok: k.tok}, w.now)
}
