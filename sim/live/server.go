package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// Options shape a live session. The zero value is a session at speed 1
// with no trace and the default queue sizes.
type Options struct {
	// Speed is virtual seconds per wall second (v = (wall - start) *
	// Speed); 0 means 1.
	Speed float64
	// Trace, when set, receives every event as a JSON Lines record as it
	// happens (docs/trace-format.md), each within 10 ms, so that `tail -f`
	// follows the session; Close writes the rest.
	Trace io.Writer
	// Sink, when set, receives every event as it happens, on the session's
	// own goroutine (it must not block for long). Its events are its own
	// to keep: their bytes and spans are copies (what a socket's reader
	// read is in a buffer it reads into again).
	Sink func(trace.Event)
	// Agent, when set, is the real agent the session proxies to; nil runs
	// the scenario's simulated agent.
	Agent Upstream
	// QueueBytes bounds the bytes waiting to be written to one socket
	// (default 1 MiB); beyond it the link stops delivering to that side.
	QueueBytes int
	// InFlight bounds the bytes a real program's writes may have in the
	// link before the session stops reading its socket (default 1 MiB):
	// the program's own writes then block, as on a full channel.
	InFlight int
	// Logf, when set, is told of what a person running the session wants
	// to know as it happens: the agent cannot be reached, its connection
	// went away. It is called from the session's goroutines.
	Logf func(format string, args ...any)
	// Session, when set, is written as the trace's first event (kind
	// "session", seq 1; the World's events follow from seq 2), so that the
	// trace says what ran and can be replayed.
	Session *trace.Session
	// Requests bounds the requests the oracle keeps for the report (the
	// counts cover every one); 0 means check.DefaultWireKeep.
	Requests int
}

// socketBuffer is what a unix socket holds before its writer blocks (Linux's
// default send buffer, net.core.wmem_default).
const socketBuffer = 212992

// boundLink gives the agent-to-host direction a capacity where the
// transport has none (every transport of sim/link has one today; a new one
// might not): with a real client that stops reading, the agent must block
// as on a real socket, or the link would grow without end.
func boundLink(cfg *sim.Config) {
	tr := cfg.Transport
	if tr == "" {
		tr = cfg.Link.Transport
	}
	if cfg.Link.A2H.Capacity <= 0 && link.Defaults(tr, link.A2H).Capacity == 0 {
		cfg.Link.A2H.Capacity = socketBuffer
	}
}

const (
	defaultQueue    = 1 << 20
	defaultInFlight = 1 << 20
	readSize        = 32 << 10
)

// ErrClosed is returned by Dial and Serve on a session that has stopped.
var ErrClosed = errors.New("live: the session is closed")

// Session is one live run: a World in wall-clock time with real programs on
// one or both ends. The World is single-threaded: one mutex guards it, and
// whoever has news takes it, runs the World up to now, feeds the news in
// and runs the World again (a socket's reader with the bytes it read, the
// accept loop with a connection, a writer whose queue drained), then lets
// go; a clock goroutine takes it for the World's own scheduled actions.
// Nobody waits on a socket while holding it: deliveries are put in bounded
// queues that writer goroutines drain (or written at once when the socket
// takes them without waiting).
type Session struct {
	cfg   sim.Config
	opts  Options
	clk   clock
	tw    *traceOut
	judge *check.Wire

	ready   chan struct{} // closed when the agent side is first up
	stopped chan struct{} // closed when the session has ended
	stopReq chan struct{}
	stopOne sync.Once
	poke    chan struct{}  // the World's next action moved earlier: the clock recomputes
	wg      sync.WaitGroup // readers, dialers, the clock
	err     error

	// mu guards the World and everything below.
	mu      sync.Mutex
	w       *sim.World
	ended   bool
	timerAt int64   // the virtual time the clock sleeps until; -1 none
	active  *peer   // the host client that has the channel
	waiting []*peer // host clients waiting for it
	up      *peer   // the connection to the real agent
	upGen   int     // counts upstream connections wanted; a dial for an older one is stale
	// stopping: a stop-agent sent SIGTERM and the agent has not closed its
	// connection yet; the next one starts stopDown after it does.
	stopping bool
	stopDown time.Duration
	after    []func()
	summary  check.WireSummary
	faults   []FaultFiring
	virtual  int64
	wall     time.Duration
}

