package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/live"
	"github.com/qgasim/qgasim/sim/trace"
)

// A long session does not fit in a scenario file as one raw step per host
// write: the loader takes at most scenarios.MaxTokens tokens (about 58,000
// one-line steps). --save then tries forms of the steps that merge host
// writes, most faithful first, and keeps the first that the loader takes
// and that, run, makes the agent answer every message as the replay did
// (merging changes when bytes arrive, which can change what the agent
// reads at once, and so what it drops on a serial port). If no form does,
// nothing is written and the message says how much of the session fits.

// mergeLevel is how much a form of the steps merges host writes.
type mergeLevel int

const (
	// mergeNone: every host write is its own raw step, at its time.
	mergeNone mergeLevel = iota
	// mergeQuiet: consecutive writes on one connection are one step, at
	// the first's time, while the agent answered nothing and no fault
	// fired between them (a client writing a request in pieces, or
	// several requests before the first answer).
	mergeQuiet
	// mergeRead: consecutive writes on one connection up to 4096 bytes
	// (what qemu-ga reads at once) are one step while no fault fired
	// between them, answers or not.
	mergeRead
)

var mergeWords = map[mergeLevel]string{
	mergeNone:  "one raw step per host write",
	mergeQuiet: "host writes merged where the agent answered nothing between them",
	mergeRead:  "host writes merged up to 4 KiB where no fault fired between them",
}

// readSize is what qemu-ga reads at once.
const readSize = 4096

// savedForm is the scenario --save writes, as bytes, and how it was made.
type savedForm struct {
	data   []byte
	level  mergeLevel
	writes int // host writes
	steps  int // raw steps
}

// saveRepro writes the recorded session as a scenario the loader takes and
// run reproduces, or says why it cannot.
func saveRepro(base *scenarios.Scenario, cfg sim.Config, name, desc, tracePath string, rec *live.Recording, res *live.ReplayResult) (*savedForm, error) {
	writes := 0
	for _, a := range rec.Host {
		if a.Kind == "write" {
			writes++
		}
	}
	var tried []string
	for _, level := range []mergeLevel{mergeNone, mergeQuiet, mergeRead} {
		sc := reproScenario(base, cfg, name, desc, rec, res.Faults, level)
		data := scenarios.Write(sc)
		if !scenarios.WithinLimits(data) {
			tried = append(tried, mergeWords[level]+": too large")
			continue
		}
		if level != mergeNone {
			if why := reproduces(name, data, res.Replayed); why != "" {
				tried = append(tried, mergeWords[level]+": "+why)
				continue
			}
		}
		return &savedForm{data: data, level: level, writes: writes, steps: rawSteps(sc.Steps)}, nil
	}
	msg := fmt.Sprintf("the session's %d host writes over %ss do not fit in a scenario file (at most %d YAML tokens, %d MiB), "+
		"and no merged form of them both fits and reproduces it (tried: %s). Nothing was saved. "+
		"'qgasim replay %s' replays the whole session",
		writes, secs(rec.End), scenarios.MaxTokens, scenarios.MaxFileSize>>20, strings.Join(tried, "; "), tracePath)
	if t, n := fittingPrefix(base, cfg, name, desc, rec, res.Faults); n > 0 {
		msg += fmt.Sprintf("; 'qgasim replay %s --until %s --save FILE' saves its first %s (%d host writes), which fit", tracePath, t, t, n)
	}
	return nil, fmt.Errorf("%s", msg)
}

// reproduces runs a saved form and compares the agent's answers with the
// replay's; "" when they are the same, else what differs.
func reproduces(name string, data []byte, want []live.Message) string {
	sc, err := scenarios.Parse(name, data)
	if err != nil {
		return "the loader refuses it: " + err.Error()
	}
	cfg, err := scenarios.Build(sc, nil)
	if err != nil {
		return "it does not build: " + err.Error()
	}
	var got []live.Message
	cfg.NoKeep = true
	cfg.Sink = func(ev *trace.Event) {
		if ev.Kind == trace.KindAgentReply {
			got = append(got, live.MessageOf(*ev))
		}
	}
	w, err := sim.New(cfg)
	if err != nil {
		return "it does not run: " + err.Error()
	}
	w.Run()
	if d := live.Compare(want, got); len(d) > 0 {
		return fmt.Sprintf("run, it answers %d messages otherwise, the first: %s", len(d), d[0].What())
	}
	return ""
}

