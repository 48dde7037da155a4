package scenarios

import (
	"time"

	"github.com/qgasim/qgasim/sim"
)

// Version is the scenario format version this package reads and writes.
const Version = 1

// Scenario is a scenario file as typed data: the World's configuration with
// a name, a description and what must hold at the end. Load reads one,
// Write writes one, and a program may change one in between (drop a fault,
// turn a trigger into fixed firings, remove steps, shorten a sleep):
// Load(Write(s)) == s for every scenario Load returns.
//
// The embedded sim.Config is what the World runs: Seed, Duration,
// Transport, Agent, Client, Link, Faults, Steps, MaxEvents. The loader
// fills in the format's defaults (DefaultDuration, DefaultTransport,
// DefaultStrategy, seed 1) so that a loaded scenario says everything
// explicitly. Config fields the format has no key for (Sink, NoKeep,
// agent.Config.BootEpoch, ...) are neither read nor written.
type Scenario struct {
	sim.Config

	// File is the path it was read from, for messages ("" when built by a
	// program).
	File string
	// Comment is the comment block at the top of the file, without its
	// '#' marks: who wrote the file and why ("saved by qgasim tui ...").
	Comment     string
	Name        string
	Description string
	Expect      Expect

	// src holds positions in the file, for problems found after loading
	// (the event budget); nil for a scenario built by a program.
	src *source
}

// Expect is what must hold at the end of the run. Nil fields are not checked.
type Expect struct {
	AllAnswered   *bool
	Correct       *int
	Misattributed *int
	NotExecuted   *int // requests the agent never ran: their bytes were glued to others
	Lost          *int
	Hung          *int
	TimedOut      *int
	Failed        *int
	Dropped       *int // agent replies lost to a failed write (Illegal seek)
	MaxResync     *time.Duration
	// ResyncEpisodes is how many resync episodes the run has.
	ResyncEpisodes *int
	// LostBytes is how many bytes were named lost in flight, per
	// direction (by a fault or the transport).
	LostBytes LostBytes
	// Never lists what no request of the run may be: each is its own
	// result, "never: misattributed", which a sweep counts.
	Never    []string
	Requests []RequestExpect
	Resyncs  []ResyncExpect
}

// LostBytes is the bytes lost in flight per direction; nil is not checked.
type LostBytes struct {
	ToAgent, ToHost *int64
}

// RequestExpect is what must hold for one request (numbered in step order from 1).
type RequestExpect struct {
	Request     int
	Verdict     string // a check.Verdict
	Outcome     string // returned, error, timed out, failed
	Class       string // the error class of the reply
	Contains    string // text the reply or the detail must contain
	NotContains string // text neither the reply nor the detail may contain
	// OutcomeAfter and OutcomeBefore bound the virtual time of the
	// request's outcome: at or after, and before.
	OutcomeAfter, OutcomeBefore *time.Duration
}

// ResyncExpect is what must hold for one resync episode (numbered in the
// order they start, from 1).
type ResyncExpect struct {
	Episode int
	// StartsAfter: it starts at or after this virtual time; EndsBefore: it
	// ends (the client is back in sync) before it; LastsAtMost: it takes
	// at most this long. An episode that never ends meets neither of the
	// last two.
	StartsAfter, EndsBefore, LastsAtMost *time.Duration
}

func (e Expect) isEmpty() bool {
	return e.AllAnswered == nil && e.Correct == nil && e.Misattributed == nil && e.NotExecuted == nil && e.Lost == nil &&
		e.Hung == nil && e.TimedOut == nil && e.Failed == nil && e.Dropped == nil && e.MaxResync == nil &&
		e.ResyncEpisodes == nil && e.LostBytes == (LostBytes{}) && len(e.Never) == 0 && len(e.Requests) == 0 && len(e.Resyncs) == 0
}

// source is where the parts of a loaded scenario are in its file, by path
// ("faults[1].trigger.every", "expect.requests[0]").
type source struct {
	pos map[string]filePos
}

type filePos struct{ line, col int }

// at returns the position of path, or of its nearest recorded parent.
func (s *source) at(path string) (line, col int) {
	if s == nil {
		return 0, 0
	}
	for p := path; p != ""; p = parentPath(p) {
		if x, ok := s.pos[p]; ok {
			return x.line, x.col
		}
	}
	return 0, 0
}

// parentPath is "faults[1].trigger" for "faults[1].trigger.every" and
// "faults" for "faults[1]".
func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '.':
			return p[:i]
		case '[':
			return p[:i]
		}
	}
	return ""
}
