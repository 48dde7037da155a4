package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// Config is one run of the World: plain Go values (the scenario loader
// builds it from YAML).
type Config struct {
	Seed uint64
	// Duration ends the run at this virtual time; 0 means DefaultDuration.
	// The run also ends as soon as every step is done and nothing is in
	// flight.
	Duration time.Duration
	// Transport is "virtio-serial" (the default), "isa-serial" or
	// "unix-socket"; it wins over Link.Transport when set.
	Transport string
	Agent     agent.Config
	Link      link.Config
	Faults    []fault.Spec
	Steps     []Step
	// Repeat runs the host program this many times over (0 and 1: once),
	// so that a long run (a soak) needs no long configuration. Requests are
	// numbered on across the rounds; step events give the step's index in
	// the program.
	Repeat int
	// Client is the host client: a strategy by name and its options (or a
	// strategy of your own, client.Spec.Custom). The World builds it with
	// its own random stream. Required.
	Client client.Spec
	// NotesFor is the client strategy the steps' Note was written for
	// ("": Client.Strategy). A scenario's notes are written for its own
	// strategy; a view that switches the strategy (the TUI's s) keeps the
	// old one here, so that it can say a note may not hold for the client
	// it shows.
	NotesFor string
	// Sink, if set, receives every event as it happens. The event is the
	// World's, lent for the call only: the World fills the same Event
	// again for a later one, so a Sink neither changes it nor keeps the
	// pointer (it keeps a copy, *ev, whose slices and pointers stay
	// valid as before).
	Sink func(ev *trace.Event)
	// NoKeep stops the World from keeping the events (Trace returns none);
	// use with Sink for long runs.
	NoKeep bool
	// SinkReads, when not nil and NoKeep is set, names the only kinds of
	// event the Sink reads (a sweep's oracle reads a few). The World may
	// then leave events of other kinds unbuilt: their numbers are still
	// taken, so every event the Sink gets has the Seq it has in the full
	// trace, and the Sink may still get events of other kinds.
	SinkReads []string
	// MaxEvents is the run's event budget; 0 means DefaultMaxEvents.
	MaxEvents int64
	// Host, when set, makes the host a real client (endpoints.go):
	// NewClient and Steps are not used and must be empty.
	Host *ExternalHost
	// ExternalAgent, when set, makes the agent a real qemu-ga
	// (endpoints.go). Faults that run commands in the guest (freeze, thaw)
	// need the simulated agent.
	ExternalAgent *ExternalAgent
}

// DefaultDuration bounds a run whose Config gives no Duration.
const DefaultDuration = 10 * time.Minute

// Step is one action of the host program. Exactly one of Send, Raw, Sleep,
// Disconnect, Reconnect, WaitAll, StopReading and RestartClient is set, or
// none for a step that is only a Note.
type Step struct {
	Note string // emitted as a "note" event when the step is reached
	// Notes are notes written for one client strategy each, by its name;
	// "any" is for every strategy. The World emits one note a step: the
	// one for its strategy, else "any", else Note, else the one for
	// Config.NotesFor or the first by name; the note event's State names
	// the strategy it was written for ("" any), so that a view can say
	// when it was written for another.
	Notes      map[string]string
	Send       *Send
	Raw        *Raw
	Sleep      *Sleep
	Disconnect bool // the host closes the channel (the client sees it closed)
	Reconnect  bool // the host opens the channel again (closing it first if open)
	// WaitAll waits until every caller the program started has its
	// outcome (the callers of sends that did not wait).
	WaitAll bool
	// StopReading: the host program stops reading the channel for a
	// while, and goes on at once (backpressure).
	StopReading *StopReading
	// RestartClient: the host program (libvirtd, a daemon) restarts with
	// the channel kept: see RestartClient.
	RestartClient *RestartClient
}

// Send asks the client for a command for a caller. The program waits for
// its outcome, unless NoWait: then the caller waits in a thread of its own
// and the program goes on at once, so that callers run concurrently on one
// connection (the client's lock decides how: client.Lock).
type Send struct {
	Execute   string
	Arguments string // the arguments object as JSON text, "" for none
	Timeout   time.Duration
	NoWait    bool
}

// StopReading is the host not reading the channel for D: what the agent
// writes meanwhile stays in the link, and once the transport's capacity is
// full the agent's write blocks (virtio-serial about 362 KB, isa-serial's
// UART and socket 278 bytes, a unix socket about 100 KB), so it reads
// nothing more either until the host reads again.
type StopReading struct{ D time.Duration }