// fittingPrefix is the longest start of the session (up to a whole
// second) whose every host write is its own step and which fits in a
// scenario file, and its host writes; 0, 0 when not even a second fits.
func fittingPrefix(base *scenarios.Scenario, cfg sim.Config, name, desc string, rec *live.Recording, faults []fault.Spec) (time.Duration, int) {
	secsEnd := int(time.Duration(rec.End) / time.Second)
	fits := func(s int) bool {
		part := rec.Until(int64(s) * int64(time.Second))
		return scenarios.WithinLimits(scenarios.Write(reproScenario(base, cfg, name, desc, part, faults, mergeNone)))
	}
	// The largest s in [1, secsEnd] that fits.
	s := sort.Search(secsEnd, func(i int) bool { return !fits(i + 1) })
	if s == 0 {
		return 0, 0
	}
	t := time.Duration(s) * time.Second
	n := 0
	for _, a := range rec.Until(int64(t)).Host {
		if a.Kind == "write" {
			n++
		}
	}
	return t, n
}

func rawSteps(steps []sim.Step) int {
	n := 0
	for _, s := range steps {
		if s.Raw != nil {
			n++
		}
	}
	return n
}

// reproScenario is a recorded session as a scenario: the scenario it ran
// on (its agent, link, transport and seed; base may be nil), a client that
// does nothing by itself, the recorded host's connects, writes and closes
// as raw steps at their times (merged as level says), and the fault
// firings as faults that fire once each.
func reproScenario(base *scenarios.Scenario, cfg sim.Config, name, desc string, rec *live.Recording, faults []fault.Spec, level mergeLevel) *scenarios.Scenario {
	sc := &scenarios.Scenario{Config: cfg}
	if base != nil {
		sc.Config = base.Config
		sc.Seed = cfg.Seed
	}
	if sc.Transport == "" {
		sc.Transport = scenarios.DefaultTransport
	}
	sc.Comment = "Written by qgasim replay --save: the recorded host's bytes at their times and\nthe faults as they fired. 'qgasim run' replays the session in virtual time."
	if level != mergeNone {
		sc.Comment += "\nThe session is long: " + mergeWords[level] + " (a run of it answers\nevery message as the replay did)."
	}
	sc.Name, sc.Description = name, desc
	sc.Client = client.Spec{Strategy: "none"}
	sc.Faults = faults
	sc.Duration = time.Duration(rec.End).Round(time.Second) + 2*time.Second
	sc.Steps = reproSteps(rec, level)
	return sc
}

// reproSteps are the host's actions as steps. The World opens the channel
// at time zero; a client that connected later is a disconnect at zero and a
// reconnect at its time. Closes the transport or a fault made are not
// steps: the replay makes them again.
func reproSteps(rec *live.Recording, level mergeLevel) []sim.Step {
	var steps []sim.Step
	var now int64
	step := func(t int64, s sim.Step) {
		if t > now {
			steps = append(steps, sim.Step{Sleep: &sim.Sleep{D: time.Duration(t - now)}})
			now = t
		}
		steps = append(steps, s)
	}
	// A group of writes to merge: its bytes and its first write's time.
	var group []byte
	var groupT int64
	flush := func() {
		if group != nil {
			step(groupT, sim.Step{Raw: &sim.Raw{Bytes: group}})
			group = nil
		}
	}
	msgs, fires := messageTimes(rec), firingTimes(rec)
	joins := func(t int64, n int) bool {
		switch {
		case group == nil || level == mergeNone || someIn(fires, groupT, t):
			return false
		case level == mergeQuiet:
			return !someIn(msgs, groupT, t)
		}
		return len(group)+n <= readSize
	}
	open, first := true, true
	for _, a := range rec.Host {
		switch a.Kind {
		case "connect":
			flush()
			if first && a.T == 0 {
				first = false
				continue
			}
			if first {
				step(0, sim.Step{Disconnect: true, Note: "the recorded client connected later"})
			}
			first = false
			step(a.T, sim.Step{Reconnect: true})
			open = true
		case "write":
			if !open {
				continue
			}
			if joins(a.T, len(a.Bytes)) {
				group = append(group, a.Bytes...)
			} else {
				flush()
				group, groupT = append([]byte(nil), a.Bytes...), a.T
			}
		case "close":
			flush()
			if a.ByHost && open {
				step(a.T, sim.Step{Disconnect: true})
			}
			open = false
		}
	}
	flush()
	if len(steps) == 0 {
		steps = append(steps, sim.Step{Note: "the recording has no host actions"})
	}
	return steps
}

func messageTimes(rec *live.Recording) []int64 {
	out := make([]int64, 0, len(rec.Messages))
	for _, m := range rec.Messages {
		out = append(out, m.T)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func firingTimes(rec *live.Recording) []int64 {
	out := make([]int64, 0, len(rec.Firings))
	for _, f := range rec.Firings {
		out = append(out, f.T)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// someIn reports whether a sorted list of times has one in [from, to].
func someIn(ts []int64, from, to int64) bool {
	i := sort.Search(len(ts), func(i int) bool { return ts[i] >= from })
	return i < len(ts) && ts[i] <= to
}
