package lab

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Outcome is one distinct transcript the simulator gave for a script, with
// the seeds that gave it.
type Outcome struct {
	T     Transcript
	Seeds []uint64
	// Tails are, per agent start in the script, the queued host bytes the
	// new agent got (on isa-serial: what survived the flush), for the seed
	// that first gave this outcome.
	Tails [][]byte
	// Forced is set for an outcome that only a forced flush tail gave
	// (AcceptedOutcomes), not the simulator's own seeded choice.
	Forced bool
}

// TailNames shows the outcome's tails, for the test log and the docs.
func (o Outcome) TailNames() string {
	var parts []string
	for _, t := range o.Tails {
		parts = append(parts, Quote(t))
	}
	return strings.Join(parts, ", ")
}

// SimOutcomes plays the script against the simulator once per seed 1..seeds
// and returns the distinct transcripts, most frequent first. It also plays
// seed 1 a second time and fails if the bytes differ: the same seed must
// give the same bytes.
func SimOutcomes(s Script, transport string, seeds int) ([]Outcome, error) {
	var outs []Outcome
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		t, tails, err := playSim(s, transport, seed)
		if err != nil {
			return nil, err
		}
		found := false
		for i := range outs {
			if outs[i].T.Equal(t) {
				outs[i].Seeds = append(outs[i].Seeds, seed)
				found = true
				break
			}
		}
		if !found {
			outs = append(outs, Outcome{T: t, Seeds: []uint64{seed}, Tails: tails})
		}
	}
	again, _, err := playSim(s, transport, 1)
	if err != nil {
		return nil, err
	}
	if !again.Equal(outs[0].T) && !containsSeed1(outs, again) {
		return nil, fmt.Errorf("%s on %s: seed 1 gave different bytes on a second run", s.Name, transport)
	}
	for i := 1; i < len(outs); i++ {
		for j := i; j > 0 && len(outs[j].Seeds) > len(outs[j-1].Seeds); j-- {
			outs[j], outs[j-1] = outs[j-1], outs[j]
		}
	}
	return outs, nil
}

func containsSeed1(outs []Outcome, t Transcript) bool {
	for _, o := range outs {
		if o.Seeds[0] == 1 {
			return o.T.Equal(t)
		}
	}
	return false
}

// AcceptedOutcomes are the outcomes a racy experiment accepts from the
// real guest: the simulator's own over the seeds, and those where the
// isa-serial flush leaves exactly the last k queued bytes, for every k up
// to maxTail.
func AcceptedOutcomes(s Script, transport string, seeds, maxTail int) ([]Outcome, error) {
	outs, err := SimOutcomes(s, transport, seeds)
	if err != nil {
		return nil, err
	}
	for k := 0; k <= maxTail; k++ {
		var t Transcript
		var tails [][]byte
		seed := uint64(1)
		for ; seed <= uint64(seeds); seed++ {
			t, tails, err = playSimForced(s, transport, seed, k)
			if !errors.Is(err, ErrCannotForce) {
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s on %s, flush tail %d: %w", s.Name, transport, k, err)
		}
		if i := Match(t, outs); i >= 0 {
			continue
		}
		outs = append(outs, Outcome{T: t, Tails: tails, Forced: true})
	}
	return outs, nil
}

func playSim(s Script, transport string, seed uint64) (Transcript, [][]byte, error) {
	return playSimForced(s, transport, seed, -1)
}

func playSimForced(s Script, transport string, seed uint64, force int) (Transcript, [][]byte, error) {
	var files map[string][]byte
	if s.BigFile {
		files = map[string][]byte{BigFilePath: bigFile()}
	}
	sim, err := NewSim(transport, seed, files)
	if err != nil {
		return Transcript{}, nil, err
	}
	sim.ForceTail = force
	t, err := Play(sim, s)
	if errors.Is(err, ErrCannotForce) {
		return t, nil, ErrCannotForce
	}
	if err != nil {
		return t, nil, fmt.Errorf("simulator, seed %d: %w", seed, err)
	}
	return t, sim.Tails(), nil
}

var (
	bigOnce sync.Once
	bigData []byte
)

// bigFile is BigFile, made once; the agent copies it for each run.
func bigFile() []byte {
	bigOnce.Do(func() { bigData = BigFile() })
	return bigData
}

// Match returns the index of the outcome the transcript equals, or -1.
func Match(t Transcript, outs []Outcome) int {
	for i, o := range outs {
		if o.T.Equal(t) {
			return i
		}
	}
	return -1
}

// ReadRule accepts, for one read step of a script, real bytes that differ
// from the simulator's in a way the real guest is known to vary: the test
// names the rule with the outcome.
type ReadRule struct {
	Step int    // index of the read step in the script
	What string // the accepted variation, in words
	// OK reports whether a read (the real one, or the simulator's) is of
	// the accepted form.
	OK func(r Recv) bool
}

// MatchRules is Match, except that a read of a step with a rule matches
// when the rule accepts both the real read and the simulator's. It returns
// the outcome's index and whether a rule was needed.
func MatchRules(t Transcript, outs []Outcome, rules []ReadRule) (int, bool) {
	if k := Match(t, outs); k >= 0 || len(rules) == 0 {
		return k, false
	}
	for i, o := range outs {
		if len(o.T.Reads) != len(t.Reads) {
			continue
		}
		ok := true
		for j, r := range t.Reads {
			s := o.T.Reads[j]
			if r.same(s) {
				continue
			}
			ruled := false
			for _, rule := range rules {
				if rule.Step == r.Step && r.Conn == s.Conn && rule.OK(r) && rule.OK(s) {
					ruled = true
				}
			}
			if !ruled {
				ok = false
				break
			}
		}
		if ok {
			return i, true
		}
	}
	return -1, false
}

// Diff shows where two transcripts part: the first read that differs, with
// both sides' bytes and the first differing offset.
func Diff(real, sim Transcript) string {
	var sb strings.Builder
	n := max(len(real.Reads), len(sim.Reads))
	for i := 0; i < n; i++ {
		var r, s Recv
		if i < len(real.Reads) {
			r = real.Reads[i]
		}
		if i < len(sim.Reads) {
			s = sim.Reads[i]
		}
		if r.same(s) {
			continue
		}
		if r.Sum != nil || s.Sum != nil {
			fmt.Fprintf(&sb, "read %d (step %d, %s) differs: real %d B (sum %v), sim %d B (sum %v); shown: real %s, sim %s\n",
				i+1, r.Step+1, r.Conn, r.size(), r.Sum != nil, s.size(), s.Sum != nil, Quote(r.Data[:min(200, len(r.Data))]), Quote(s.Data[:min(200, len(s.Data))]))
			continue
		}
		k := 0
		for k < len(r.Data) && k < len(s.Data) && r.Data[k] == s.Data[k] {
			k++
		}
		fmt.Fprintf(&sb, "read %d (step %d, %s) differs at byte %d:\n  real: %s\n  sim:  %s\n",
			i+1, r.Step+1, r.Conn, k, Quote(r.Data), Quote(s.Data))
	}
	return sb.String()
}
