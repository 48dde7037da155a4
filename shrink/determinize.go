package shrink

import (
	"fmt"
	"sort"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// resolvedName is the name the World gives fault i: its own, or kind#n.
func resolvedName(f fault.Spec, i int) string {
	if f.Name != "" {
		return f.Name
	}
	return fmt.Sprintf("%s#%d", f.Kind, i+1)
}

// The modes of a trigger, as sim/fault tells them apart.
func timed(t fault.Trigger) bool { return t.At != nil || t.Every > 0 }

func positional(t fault.Trigger) bool {
	return t.AfterBytes != nil || len(t.On) > 0 || (t.Probability > 0 && !timed(t))
}

func continuous(t fault.Trigger) bool { return !timed(t) && !positional(t) }

// chance reports a probability that needs a draw.
func chance(p float64) bool { return p > 0 && p < 1 }

// expandable reports whether a fault is replaced by its firings: a fault
// whose firings the seed decides (a trigger with a probability, a
// continuous fault with a chance per byte or per write), or one that fires
// at fixed times more than once (every). A fault that acts all the time
// without firing (rechunk with no trigger) and one on fixed bytes are kept.
func expandable(f fault.Spec) bool {
	t := f.Trigger
	switch {
	case chance(t.Probability):
		return true
	case continuous(t):
		switch f.Kind {
		case "drop", "corrupt", "duplicate", "truncate", "delay":
			p := paramNum(f, "p")
			return p > 0
		case "burst":
			return true
		}
		return false
	case timed(t) && t.Every > 0:
		return true
	}
	return false
}

// paramNum is a Number parameter of f, its default when not given.
func paramNum(f fault.Spec, name string) float64 {
	if v, ok := f.Params[name]; ok {
		return v.Num
	}
	k, _ := fault.Lookup(f.Kind)
	if p, ok := k.Param(name); ok {
		return p.Default.Num
	}
	return 0
}

// effectiveDir is the direction a fault watches.
func effectiveDir(f fault.Spec) string {
	if f.Dir != "" {
		return f.Dir
	}
	return fault.DefaultDir(f.Kind).String()
}

// firing is one firing of a fault, in deterministic form.
type firing struct {
	spec fault.Spec
	t    int64 // when it fired
	off  int64 // the writer offset it is about, for ordering (-1 none)
}

// expand turns faults into deterministic firings as they happened in a
// run (its events): each expandable fault becomes one fault per firing,
// fixed to its time (at, max-count 1) or, for a fault on bytes, to the
// byte it hit: the bytes written up to it (on), inside a window of one
// nanosecond at its time, so that it hits the same byte whatever was
// written before (a removed request, a removed drop). The firings of one
// fault come last first, so that each sees the bytes before its own as
// the fault saw them (a later firing acts on later bytes). group gives,
// for each fault of the result, the fault of faults it comes from.
func expand(faults []fault.Spec, events []trace.Event, seed uint64, file string) (out []fault.Spec, group []int) {
	byName := map[string][]trace.Event{}
	for _, ev := range events {
		if ev.Kind == trace.KindFault {
			byName[ev.Name] = append(byName[ev.Name], ev)
		}
	}
	st := newStreams(events)
	used := map[string]bool{}
	for i, f := range faults {
		name := resolvedName(f, i)
		if !expandable(f) {
			f.Name = name
			out = append(out, f)
			group = append(group, i)
			continue
		}
		var fs []firing
		for _, ev := range byName[name] {
			fs = append(fs, convert(f, name, ev, st)...)
		}
		// Last first (see above).
		sort.SliceStable(fs, func(a, b int) bool {
			if fs[a].t != fs[b].t {
				return fs[a].t > fs[b].t
			}
			return fs[a].off > fs[b].off
		})
		for _, x := range fs {
			if used[x.spec.Name] {
				base := x.spec.Name
				for k := 2; used[x.spec.Name]; k++ {
					x.spec.Name = fmt.Sprintf("%s#%d", base, k)
				}
			}
			used[x.spec.Name] = true
			x.spec.Note = fmt.Sprintf("%s fired at %s in the run of %s at seed %d", name, secs(x.t), file, seed)
			out = append(out, x.spec)
			group = append(group, i)
		}
	}
	return out, group
}

// convert is one firing (one fault event) as deterministic faults.
func convert(f fault.Spec, name string, ev trace.Event, st *streams) []firing {
	t := ev.T
	n := 0
	mk := func(trig fault.Trigger, params fault.Params, kind string) fault.Spec {
		trig.Max = max(trig.Max, 1)
		n++
		suffix := ""
		if n > 1 {
			suffix = fmt.Sprintf("/%d", n)
		}
		return fault.Spec{Name: fmt.Sprintf("%s@%s%s", name, secs(t), suffix), Kind: kind, Dir: f.Dir, Params: clone(params), Trigger: trig}
	}
	at := func() fault.Trigger { x := time.Duration(t); return fault.Trigger{At: &x} }
	window := func(tr fault.Trigger) fault.Trigger {
		tr.From, tr.Until = time.Duration(t), time.Duration(t)+1
		return tr
	}
	// onByte fires at writer byte o of the event's direction: at the
	// bytes written up to it, in the window; or, when they are not known,
	// at the first byte in the window.
	onByte := func(o int64) fault.Trigger {
		if pat, ok := st.pattern(ev.Dir, o, t); ok {
			from, until := st.window(ev.Dir, pat, o, t)
			return fault.Trigger{On: pat, From: time.Duration(from), Until: time.Duration(until)}
		}
		return window(fault.Trigger{Probability: 1})
	}
	params := withoutChance(f)
	tr := f.Trigger
	switch {
	case f.Kind == "burst":
		// A burst's length is drawn whatever started it: its losses, as
		// they happened, are the firings.
	case timed(tr):
		return []firing{{spec: mk(at(), params, f.Kind), t: t, off: -1}}
	case positional(tr):
		if o, ok := firedAt(f.Kind, ev); ok {
			return []firing{{spec: mk(onByte(o), params, f.Kind), t: t, off: o}}
		}
		x := fault.Trigger{AfterBytes: tr.AfterBytes, On: tr.On}
		if x.AfterBytes == nil && len(x.On) == 0 {
			x.Probability = 1 // the first byte in the window
		}
		return []firing{{spec: mk(window(x), params, f.Kind), t: t, off: -1}}
	}
	// Continuous: a chance per byte or per write.
	var out []firing
	switch f.Kind {
	case "drop", "burst":
		for _, sp := range ev.Lost {
			if sp.Off < 0 {
				continue
			}
			p := fault.Params{"n": fault.Int(sp.N)}
			out = append(out, firing{spec: mk(onByte(sp.Off), p, "drop"), t: t, off: sp.Off})
		}
	case "corrupt":
		for _, sp := range ev.Changed {
			for o := sp.Off; o < sp.Off+sp.N && sp.Off >= 0; o++ {
				p := clone(params)
				if m, ok := st.mask(ev.Dir, o); ok {
					p["mask"] = fault.Int(int64(m))
					delete(p, "bits")
				}
				out = append(out, firing{spec: mk(onByte(o), p, f.Kind), t: t, off: o})
			}
		}
	case "duplicate":
		p := fault.Params{"n": fault.Int(1)}
		offs := st.copied(ev.Dir, t, int(ev.Added))
		if len(offs) == int(ev.Added) {
			for _, o := range offs {
				out = append(out, firing{spec: mk(onByte(o), p, f.Kind), t: t, off: o})
			}
			break
		}
		// Which bytes were copied is not known: the first bytes passing
		// at its time, as many as were added.
		x := window(fault.Trigger{Probability: 1})
		x.Max = int(ev.Added)
		out = append(out, firing{spec: mk(x, p, f.Kind), t: t, off: -1})
	case "truncate":
		// Fired at the write's first byte, a truncate keeps that byte and
		// after more; one that kept nothing is armed at its time for the
		// next write.
		p := clone(params)
		if len(ev.Lost) > 0 && ev.Lost[0].Off >= 0 {
			if start, ok := st.writeStart(ev.Dir, ev.Lost[0].Off); ok {
				if kept := ev.Lost[0].Off - start; kept > 0 {
					p["after"] = fault.Int(kept - 1)
					out = append(out, firing{spec: mk(onByte(start), p, f.Kind), t: t, off: start})
					break
				}
				p["after"] = fault.Int(0)
			}
		}
		out = append(out, firing{spec: mk(at(), p, f.Kind), t: t, off: -1})
	case "delay":
		if ev.Off >= 0 && ev.N > 0 {
			out = append(out, firing{spec: mk(onByte(ev.Off), params, f.Kind), t: t, off: ev.Off})
		} else {
			out = append(out, firing{spec: mk(at(), params, f.Kind), t: t, off: -1})
		}
	}
	return out
}

// firedAt is the writer offset of the byte a positional firing fired at,
// when its event says it.
func firedAt(kind string, ev trace.Event) (int64, bool) {
	switch kind {
	case "drop":
		if len(ev.Lost) > 0 && ev.Lost[0].Off >= 0 {
			return ev.Lost[0].Off, true
		}
	case "corrupt":
		if len(ev.Changed) > 0 && ev.Changed[0].Off >= 0 {
			return ev.Changed[0].Off, true
		}
	case "delay":
		// A delay holds back the whole write: its first byte will do.
		if ev.Off >= 0 && ev.N > 0 {
			return ev.Off, true
		}
	case "restart-agent", "reboot":
		// On to-host the rest of the write is lost after the byte it
		// fired at.
		if ev.Dir == link.A2H.String() && len(ev.Lost) > 0 && ev.Lost[0].Off > 0 {
			return ev.Lost[0].Off - 1, true
		}
	}
	return 0, false
}

func clone(p fault.Params) fault.Params {
	out := fault.Params{}
	for k, v := range p {
		out[k] = v
	}
	return out
}

// withoutChance is f's parameters without the chance of its continuous
// mode, which a triggered firing does not read.
func withoutChance(f fault.Spec) fault.Params {
	out := fault.Params{}
	for k, v := range f.Params {
		if k == "p" && f.Kind != "burst" {
			continue
		}
		out[k] = v
	}
	return out
}

// secs is a virtual time as a file writes it.
func secs(t int64) string { return time.Duration(t).String() }
