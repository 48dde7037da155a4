package fault

import (
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
	// Dir is "h2a" or "a2h"; empty means the kind's default (a2h for
	// truncate and restart-agent, h2a for the others).
	Dir     string
	Params  map[string]any
	Trigger Trigger
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
}

// AgentAction is what a process fault does to the agent.
type AgentAction struct {
	Kind  string // "restart", "reboot", "freeze", "thaw"
	Down  int64  // restart/reboot: down time (ns); freeze: thaw after (0: never)
	Fault string // the fault's kind and name, for the trace
	Name  string
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

type constructor func(b *base, p *params) (Fault, error)

// Table names every fault kind: an explicit map, no init() registration.
var Table = map[string]constructor{
	"drop":           newDrop,
	"burst":          newBurst,
	"corrupt":        newCorrupt,
	"duplicate":      newDuplicate,
	"truncate":       newTruncate,
	"stall":          newStall,
	"delay":          newDelay,
	"rechunk":        newRechunk,
	"inject":         newInject,
	"restart-agent":  newRestart,
	"reboot":         newReboot,
	"reconnect-host": newReconnect,
	"freeze":         newFreeze,
	"thaw":           newThaw,
}

// Kinds returns the valid kinds, sorted.
func Kinds() []string {
	ks := make([]string, 0, len(Table))
	for k := range Table {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// DefaultDir is the direction a kind watches when the Spec gives none.
func DefaultDir(kind string) link.Dir {
	switch kind {
	case "truncate", "restart-agent", "reboot":
		return link.A2H
	}
	return link.H2A
}

// New builds the fault a Spec describes. name is the resolved instance
// name (the World fills it in when Spec.Name is empty); rng is the fault's
// own stream.
func New(spec Spec, name string, rng *rand.Rand, env Env) (Fault, error) {
	mk, ok := Table[spec.Kind]
	if !ok {
		return nil, fmt.Errorf("fault: unknown kind %q (valid: %s)", spec.Kind, strings.Join(Kinds(), ", "))
	}
	d := DefaultDir(spec.Kind)
	if spec.Dir != "" {
		var err error
		if d, err = link.ParseDir(spec.Dir); err != nil {
			return nil, fmt.Errorf("fault %s: %w", spec.Kind, err)
		}
	}
	if err := spec.Trigger.validate(); err != nil {
		return nil, fmt.Errorf("fault %s: %w", spec.Kind, err)
	}
	b := &base{name: name, kind: spec.Kind, dir: d, trig: spec.Trigger, rng: rng, env: env}
	b.start()
	return mk(b, &params{kind: spec.Kind, m: spec.Params})
}

func (t Trigger) validate() error {
	var errs []string
	if t.Probability < 0 || t.Probability > 1 {
		errs = append(errs, fmt.Sprintf("trigger probability %g not in [0, 1]", t.Probability))
	}
	if t.Every < 0 || t.Max < 0 || t.From < 0 || t.Until < 0 || (t.At != nil && *t.At < 0) || (t.AfterBytes != nil && *t.AfterBytes < 0) {
		errs = append(errs, "trigger values must not be negative")
	}
	if t.Until != 0 && t.Until <= t.From {
		errs = append(errs, "trigger until must be after from")
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
