package client

import (
	"strconv"
	"time"

	"github.com/qgasim/qgasim/sim/vtime"
)

// Lock is how a strategy's client lets several callers at the channel at
// once (a scenario's steps that do not wait for their outcome). Most real
// clients hold a lock around a command: a second caller waits until the
// first has its outcome, then runs as if alone. libvirt's is its agent job:
// a caller waits at most 30 s for it (VIR_JOB_WAIT_TIME), then fails; the
// wait does not count against the command's own timeout (docs/libvirt.md,
// B4: a ping with a 2 s timeout waited 7 s behind a blocked domtime, then
// ran). A client with no lock (the none strategy) takes overlapping calls
// itself, and its callers interleave on the channel.
type Lock struct {
	// None: no lock; the strategy takes a caller's request while others
	// are in progress.
	None bool
	// Name says what the lock is, for the client's status ("the agent
	// job").
	Name string
	// Wait is how long a caller waits for the lock before it gives up (0:
	// for ever); Text is the error it then sees.
	Wait time.Duration
	Text string
}

// locks are the strategies' locks; a strategy not listed (and a custom
// one) holds a plain lock that callers wait for as long as it takes.
var locks = map[string]Lock{
	"none":    {None: true},
	"libvirt": {Name: "the agent job", Wait: 30 * time.Second, Text: lvJobTimeout},
}

// lockOf is the lock of a strategy.
func lockOf(strategy string) Lock {
	l, ok := locks[strategy]
	if !ok {
		l = Lock{Name: "the client's lock"}
	}
	return l
}

// withLock puts a strategy behind its lock. The lock follows port events
// only for a strategy that does (PortWatcher): the World hears the client
// on every port event it follows.
func withLock(c Client, l Lock) Client {
	if l.None {
		return c
	}
	lc := &locked{Client: c, lock: l}
	// The strategy's optional interfaces, asked once: the driver asks
	// the lock for them at every read.
	lc.recycler, _ = c.(Recycler)
	lc.reader, _ = c.(Reader)
	lc.retainer, _ = c.(Retainer)
	if o, ok := c.(interface{ outbox() *base }); ok {
		lc.out = o.outbox()
	}
	// The lock is a Reader only where the strategy is one: the driver
	// asks a Reader at every read it might make, and one that always
	// reads need not be asked.
	_, port := c.(PortWatcher)
	switch {
	case port && lc.reader != nil:
		return portReadingLocked{portLocked{lc}}
	case port:
		return portLocked{lc}
	case lc.reader != nil:
		return readingLocked{lc}
	}
	return lc
}

// locked is a client behind its lock: one caller at a time runs in the
// strategy, the others wait in order. It forwards everything else, so that
// the strategy cannot tell. A caller is let in on a timer at the time the
// one before it ended (the driver asks NextTimer after every call), so that
// the strategy sees the new caller with the time it came in.
type locked struct {
	Client
	lock    Lock
	holder  int       // the request that holds the lock, 0 for none
	waiting []waiter  // callers waiting for it, in order (deadline: when they give up)
	now     int64     // the time of the last call: outcomes come only from calls
	gaveUp  []Outcome // callers that gave up waiting, for the next Take
	shown   int       // the number of waiting callers the status last showed
	// The strategy's Recycler, Reader and Retainer, nil where it is not,
	// and its base, nil for a custom strategy.
	out      *base
	recycler Recycler
	reader   Reader
	retainer Retainer
	// why is the last status text made with waiting callers, from the
	// strategy's and their number: made again only when one changes.
	why struct {
		strategy string
		n        int
		text     string
	}
}

func (l *locked) Issue(now int64, req Request) {
	l.now = now
	if l.holder == 0 && len(l.waiting) == 0 {
		l.holder = req.Seq
		l.Client.Issue(now, req)
		return
	}
	w := waiter{req: req}
	if l.lock.Wait > 0 {
		w.deadline = vtime.Add(now, l.lock.Wait)
	}
	l.waiting = append(l.waiting, w)
}

func (l *locked) Connected(now int64)             { l.now = now; l.Client.Connected(now) }
func (l *locked) Closed(now int64, reason string) { l.now = now; l.Client.Closed(now, reason) }
func (l *locked) Receive(now int64, data []byte)  { l.now = now; l.Client.Receive(now, data) }