// maxFaults bounds the fault firings a session keeps for its report.
const maxFaults = 1000

// New starts a session on the scenario's configuration: the World runs
// from now on. The configuration's client and steps are not used (a real
// client takes their place); with opts.Agent the scenario's agent is
// replaced by the real one too.
func New(cfg sim.Config, opts Options) (*Session, error) {
	if opts.Speed == 0 {
		opts.Speed = 1
	}
	if opts.Speed < 0 || math.IsNaN(opts.Speed) || math.IsInf(opts.Speed, 0) {
		return nil, fmt.Errorf("live: speed %v: want a positive number", opts.Speed)
	}
	if opts.QueueBytes <= 0 {
		opts.QueueBytes = defaultQueue
	}
	if opts.InFlight <= 0 {
		opts.InFlight = defaultInFlight
	}
	s := &Session{opts: opts, ready: make(chan struct{}), stopped: make(chan struct{}), stopReq: make(chan struct{}),
		poke: make(chan struct{}, 1), timerAt: -1}
	s.judge = check.NewWire(opts.Requests)
	if opts.Trace != nil {
		s.tw = newTraceOut(opts.Trace)
	}
	cfg.Client, cfg.Steps = client.Spec{}, nil
	boundLink(&cfg)
	cfg.Duration = time.Duration(math.MaxInt64)
	cfg.NoKeep = true
	cfg.MaxEvents = math.MaxInt64
	cfg.Sink = func(ev *trace.Event) { s.event(*ev) }
	cfg.Host = &sim.ExternalHost{Deliver: s.toHost, Closed: s.hostClosedByWorld}
	if opts.Agent != nil {
		cfg.ExternalAgent = &sim.ExternalAgent{Deliver: s.toAgent, Process: s.process}
	}
	w, err := sim.New(cfg)
	if err != nil {
		if s.tw != nil {
			s.tw.close()
		}
		return nil, err
	}
	s.cfg, s.w = cfg, w
	if opts.Session != nil {
		h := *opts.Session
		if h.Transport == "" {
			h.Transport = transportOf(cfg)
		}
		h.Seed, h.Speed = cfg.Seed, opts.Speed
		hd := trace.Event{Seq: 1, Kind: trace.KindSession, Session: &h}
		if s.tw != nil {
			s.tw.write(hd)
		}
		if opts.Sink != nil {
			opts.Sink(hd)
		}
	}
	s.clk = clock{start: time.Now(), speed: opts.Speed}
	if opts.Agent != nil {
		s.dialAgent(0, false, true)
	} else {
		close(s.ready) // the simulated agent starts at time zero
	}
	s.wg.Add(1)
	go s.clockLoop()
	return s, nil
}

func (s *Session) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// Seed is the session's seed: the faults' random choices come from it.
func (s *Session) Seed() uint64 { return s.cfg.Seed }

// event receives every event of the World, on the loop.
func (s *Session) event(ev trace.Event) {
	if s.opts.Session != nil {
		ev.Seq++
	}
	s.judge.Observe(&ev)
	switch {
	case ev.Kind == trace.KindFault:
		s.fired(FaultFiring{T: ev.T, Name: ev.Name, Dir: ev.Dir, Text: ev.Text})
	case ev.Kind == trace.KindAgentRestart && ev.Fault == "":
		// No fault's doing (a real agent that exited or crashed, a guest
		// that shut down): the report must not leave it out.
		s.fired(FaultFiring{T: ev.T, Name: SelfExit, Text: "the agent went away by itself: " + ev.Text})
	}
	if s.tw != nil {
		s.tw.write(ev)
	}
	if s.opts.Sink != nil {
		s.opts.Sink(ownEvent(ev))
	}
}

// SelfExit is the name of a FaultFiring that no fault caused: the agent
// went away by itself.
const SelfExit = "(agent)"

func (s *Session) fired(f FaultFiring) {
	if len(s.faults) >= maxFaults {
		s.faults = append(s.faults[:0], s.faults[maxFaults/2:]...)
	}
	s.faults = append(s.faults, f)
}

