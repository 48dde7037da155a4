package scenarios

import (
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
)

// Version is the scenario format version this package reads.
const Version = 1

// Scenario is a scenario file, decoded and checked. Build turns it into a
// simulation configuration.
type Scenario struct {
	File        string
	Name        string
	Description string
	Seed        uint64
	Duration    time.Duration
	Transport   string
	Agent       AgentSpec
	Client      ClientSpec
	Link        LinkSpec
	Faults      []FaultSpec
	Steps       []StepSpec
	Expect      Expect
}

// AgentSpec is the simulated guest and its agent.
type AgentSpec struct {
	Version     string
	Blocked     []string
	Latency     map[string]time.Duration
	HostName    string
	OS          agent.OSInfo
	Files       map[string][]byte
	Programs    map[string]agent.Program
	Filesystems int
	Frozen      bool // the agent starts frozen (the state directory has the marker)
}

// ClientSpec is the host client.
type ClientSpec struct {
	Strategy string
	Options  client.Options
}

// DirSpec shapes one direction of the link; zero fields take the transport's defaults.
type DirSpec struct {
	Latency, Jitter time.Duration
	Baud            int
	ReadMax         int
	Capacity        int
}

// LinkSpec is the link, per direction.
type LinkSpec struct {
	ToAgent, ToHost DirSpec
}

// FaultSpec is one entry of "faults": a kind, a direction, its parameters and
// a trigger, kept as written so that the fault table can check and build it.
type FaultSpec struct {
	Name      string // names the fault in the report and the trace; default kind#n
	Kind      string
	Direction string // "to-agent", "to-host" or "" (the kind's default)
	Params    map[string]Param
	Trigger   TriggerSpec
	Line, Col int
}

// Param is one fault parameter as written: a number, or a string (its
// byte escapes processed) that the fault table reads as a duration, bytes
// or a word.
type Param struct {
	Number   float64
	Bytes    []byte
	Text     string
	IsNumber bool
	Line     int
	Col      int
}

// TriggerSpec says when a fault fires. Zero fields are unset.
type TriggerSpec struct {
	At          time.Duration // at a virtual time
	HasAt       bool
	Every       time.Duration // every interval
	AfterBytes  int64         // after N bytes in the fault's direction
	hasAfter    bool
	OnBytes     []byte        // when these bytes pass (0xFF, "return", "\n")
	Probability float64       // fire with this probability when the trigger is met (per byte for drop-like faults)
	MaxCount    int           // at most this many times (0: no limit)
	From, Until time.Duration // fire only inside this window of virtual time (Until 0: no end)
}

// StepSpec is one step of the host program: exactly one action, and a note.
type StepSpec struct {
	Send       string // a command for the client
	Arguments  []byte // its arguments as JSON text
	Timeout    time.Duration
	Raw        []byte // bytes written on the channel as they are
	Sleep      time.Duration
	Disconnect bool
	Reconnect  bool
	Note       string
	Line       int
}

// Expect is what must hold at the end of the run. Nil fields are not checked.
type Expect struct {
	AllAnswered   *bool
	Correct       *int
	Misattributed *int
	Lost          *int
	Hung          *int
	TimedOut      *int
	Failed        *int
	Dropped       *int // agent replies lost to a failed write (Illegal seek)
	MaxResync     *time.Duration
	Requests      []RequestExpect
}

// RequestExpect is what must hold for one request (numbered in step order from 1).
type RequestExpect struct {
	Request  int
	Verdict  string // a check.Verdict
	Outcome  string // returned, error, timed out, failed
	Class    string // the error class of the reply
	Contains string // text the reply or the detail must contain
	Line     int
	Col      int
}

func (e Expect) isEmpty() bool {
	return e.AllAnswered == nil && e.Correct == nil && e.Misattributed == nil && e.Lost == nil &&
		e.Hung == nil && e.TimedOut == nil && e.Failed == nil && e.Dropped == nil && e.MaxResync == nil && len(e.Requests) == 0
}
