package shrink

import (
	"bytes"
	"sort"
	"strconv"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/fault"
)

// reduce makes c smaller until nothing more can go: the duration, whole
// faults of the original, single firings, the steps, then the numbers;
// again while a round changes something. (The steps go after the faults:
// a firing fixed to bytes finds other bytes when the request it hit is
// gone, and the faults left would make noise of their own.)
func (s *shrinker) reduce(c cand) cand {
	for round := 0; round < 4 && s.t.ctx.Err() == nil; round++ {
		before := scenarios.Write(&c.sc)
		if round > 0 || !s.endsSoon {
			c = s.cutDuration(c)
		}
		c = s.dropFaultGroups(c)
		c = s.dropFaults(c)
		c = s.dropSteps(c)
		c = s.dropSleeps(c)
		c = s.shiftTime(c)
		c = s.numbers(c)
		if bytes.Equal(before, scenarios.Write(&c.sc)) {
			break
		}
	}
	return c
}

// cutDuration ends the run as early as it can, to the millisecond.
func (s *shrinker) cutDuration(c cand) cand {
	d := c.sc.Duration
	best, v, ok := s.smallestDur(c, d, time.Millisecond, time.Millisecond, func(c cand, v time.Duration) cand {
		c.sc.Duration = v
		return c
	})
	if ok && v < d {
		c = best
		s.logf("duration %v -> %v", d, v)
	}
	return s.dropAfterEnd(c)
}

// dropAfterEnd removes the faults that can fire only after the end.
func (s *shrinker) dropAfterEnd(c cand) cand {
	var keep []int
	for i, f := range c.sc.Faults {
		if !afterEnd(f, c.sc.Duration) {
			keep = append(keep, i)
		}
	}
	if len(keep) < len(c.sc.Faults) {
		s.logf("faults: %d -> %d (the others fire after the end)", len(c.sc.Faults), len(keep))
		c = c.withFaults(keep)
	}
	return c
}

// afterEnd reports a fault whose trigger cannot fire before d.
func afterEnd(f fault.Spec, d time.Duration) bool {
	t := f.Trigger
	return t.From >= d || (t.At != nil && *t.At >= d && t.Every == 0)
}

