package fault

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// Spec is one fault as plain data, as a scenario file gives it.
type Spec struct {
	// Name names this fault in the trace and seeds its random stream;
	// empty means "<kind>#<n>" with n its place in the list, from 1.
	Name string
	Kind string
	// Dir is "h2a" or "a2h"; empty means the kind's default (Kind.Dir).
	Dir string
	// Params are the kind's parameters, typed as its declaration says.
	Params  Params
	Trigger Trigger
	// Note says what the fault stands for, for people (a scenario's note,
	// "injected by hand at 2.000s"); the fault does not read it.
	Note string
}

// Trigger says when a fault fires. Zero fields are unset; a Trigger with no
// condition at all makes the fault continuous.
type Trigger struct {
	At    *time.Duration // first (or only) firing at this virtual time
	Every time.Duration  // then again every interval (from At, or from Every)
	// AfterBytes fires when the byte at this offset of the direction
	// passes (offsets count the bytes this fault has seen, from 0).
	AfterBytes *int64
	// On fires when these bytes pass (at the last byte of the match):
	// "\xff", `"return"`, "\n".
	On []byte
	// Probability is the chance that each occasion fires (0 means 1). With
	// no other condition every byte is an occasion.
	Probability float64
	Max         int           // at most this many firings; 0 no limit
	From, Until time.Duration // fire only in [From, Until); Until 0 no end
}

// Env is what a fault may ask of the world around the link. Process
// actions take effect right after the current write.
type Env interface {
	Emit(ev trace.Event)
	Stall(now int64, d link.Dir, until int64)
	Add(now int64, d link.Dir, data []byte)
	CutHeld(now int64, d link.Dir, keep int) int
	Agent(now int64, act AgentAction)
	Host(now int64, act HostAction)
	// AgentAlive reports whether an agent process runs and no kill of it
	// is pending: a restart or reboot that finds it dead has no effect.
	AgentAlive() bool
}

// AgentAction is what a process fault does to the agent.
type AgentAction struct {
	Kind string // "restart", "reboot", "freeze", "thaw", "pause", "continue", "stop"
	// Down is restart's, reboot's and stop's down time (ns, from the death
	// or the exit), freeze's thaw after and pause's continue after (0:
	// never).
	Down  int64
	Fault string // the fault's kind and name, for the trace
	Name  string
	Dir   string // the direction the fault watches ("h2a", "a2h"), for the trace
}

// HostAction is a host reconnect: close now, reopen after Down.
type HostAction struct {
	Down        int64
	Fault, Name string
}

// Fault is one injector.
type Fault interface {
	link.Stage
	Name() string
	Kind() string
	Dir() link.Dir
	// NextFire is the time of the next time-trigger firing.
	NextFire() (int64, bool)
	// Fire is called at NextFire (and by hand, for Inject): a process or
	// timing fault acts, a byte fault arms itself for the next byte.
	Fire(now int64)
}

// Kinds returns the valid kinds, sorted.
func Kinds() []string { return sortedNames(Table) }

func sortedNames[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// DefaultDir is the direction a kind watches when the Spec gives none.
func DefaultDir(kind string) link.Dir {
	if k, ok := Lookup(kind); ok {
		return k.Dir
	}
	return link.H2A
}

// ErrSpec is wrapped by every error of New: the Spec does not match its
// kind's declaration.
var ErrSpec = errors.New("fault: bad spec")

// New checks a Spec against its kind's declaration (Check) and builds the
// fault, once. name is the resolved instance name (the World fills it in
// when Spec.Name is empty); src is the fault's own random stream.
func New(spec Spec, name string, src *rand.PCG, env Env) (Fault, error) {
	if probs := Check(spec); len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.String()
		}
		return nil, fmt.Errorf("%w: %s: %s", ErrSpec, spec.Kind, strings.Join(msgs, "; "))
	}
	k := Table[spec.Kind]
	d := k.Dir
	if spec.Dir != "" {
		d, _ = link.ParseDir(spec.Dir)
	}
	b := &base{name: name, kind: spec.Kind, dir: d, trig: spec.Trigger, src: src, env: env}
	b.start()
	return k.build(b, values{k: k, m: spec.Params}), nil
}