// Tick lets the next caller in when the lock is free, fails those that
// waited too long, and passes the strategy its own timer.
func (l *locked) Tick(now int64) {
	l.now = now
	for i := 0; i < len(l.waiting); {
		if d := l.waiting[i].deadline; d != 0 && now >= d {
			l.gaveUp = append(l.gaveUp, Outcome{Seq: l.waiting[i].req.Seq, Kind: Failed, Detail: l.lock.Text})
			l.waiting = append(l.waiting[:i], l.waiting[i+1:]...)
			continue
		}
		i++
	}
	if t, ok := l.Client.NextTimer(); ok && t <= now {
		l.Client.Tick(now)
	}
	if l.holder == 0 && len(l.waiting) > 0 {
		w := l.waiting[0]
		l.waiting = l.waiting[1:]
		l.holder = w.req.Seq
		l.Client.Issue(now, w.req)
	}
}

// NextTimer is the strategy's timer, or now when a caller can be let in,
// or the first time a waiting caller gives up.
func (l *locked) NextTimer() (int64, bool) {
	if len(l.waiting) == 0 {
		return l.Client.NextTimer()
	}
	t, ok := l.Client.NextTimer()
	at := func(x int64) {
		if !ok || x < t {
			t, ok = x, true
		}
	}
	if l.holder == 0 {
		at(l.now)
	}
	for _, w := range l.waiting {
		if w.deadline != 0 {
			at(w.deadline)
		}
	}
	return t, ok
}

// Take is the strategy's actions, with the outcomes of callers that gave
// up waiting; the outcome of the caller that holds the lock frees it.
func (l *locked) Take() (a Actions) {
	if l.out != nil {
		l.out.takeInto(&a)
	} else {
		a = l.Client.Take()
	}
	l.afterTake(&a)
	return a
}

// afterTake adds the callers that gave up waiting to the strategy's
// actions; the outcome of the caller that holds the lock frees it.
func (l *locked) afterTake(a *Actions) {
	if len(l.gaveUp) > 0 {
		a.Outcomes = append(a.Outcomes, l.gaveUp...)
		l.gaveUp = nil
	}
	for i := range a.Outcomes {
		if a.Outcomes[i].Seq == l.holder {
			l.holder = 0
		}
	}
	if len(l.waiting) != l.shown {
		l.shown = len(l.waiting)
		a.Changed = true
	}
}

// Swap is Take and Recycle in one call (Swapper); a strategy without the
// shared outbox is asked through Recycle and Take.
func (l *locked) Swap(a *Actions) {
	if l.out != nil {
		l.out.Swap(a)
	} else {
		if l.recycler != nil {
			l.recycler.Recycle(*a)
		}
		*a = l.Client.Take()
	}
	l.afterTake(a)
}

// Recycle hands the actions back to the strategy, if it takes them.
func (l *locked) Recycle(a Actions) {
	switch {
	case l.out != nil:
		l.out.Recycle(a)
	case l.recycler != nil:
		l.recycler.Recycle(a)
	}
}

// Status is the strategy's, with the callers that wait for the lock.
func (l *locked) Status() Status {
	s := l.Client.Status()
	n := len(l.waiting)
	if n == 0 {
		return s
	}
	if w := &l.why; w.n != n || w.strategy != s.Why {
		w.strategy, w.n = s.Why, n
		w.text = s.Why + "; " + strconv.Itoa(n) + " caller(s) wait for " + l.lock.Name
	}
	s.Why = l.why.text
	return s
}

// portLocked is a locked strategy that follows port events.
type portLocked struct{ *locked }

func (l portLocked) PortChanged(now int64, open bool) {
	l.now = now
	l.Client.(PortWatcher).PortChanged(now, open)
}

// readingLocked and portReadingLocked are locked strategies that can stop
// reading (Reader): they pass the strategy's own.
type (
	readingLocked     struct{ *locked }
	portReadingLocked struct{ portLocked }
)

func (l readingLocked) Reading() bool     { return l.reader.Reading() }
func (l portReadingLocked) Reading() bool { return l.reader.Reading() }

// Retained is the strategy's (Retainer); one that does not say may name
// any byte it received, from the first.
func (l *locked) Retained() int64 {
	switch {
	case l.out != nil:
		// base's: no strategy has its own.
		return l.out.Retained()
	case l.retainer != nil:
		return l.retainer.Retained()
	}
	return 0
}
