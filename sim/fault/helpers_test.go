package fault

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// fakeEnv records what faults ask of the world.
type fakeEnv struct {
	events []trace.Event
	stalls []int64
	added  [][]byte
	agent  []AgentAction
	host   []HostAction
	held   int
	dead   bool // the agent is down: AgentAlive says false
}

func (e *fakeEnv) AgentAlive() bool { return !e.dead }

func (e *fakeEnv) Emit(ev trace.Event)                      { e.events = append(e.events, ev) }
func (e *fakeEnv) Stall(now int64, d link.Dir, until int64) { e.stalls = append(e.stalls, until) }
func (e *fakeEnv) Add(now int64, d link.Dir, data []byte)   { e.added = append(e.added, data) }
func (e *fakeEnv) Agent(now int64, a AgentAction)           { e.agent = append(e.agent, a) }
func (e *fakeEnv) Host(now int64, a HostAction)             { e.host = append(e.host, a) }
func (e *fakeEnv) CutHeld(now int64, d link.Dir, keep int) int {
	n := e.held
	e.held = 0
	return n
}

const testSeed = 42

func mk(t *testing.T, spec Spec) (Fault, *fakeEnv) {
	t.Helper()
	env := &fakeEnv{}
	f, err := New(spec, spec.Kind+"#1", rand.NewPCG(testSeed, 1), env)
	if err != nil {
		t.Fatalf("seed %d: %v", testSeed, err)
	}
	return f, env
}

// pass sends one write through f, with writer offsets from off.
func pass(f Fault, now int64, off int64, s string) link.Chunk {
	c := link.Chunk{Data: []byte(s), Src: make([]int64, len(s))}
	for i := range c.Src {
		c.Src[i] = off + int64(i)
	}
	f.Apply(now, &c)
	return c
}

func at(d time.Duration) *time.Duration { return &d }
func off(n int64) *int64                { return &n }

func spans(ss []trace.Span) string {
	s := ""
	for _, x := range ss {
		s += itoa(int(x.Off)) + "+" + itoa(int(x.N)) + " "
	}
	return s
}