// RestartClient is the host program's process restarting (libvirtd
// restarted, a daemon upgraded): the callers waiting in it lose it (their
// requests fail), its connection closes without the client being told,
// and after Down a fresh client of the same strategy, with none of the old
// one's state, opens the channel again. The channel itself, QEMU's chardev,
// is kept, with what it holds: a reply still on its way reaches the new
// client.
type RestartClient struct{ Down time.Duration }

// Raw writes bytes directly on the channel, past the client (Seq 0).
type Raw struct{ Bytes []byte }

// Sleep waits.
type Sleep struct{ D time.Duration }

// String describes the step for the trace.
func (s Step) String() string {
	switch {
	case s.Send != nil:
		d := "send " + s.Send.Execute
		if s.Send.Arguments != "" {
			d += " " + s.Send.Arguments
		}
		if s.Send.NoWait {
			d += " (the program goes on)"
		}
		return d
	case s.Raw != nil:
		return "raw " + trace.Quote(s.Raw.Bytes)
	case s.Sleep != nil:
		return "sleep " + s.Sleep.D.String()
	case s.Disconnect:
		return "disconnect"
	case s.Reconnect:
		return "reconnect"
	case s.WaitAll:
		return "wait for every caller"
	case s.StopReading != nil:
		return "stop reading for " + s.StopReading.D.String()
	case s.RestartClient != nil:
		return "restart the client (down " + s.RestartClient.Down.String() + ")"
	}
	return "note"
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("sim: bad configuration")

// Validate reports every problem of the configuration at once.
func (c Config) Validate() error {
	var errs []string
	switch {
	case c.Host != nil && (c.Client.Strategy != "" || c.Client.Custom != nil || len(c.Steps) > 0):
		errs = append(errs, "a real host (Host) runs no simulated client and no steps")
	case c.Host != nil && c.Host.Deliver == nil:
		errs = append(errs, "a real host needs Host.Deliver")
	case c.Host == nil && c.Client.Strategy == "" && c.Client.Custom == nil:
		errs = append(errs, "no client (Client.Strategy is empty)")
	case c.Host == nil:
		if err := c.Client.Validate(); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if a := c.ExternalAgent; a != nil {
		if a.Deliver == nil {
			errs = append(errs, "a real agent needs ExternalAgent.Deliver")
		}
		for i, f := range c.Faults {
			if f.Kind == "freeze" || f.Kind == "thaw" {
				errs = append(errs, fmt.Sprintf("fault %d: %s runs a command inside the guest: it needs the simulated agent, not a real one", i+1, f.Kind))
			}
		}
	}
	if c.Duration < 0 {
		errs = append(errs, "negative duration")
	}
	if c.Repeat < 0 {
		errs = append(errs, "negative repeat")
	}
	lc := c.linkConfig()
	if err := lc.Validate(); err != nil {
		errs = append(errs, err.Error())
	}
	for i := range c.Steps {
		s := &c.Steps[i]
		if s.actions() > 1 {
			errs = append(errs, fmt.Sprintf("step %d: more than one action", i+1))
		}
		if s.Send != nil && s.Send.Execute == "" {
			errs = append(errs, fmt.Sprintf("step %d: send without a command", i+1))
		}
		if s.Sleep != nil && s.Sleep.D < 0 {
			errs = append(errs, fmt.Sprintf("step %d: negative sleep", i+1))
		}
		if s.StopReading != nil && s.StopReading.D < 0 {
			errs = append(errs, fmt.Sprintf("step %d: negative stop-reading", i+1))
		}
		if s.RestartClient != nil && s.RestartClient.Down < 0 {
			errs = append(errs, fmt.Sprintf("step %d: negative restart-client down time", i+1))
		}
	}
	for i, f := range c.Faults {
		for _, p := range fault.Check(f) {
			errs = append(errs, fmt.Sprintf("fault %d (%s): %s", i+1, f.Kind, p))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrConfig, strings.Join(errs, "; "))
	}
	return nil
}

// actions counts the actions set in the step (Validate wants at most one).
// Spelled out, not looped over a slice: New validates every step of a
// long program on every run.
func (s *Step) actions() int {
	n := 0
	if s.Send != nil {
		n++
	}
	if s.Raw != nil {
		n++
	}
	if s.Sleep != nil {
		n++
	}
	if s.Disconnect {
		n++
	}
	if s.Reconnect {
		n++
	}
	if s.WaitAll {
		n++
	}
	if s.StopReading != nil {
		n++
	}
	if s.RestartClient != nil {
		n++
	}
	return n
}

func (c Config) linkConfig() link.Config {
	lc := c.Link
	if c.Transport != "" {
		lc.Transport = c.Transport
	}
	return lc
}

func faultName(f fault.Spec, i int) string {
	if f.Name != "" {
		return f.Name
	}
	return fmt.Sprintf("%s#%d", f.Kind, i+1)
}