// dropFaultGroups removes whole faults of the original scenario.
func (s *shrinker) dropFaultGroups(c cand) cand {
	var groups []int
	seen := map[int]bool{}
	for _, g := range c.group {
		if !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	if len(groups) < 2 {
		return c
	}
	build := func(keep []int) cand {
		want := map[int]bool{}
		for _, k := range keep {
			want[groups[k]] = true
		}
		var idx []int
		for i, g := range c.group {
			if want[g] {
				idx = append(idx, i)
			}
		}
		return c.withFaults(idx)
	}
	keep := s.ddmin(len(groups), build)
	if len(keep) == len(groups) {
		return c
	}
	out := build(keep)
	s.logf("faults of the file: %d -> %d (%d faults)", len(groups), len(keep), len(out.sc.Faults))
	return out
}

// dropFaults removes single faults (firings). The delta debugging goes
// over them in the order of their times, so that its chunks are stretches
// of the run: what fails usually needs the firings of one stretch.
func (s *shrinker) dropFaults(c cand) cand {
	n := len(c.sc.Faults)
	order := allIdx(n)
	sort.SliceStable(order, func(a, b int) bool { return when(c.sc.Faults[order[a]]) < when(c.sc.Faults[order[b]]) })
	build := func(keep []int) cand {
		idx := make([]int, len(keep))
		for i, k := range keep {
			idx[i] = order[k]
		}
		sort.Ints(idx) // the faults keep their order: it is the order of the stages
		return c.withFaults(idx)
	}
	keep := s.ddmin(n, build)
	if len(keep) == n {
		return c
	}
	s.logf("faults: %d -> %d", n, len(keep))
	return build(keep)
}

// when is the time a fault is fixed to (-1: none).
func when(f fault.Spec) time.Duration {
	t := f.Trigger
	switch {
	case t.At != nil:
		return *t.At
	case t.From > 0 || t.Until > 0:
		return t.From
	}
	return -1
}

// dropSteps removes steps of the host program. A run of removed steps
// leaves a sleep as long as they took at the seed, so that what comes
// after happens when it happened: the faults fixed to their times still
// meet the bytes they hit.
func (s *shrinker) dropSteps(c cand) cand {
	n := len(c.sc.Steps)
	if n == 0 {
		return c
	}
	start, end := s.t.stepTimes(c)
	build := func(keep []int) cand {
		out := c
		out.sc.Steps, out.steps = nil, nil
		k := 0
		for i := 0; i < n; {
			if k < len(keep) && keep[k] == i {
				out.sc.Steps = append(out.sc.Steps, c.sc.Steps[i])
				out.steps = append(out.steps, c.steps[i])
				k++
				i++
				continue
			}
			j := i
			for j < n && (k >= len(keep) || keep[k] != j) {
				j++
			}
			// Steps i..j-1 go: a sleep from when i began to when j began.
			if j < n && start[i] >= 0 {
				to := end
				if start[j] >= 0 {
					to = start[j]
				}
				if d := time.Duration(to - start[i]); d > 0 {
					out.sc.Steps = append(out.sc.Steps, sim.Step{Sleep: &sim.Sleep{D: d}})
					out.steps = append(out.steps, -1)
				}
			}
			i = j
		}
		return out
	}
	keep := s.ddmin(n, build)
	if len(keep) == n {
		return c
	}
	out := mergeSleeps(build(keep))
	if bytes.Equal(scenarios.Write(&out.sc), scenarios.Write(&c.sc)) {
		return c // a sleep for a sleep
	}
	s.logf("steps: %d -> %d (%d kept, the others' time slept)", n, len(out.sc.Steps), len(keep))
	return out
}

// mergeSleeps makes consecutive sleeps one.
func mergeSleeps(c cand) cand {
	out := c
	out.sc.Steps, out.steps = nil, nil
	for i, st := range c.sc.Steps {
		if n := len(out.sc.Steps); n > 0 && st.Sleep != nil && st.Note == "" && len(st.Notes) == 0 {
			if last := out.sc.Steps[n-1]; last.Sleep != nil {
				out.sc.Steps[n-1] = sim.Step{Note: last.Note, Notes: last.Notes, Sleep: &sim.Sleep{D: last.Sleep.D + st.Sleep.D}}
				continue
			}
		}
		out.sc.Steps = append(out.sc.Steps, st)
		out.steps = append(out.steps, c.steps[i])
	}
	return out
}

// dropSleeps removes the sleeps that are not needed, one at a time (they
// are few by now, and each moves everything after it).
func (s *shrinker) dropSleeps(c cand) cand {
	for i := 0; i < len(c.sc.Steps) && s.t.ctx.Err() == nil; {
		if c.sc.Steps[i].Sleep == nil {
			i++
			continue
		}
		keep := complement(allIdx(len(c.sc.Steps)), []int{i})
		if x := c.withSteps(keep); s.t.holds(x) {
			s.logf("step %d (sleep %v) removed", i+1, c.sc.Steps[i].Sleep.D)
			c = x
			continue
		}
		i++
	}
	return c
}

// shiftTime takes away a sleep the program starts with, and moves every
// fault's times as much earlier: the same run, sooner. (The steps removed
// before what fails leave such a sleep.)
func (s *shrinker) shiftTime(c cand) cand {
	if len(c.sc.Steps) == 0 || c.sc.Steps[0].Sleep == nil {
		return c
	}
	d := c.sc.Steps[0].Sleep.D
	shifted := func(c cand, by time.Duration) cand {
		out := c
		if by >= d {
			out = c.withSteps(allIdx(len(c.sc.Steps))[1:])
		} else {
			out = c.withStep(0, sim.Step{Note: c.sc.Steps[0].Note, Notes: c.sc.Steps[0].Notes, Sleep: &sim.Sleep{D: d - by}})
		}
		out.sc.Faults = make([]fault.Spec, len(c.sc.Faults))
		for i, f := range c.sc.Faults {
			out.sc.Faults[i] = shiftFault(f, by)
		}
		out.sc.Duration = max(c.sc.Duration-by, time.Millisecond)
		return out
	}
	if x := shifted(c, d); s.t.holds(x) {
		s.logf("everything %v sooner (the first sleep gone)", d)
		return x
	}
	return c
}

// shiftFault is f with its times by earlier (not before 0).
func shiftFault(f fault.Spec, by time.Duration) fault.Spec {
	t := f.Trigger
	sub := func(x time.Duration) time.Duration { return max(x-by, 0) }
	if t.At != nil {
		x := sub(*t.At)
		t.At = &x
	}
	if t.From > 0 {
		t.From = sub(t.From)
	}
	if t.Until > 0 {
		t.Until = max(sub(t.Until), t.From+1)
	}
	f.Trigger = t
	return f
}

// numbers reduces what is left: sleeps, request timeouts, the faults'
// durations, counts and bytes, how many times a fault fires, the agent's
// latencies, the link's jitter; and pins what the seed still decides (a
// corruption's bits, a re-chunking's sizes, ids a client draws).
func (s *shrinker) numbers(c cand) cand {
	for i := range c.sc.Steps {
		st := c.sc.Steps[i]
		switch {
		case st.Sleep != nil:
			c = s.durKnob(c, "step "+strconv.Itoa(i+1)+" sleep", st.Sleep.D, 0, func(c cand, v time.Duration) cand {
				x := c.sc.Steps[i]
				x.Sleep = &sim.Sleep{D: v}
				return c.withStep(i, x)
			})
		case st.Send != nil && st.Send.Timeout > 0:
			c = s.durKnob(c, "step "+strconv.Itoa(i+1)+" timeout", st.Send.Timeout, time.Millisecond, func(c cand, v time.Duration) cand {
				x := c.sc.Steps[i]
				send := *x.Send
				send.Timeout = v
				x.Send = &send
				return c.withStep(i, x)
			})
		}
	}
	for i := range c.sc.Faults {
		c = s.faultKnobs(c, i)
	}
	c = s.latencies(c)
	c = s.pins(c)
	return c
}

// faultKnobs reduces the numbers of fault i.
func (s *shrinker) faultKnobs(c cand, i int) cand {
	f := c.sc.Faults[i]
	k, ok := fault.Lookup(f.Kind)
	if !ok {
		return c
	}
	setParam := func(name string, v fault.Value) func(cand) cand {
		return func(c cand) cand {
			x := c.sc.Faults[i]
			x.Params = clone(x.Params)
			x.Params[name] = v
			return c.withFault(i, x)
		}
	}
	for _, p := range k.Params {
		cur, given := f.Params[p.Name]
		if !given {
			cur = p.Default
		}
		switch p.Type {
		case fault.Duration:
			c = s.durKnob(c, f.Name+" "+p.Name, cur.Dur, 0, func(c cand, v time.Duration) cand { return setParam(p.Name, fault.Dur(v))(c) })
		case fault.Integer:
			if p.Name == "after" && cur.Int < 0 || p.Name == "mask" {
				continue // random, or bits: no smaller is simpler
			}
			lo := int64(max(p.Min, 0))
			c = s.intKnob(c, f.Name+" "+p.Name, cur.Int, lo, func(c cand, v int64) cand { return setParam(p.Name, fault.Int(v))(c) })
		}
	}
	if t := c.sc.Faults[i].Trigger; t.Max > 1 {
		c = s.intKnob(c, f.Name+" max-count", int64(t.Max), 1, func(c cand, v int64) cand {
			x := c.sc.Faults[i]
			x.Trigger.Max = int(v)
			return c.withFault(i, x)
		})
	}
	return c
}

// latencies removes the agent's latencies that are not needed and
// shortens the others.
func (s *shrinker) latencies(c cand) cand {
	lat := c.sc.Agent.Latency
	if len(lat) == 0 {
		return c
	}
	var cmds []string
	for k := range lat {
		cmds = append(cmds, k)
	}
	sort.Strings(cmds)
	with := func(c cand, m map[string]time.Duration) cand {
		c.sc.Agent.Latency = m
		return c
	}
	keep := s.ddmin(len(cmds), func(idx []int) cand {
		m := map[string]time.Duration{}
		for _, i := range idx {
			m[cmds[i]] = lat[cmds[i]]
		}
		return with(c, m)
	})
	if len(keep) < len(cmds) {
		s.logf("agent latencies: %d -> %d", len(cmds), len(keep))
		m := map[string]time.Duration{}
		for _, i := range keep {
			m[cmds[i]] = lat[cmds[i]]
		}
		c = with(c, m)
	}
	for _, i := range keep {
		cmd := cmds[i]
		c = s.durKnob(c, "agent latency of "+cmd, c.sc.Agent.Latency[cmd], 0, func(c cand, v time.Duration) cand {
			m := map[string]time.Duration{}
			for k, x := range c.sc.Agent.Latency {
				m[k] = x
			}
			m[cmd] = v
			return with(c, m)
		})
	}
	return c
}

// pins fixes what the seed still decides, where the failure stays: a
// corruption flips all 8 bits (so which bits does not depend on the
// seed), a re-chunking reads one byte at a time, the link has no jitter,
// a Proxmox client has a fixed process id and a qapi-rs one a fixed sync
// id.
func (s *shrinker) pins(c cand) cand {
	try := func(what string, x cand) {
		if s.t.holds(x) {
			s.logf("%s", what)
			c = x
		}
	}
	for i, f := range c.sc.Faults {
		switch f.Kind {
		case "corrupt":
			if m, ok := f.Params["mask"]; ok && m.Int != 0 {
				continue // its bits are named
			}
			if v, ok := f.Params["bits"]; !ok || v.Int != 8 {
				x := f
				x.Params = clone(f.Params)
				x.Params["bits"] = fault.Int(8)
				try(f.Name+": all 8 bits flipped", c.withFault(i, x))
			}
		case "rechunk":
			if v, ok := f.Params["max"]; !ok || v.Int != 1 {
				x := f
				x.Params = clone(f.Params)
				x.Params["max"] = fault.Int(1)
				try(f.Name+": reads of 1 byte", c.withFault(i, x))
			}
		}
	}
	if c.sc.Link.H2A.Jitter > 0 || c.sc.Link.A2H.Jitter > 0 {
		x := c
		x.sc.Link.H2A.Jitter, x.sc.Link.A2H.Jitter = 0, 0
		try("link: no jitter", x)
	}
	opts := c.sc.Client.Options
	switch c.sc.Client.Strategy {
	case "proxmox":
		if opts.PID == 0 {
			x := c
			x.sc.Client.Options.PID = 4242
			try("client: pid 4242", x)
		}
	case "qapi-rs":
		if opts.SyncID == 0 {
			x := c
			x.sc.Client.Options.SyncID = 4242
			try("client: sync-id 4242", x)
		}
	}
	return c
}

// pinHarder is for a result that fails at some of the seeds tried only:
// it tries the pins again, keeping each that makes it fail at more seeds.
func (s *shrinker) pinHarder(c cand, seeds []uint64, failsAt *int) cand {
	saved := s.t.seeds
	defer func() { s.t.seeds = saved }()
	// Judge each pin by the number of seeds it fails at.
	s.t.seeds = seeds
	best := *failsAt
	cands := []cand{}
	for i, f := range c.sc.Faults {
		if f.Kind == "rechunk" {
			cands = append(cands, c.withFaults(complement(allIdx(len(c.sc.Faults)), []int{i})))
		}
	}
	for _, x := range cands {
		if n := s.t.count(x, seeds); n > best {
			best, c = n, x
		}
	}
	*failsAt = best
	return c
}

func allIdx(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// durKnob sets a duration to the smallest value from lo that still fails,
// to the millisecond (or to lo, or left as it is).
func (s *shrinker) durKnob(c cand, what string, v, lo time.Duration, set func(cand, time.Duration) cand) cand {
	if v <= lo {
		return c
	}
	best, to, ok := s.smallestDur(c, v, lo, time.Millisecond, set)
	if ok {
		s.logf("%s %v -> %v", what, v, to)
		return best
	}
	return c
}

// smallestDur finds, by bisection, the smallest value in [lo, v) to the
// resolution res for which the candidate still fails (assuming that a
// larger one fails when a smaller one does), and the candidate with it.
// It reports false when none below v does.
func (s *shrinker) smallestDur(c cand, v, lo, res time.Duration, set func(cand, time.Duration) cand) (cand, time.Duration, bool) {
	if x := set(c, lo); s.t.holds(x) {
		return x, lo, true
	}
	bad, good := lo, v // bad fails to fail, good fails
	var best cand
	found := false
	for good-bad > res && s.t.ctx.Err() == nil {
		mid := bad + (good-bad)/2
		mid = mid.Truncate(res)
		if mid <= bad {
			mid = bad + res
		}
		if mid >= good {
			break
		}
		if x := set(c, mid); s.t.holds(x) {
			good, best, found = mid, x, true
		} else {
			bad = mid
		}
	}
	return best, good, found
}

// intKnob is durKnob for integers.
func (s *shrinker) intKnob(c cand, what string, v, lo int64, set func(cand, int64) cand) cand {
	if v <= lo {
		return c
	}
	if x := set(c, lo); s.t.holds(x) {
		s.logf("%s %d -> %d", what, v, lo)
		return x
	}
	bad, good := lo, v
	best, found := c, false
	for good-bad > 1 && s.t.ctx.Err() == nil {
		mid := bad + (good-bad)/2
		if x := set(c, mid); s.t.holds(x) {
			good, best, found = mid, x, true
		} else {
			bad = mid
		}
	}
	if found {
		s.logf("%s %d -> %d", what, v, good)
	}
	return best
}