// ownEvent is an event whose slices are copies: the World's events may
// point into buffers their callers reuse (a reader's read buffer), which a
// Sink that keeps events (the live TUI's player) must not see change.
func ownEvent(ev trace.Event) trace.Event {
	ev.Bytes = cloneSlice(ev.Bytes)
	ev.Src, ev.Lost, ev.Changed = cloneSlice(ev.Src), cloneSlice(ev.Lost), cloneSlice(ev.Changed)
	return ev
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// Close stops the session: the World ends now (its "end" events close the
// accounting), every connection is closed after what was queued for it is
// written, and the trace is flushed. It returns the oracle's summary.
func (s *Session) Close() (check.WireSummary, error) {
	s.stopOne.Do(func() {
		close(s.stopReq)
		s.mu.Lock()
		s.shutdown()
		s.mu.Unlock()
		close(s.stopped)
	})
	<-s.stopped
	s.wg.Wait()
	if s.tw != nil {
		if err := s.tw.close(); err != nil && s.err == nil {
			s.err = fmt.Errorf("live: trace: %w", err)
		}
	}
	return s.summary, s.err
}

// Ready is closed when the agent side is first up: at once for the
// simulated agent, when the first connection to a real one is made for a
// proxy. (On a unix-socket transport a client that connects before then is
// refused, as by an agent that does not listen yet.)
func (s *Session) Ready() <-chan struct{} { return s.ready }

// Report is the session's report once it is closed: the oracle's summary,
// the faults that fired, the times. The caller fills in Mode, Scenario and
// File.
func (s *Session) Report() *Report {
	<-s.stopped
	return &Report{Seed: s.cfg.Seed, Transport: transportOf(s.cfg), Speed: s.opts.Speed, Wall: s.wall, Virtual: s.virtual,
		Summary: s.summary, Faults: append([]FaultFiring(nil), s.faults...)}
}

// Done is closed when the session has ended.
func (s *Session) Done() <-chan struct{} { return s.stopped }

// Serve accepts connections on ln for the session until ctx ends or ln
// fails; each is a host client. It accepts one at a time, as qemu-ga does:
// the next connection is accepted when the current one is over, and waits
// in the listener's backlog meanwhile (connected, unread, sent nothing).
// It does not close the session.
func (s *Session) Serve(ctx context.Context, ln net.Listener) error {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ctx.Done():
			ln.Close()
		case <-s.stopped:
			ln.Close()
		case <-stop:
		}
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-s.stopped:
				return ErrClosed
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		p, err := s.accept(c)
		if err != nil {
			c.Close()
			return err
		}
		// One client at a time, as qemu-ga: the next connection is not
		// accepted until this one is over. Meanwhile it waits in the
		// listener's backlog: its connect succeeded, what it writes stays
		// in its socket unread, and nothing is written to it.
		select {
		case <-p.gone:
		case <-ctx.Done():
			return nil
		case <-s.stopped:
			return ErrClosed
		}
	}
}

// accept gives a connection the channel, or makes it wait for it.
func (s *Session) accept(c net.Conn) (*peer, error) {
	var p *peer
	err := s.act(time.Now(), func() {
		p = s.addPeer(c)
		if s.active == nil {
			s.activate(p)
		} else {
			s.waiting = append(s.waiting, p)
			s.logf("a client waits for the channel (another one has it)")
		}
	})
	if err != nil {
		return nil, err
	}
	s.readNow(p)
	go s.read(p)
	return p, nil
}

// Dial returns an in-process connection to the session: a client on it is
// a host client like one on a socket (net.Pipe underneath, so deadlines
// work and, under testing/synctest, fake time applies).
func (s *Session) Dial() (net.Conn, error) {
	client, server := net.Pipe()
	if _, err := s.accept(server); err != nil {
		client.Close()
		server.Close()
		return nil, err
	}
	return client, nil
}

// Serve runs a session on ln until ctx ends, then closes it and returns
// the oracle's summary: the simple way to put a scenario behind a
// listener.
func Serve(ctx context.Context, ln net.Listener, cfg sim.Config, opts Options) (check.WireSummary, error) {
	s, err := New(cfg, opts)
	if err != nil {
		return check.WireSummary{}, err
	}
	serr := s.Serve(ctx, ln)
	sum, err := s.Close()
	if serr != nil && !errors.Is(serr, ErrClosed) && err == nil {
		err = serr
	}
	return sum, err
}

// transportOf is the transport a configuration runs.
func transportOf(cfg sim.Config) string {
	tr := cfg.Transport
	if tr == "" {
		tr = cfg.Link.Transport
	}
	if tr == "" {
		tr = link.VirtioSerial
	}
	return tr
}
