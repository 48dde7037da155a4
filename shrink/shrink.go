package shrink

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// Options tune a shrink.
type Options struct {
	Seed uint64 // the seed at which the scenario fails
	// Strategy runs the scenario under another client strategy ("" the
	// file's).
	Strategy string
	// Seeds is how many other seeds the result is tried at (0: 20): the
	// minimal scenario should fail at every one.
	Seeds int
	// Jobs is how many candidates run at once (0: one per CPU).
	Jobs int
	// Log, when set, is told each reduction as it is made, one line each.
	Log func(line string)
}

// Result is a shrunk scenario.
type Result struct {
	// Scenario is the minimal scenario: valid, with its head comment and
	// description saying where it comes from and what fails, and the
	// signature's expectation alone.
	Scenario  *scenarios.Scenario
	Signature Signature
	// Tried are the seeds the result was run at; FailsAt how many of them
	// it fails at with the signature.
	Tried   []uint64
	FailsAt int
	// Random lists the faults whose firings stayed random (the run could
	// not be reproduced with them fixed).
	Random []string
	Runs   int64         // runs made
	Wall   time.Duration // time taken
	From   Size          // the scenario given
	To     Size          // the result
}

// Size is how big a scenario is.
type Size struct {
	Faults, Steps int
	Duration      time.Duration
}

func (s Size) String() string {
	return fmt.Sprintf("%d faults, %d steps, %v", s.Faults, s.Steps, s.Duration)
}

func sizeOf(sc *scenarios.Scenario) Size {
	return Size{Faults: len(sc.Faults), Steps: len(sc.Steps), Duration: sc.Duration}
}

// ErrPasses is returned when the scenario does not fail at the seed.
var ErrPasses = errors.New("the run passes every expectation: there is no failure to shrink")

// shrinker holds one shrink.
type shrinker struct {
	start time.Time
	// endsSoon: the duration already ends with the request that fails; a
	// bisection of the long runs before it would be spent for nothing.
	endsSoon bool
	t        *tester
	log      func(string)
	file     string
}

func (s *shrinker) logf(format string, args ...any) {
	if s.log != nil {
		s.log(fmt.Sprintf("%6.1fs %5d runs  ", time.Since(s.start).Seconds(), s.t.runs.Load()) + fmt.Sprintf(format, args...))
	}
}

// Shrink finds a small scenario that fails as sc fails at o.Seed: the same
// failed expectation, shown by a request of the same command with the same
// verdict. It first fixes every fault that fired at random (and every
// periodic one) to the firings that happened at that seed, so that the
// result fails at every seed, not only at o.Seed; then it cuts the
// duration, removes faults and steps by delta debugging, and reduces the
// numbers that are left (sleeps, timeouts, durations of faults, agent
// latencies). sc is not changed. A scenario that passes at the seed gives
// ErrPasses. When ctx ends, the smallest scenario found so far is
// returned, with ctx's error.
func Shrink(ctx context.Context, sc *scenarios.Scenario, o Options) (*Result, error) {
	start := time.Now()
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	others := o.Seeds
	if others <= 0 {
		others = 20
	}
	orig := *sc
	if o.Strategy != "" && o.Strategy != orig.Client.Strategy {
		if orig.NotesFor == "" {
			orig.NotesFor = orig.Client.Strategy
		}
		orig.Client.Strategy, orig.Client.Custom = o.Strategy, nil
	}
	seed := o.Seed
	cfg, err := scenarios.Build(&orig, &seed)
	if err != nil {
		return nil, err
	}
	first, err := scenarios.Execute(&orig, cfg)
	if err != nil {
		return nil, fmt.Errorf("seed %d: %w", seed, err)
	}
	sig, failed := findSignature(&orig, &first.Summary)
	if !failed {
		return nil, fmt.Errorf("seed %d: %w", seed, ErrPasses)
	}
	s := &shrinker{start: start, t: &tester{ctx: ctx, sig: sig, seeds: []uint64{seed}, jobs: jobs}, log: o.Log, file: sc.File}
	s.logf("failure at seed %d: %s", seed, sig)

	// The original, its faults named as the World named them (a fault's
	// name seeds its random stream: removing one must not rename another).
	base := cand{sc: orig}
	base.sc.Faults = make([]fault.Spec, len(orig.Faults))
	for i, f := range orig.Faults {
		f.Name = resolvedName(f, i)
		base.sc.Faults[i] = f
		base.group = append(base.group, i)
	}
	for i := range orig.Steps {
		base.steps = append(base.steps, i)
	}
	base.sc.Expect = sig.Expect

	cur, random := s.fix(base, first.Events, seed)
	cur = s.endSoon(cur, first.Summary.Requests)
	cur = s.reduce(cur)

	res := &Result{Signature: sig, Random: random, From: sizeOf(sc)}
	res.Tried = triedSeeds(seed, others)
	res.FailsAt = s.t.count(cur, res.Tried)
	if res.FailsAt < len(res.Tried) && ctx.Err() == nil {
		cur = s.pinHarder(cur, res.Tried, &res.FailsAt)
	}
	exp, _ := s.t.expect(&cur)
	cur.sc.Expect = exp
	cur.sc.Seed = seed
	res.Scenario = s.describe(&cur.sc, sc, sig, res)
	res.To = sizeOf(res.Scenario)
	res.Runs, res.Wall = s.t.runs.Load(), time.Since(start)
	return res, ctx.Err()
}

