package shrink

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// cand is a scenario on its way down, with where its parts come from.
type cand struct {
	sc    scenarios.Scenario
	steps []int // for each step, its index in the original program
	group []int // for each fault, the original fault it stands for
}

// withFaults is c with only the faults at the indices keep (sorted).
func (c cand) withFaults(keep []int) cand {
	out := c
	out.sc.Faults, out.group = pick(c.sc.Faults, keep), pick(c.group, keep)
	return out
}

// withSteps is c with only the steps at the indices keep (sorted).
func (c cand) withSteps(keep []int) cand {
	out := c
	out.sc.Steps, out.steps = pick(c.sc.Steps, keep), pick(c.steps, keep)
	return out
}

// pick is a new slice of the elements of s at the indices keep, in order.
func pick[T any](s []T, keep []int) []T {
	out := make([]T, len(keep))
	for i, k := range keep {
		out[i] = s[k]
	}
	return out
}

// withFault is c with fault i replaced.
func (c cand) withFault(i int, f fault.Spec) cand {
	out := c
	out.sc.Faults = append([]fault.Spec(nil), c.sc.Faults...)
	out.sc.Faults[i] = f
	return out
}

// withStep is c with step i replaced.
func (c cand) withStep(i int, st sim.Step) cand {
	out := c
	out.sc.Steps = append([]sim.Step(nil), c.sc.Steps...)
	out.sc.Steps[i] = st
	return out
}

// tester runs candidates and tells whether they fail the same way.
type tester struct {
	ctx   context.Context
	sig   Signature
	seeds []uint64
	jobs  int
	runs  atomic.Int64
}

// expect is the signature's expectation for c: an expectation about one
// request names it by its number in c, which follows its send step.
func (t *tester) expect(c *cand) (scenarios.Expect, bool) {
	e := t.sig.Expect
	if t.sig.step < 0 {
		return e, true
	}
	n := 0
	for i, st := range c.sc.Steps {
		if st.Send != nil {
			n++
		}
		if c.steps[i] == t.sig.step {
			r := e.Requests[0]
			r.Request = n
			e.Requests = []scenarios.RequestExpect{r}
			return e, true
		}
	}
	return e, false // its send is gone
}

// holds reports whether c shows the signature at every seed of t.
func (t *tester) holds(c cand) bool {
	return t.failsAt(c, t.seeds) == len(t.seeds)
}

// failsAt is at how many of seeds c shows the signature; it stops at the
// first seed where it does not, unless all is asked.
func (t *tester) failsAt(c cand, seeds []uint64) int {
	exp, ok := t.expect(&c)
	if !ok {
		return 0
	}
	sc := c.sc
	sc.Expect = exp
	n := 0
	for _, seed := range seeds {
		if t.ctx.Err() != nil {
			return n
		}
		s := seed
		cfg, err := scenarios.Build(&sc, &s)
		if err != nil {
			return n
		}
		t.runs.Add(1)
		run, err := scenarios.ExecuteContext(t.ctx, &sc, cfg, scenarios.RunOptions{})
		if err != nil || !t.sig.shows(exp, &run.Summary) {
			return n
		}
		n++
	}
	return n
}

// stepTimes runs c at the first seed and says when each step began (-1:
// never reached) and when the run ended.
func (t *tester) stepTimes(c cand) ([]int64, int64) {
	start := make([]int64, len(c.sc.Steps))
	for i := range start {
		start[i] = -1
	}
	sc := c.sc
	seed := t.seeds[0]
	cfg, err := scenarios.Build(&sc, &seed)
	if err != nil {
		return start, 0
	}
	t.runs.Add(1)
	run, err := scenarios.ExecuteContext(t.ctx, &sc, cfg, scenarios.RunOptions{Sink: func(ev trace.Event) error {
		if ev.Kind == trace.KindStep && ev.Step >= 1 && ev.Step <= len(start) && start[ev.Step-1] < 0 {
			start[ev.Step-1] = ev.T
		}
		return nil
	}})
	if err != nil {
		return start, 0
	}
	return start, run.Virtual
}

// count is at how many of seeds c shows the signature, trying them all.
func (t *tester) count(c cand, seeds []uint64) int {
	n := 0
	for _, s := range seeds {
		n += t.failsAt(c, []uint64{s})
	}
	return n
}

// first is the index of the first candidate that holds, -1 if none. The
// candidates run jobs at a time; the answer does not depend on jobs.
func (t *tester) first(cs []cand) int {
	for lo := 0; lo < len(cs); lo += t.jobs {
		hi := min(lo+t.jobs, len(cs))
		ok := make([]bool, hi-lo)
		var wg sync.WaitGroup
		for i := lo; i < hi; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok[i-lo] = t.holds(cs[i])
			}()
		}
		wg.Wait()
		for i, y := range ok {
			if y {
				return lo + i
			}
		}
		if t.ctx.Err() != nil {
			return -1
		}
	}
	return -1
}