// endSoon ends the run just after the request that shows the failure
// ended, if it still fails so: the first cut of the duration, one run
// instead of a bisection of long ones.
func (s *shrinker) endSoon(c cand, reqs []check.Request) cand {
	var end int64 = -1
	for _, r := range reqs {
		if r.Cmd == s.t.sig.Cmd && (r.Verdict == s.t.sig.Verdict || s.t.sig.Unanswered && !r.Answered) {
			end = max(end, r.Ended, r.Issued)
		}
	}
	if end < 0 {
		return c
	}
	d := (time.Duration(end) + 2*time.Millisecond).Truncate(time.Millisecond)
	if d >= c.sc.Duration {
		return c
	}
	x := c
	x.sc.Duration = d
	if s.t.holds(x) {
		s.logf("duration %v -> %v (the request that fails ends at %v)", c.sc.Duration, d, time.Duration(end))
		s.endsSoon = true
		return s.dropAfterEnd(x)
	}
	return c
}

// triedSeeds are the seed of the failure and the n seeds from 1 up that
// are not it.
func triedSeeds(seed uint64, n int) []uint64 {
	out := []uint64{seed}
	for s := uint64(1); len(out) <= n; s++ {
		if s != seed {
			out = append(out, s)
		}
	}
	return out
}

// fix replaces the faults that fired at random (or periodically) by their
// firings at the seed. If the whole does not fail the same way, it fixes
// the faults one at a time and keeps each that does; the faults left
// random are returned by name.
func (s *shrinker) fix(base cand, events []trace.Event, seed uint64) (cand, []string) {
	expanded, groups := expand(base.sc.Faults, events, seed, s.file)
	of := make([][]fault.Spec, len(base.sc.Faults))
	for i, g := range groups {
		of[g] = append(of[g], expanded[i])
	}
	var which []int
	for i, f := range base.sc.Faults {
		if expandable(f) {
			which = append(which, i)
		}
	}
	if len(which) == 0 {
		return base, nil
	}
	build := func(fixed map[int]bool) cand {
		c := base
		c.sc.Faults, c.group = nil, nil
		for i, f := range base.sc.Faults {
			specs := []fault.Spec{f}
			if fixed[i] {
				specs = of[i]
			}
			for _, x := range specs {
				c.sc.Faults = append(c.sc.Faults, x)
				c.group = append(c.group, i)
			}
		}
		return c
	}
	all := map[int]bool{}
	for _, i := range which {
		all[i] = true
	}
	if c := build(all); s.t.holds(c) {
		s.logf("fixed %d faults to the %d firings they made at seed %d: %d faults", len(which), countIn(groups, all), seed, len(c.sc.Faults))
		return c, nil
	}
	s.logf("the %d faults fixed to their firings together do not fail the same way: fixing them one at a time", len(which))
	fixed := map[int]bool{}
	var random []string
	for _, i := range which {
		fixed[i] = true
		if s.t.holds(build(fixed)) {
			s.logf("fixed %s to its %d firings", base.sc.Faults[i].Name, len(of[i]))
			continue
		}
		delete(fixed, i)
		random = append(random, base.sc.Faults[i].Name)
		s.logf("%s stays random: fixed to its firings, the run does not fail the same way", base.sc.Faults[i].Name)
	}
	return build(fixed), random
}

func countIn(groups []int, set map[int]bool) int {
	n := 0
	for _, g := range groups {
		if set[g] {
			n++
		}
	}
	return n
}
