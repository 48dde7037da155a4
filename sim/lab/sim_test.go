package lab

import "testing"

// simSeeds is how many seeds the simulator is played with per racy
// experiment: enough to meet each of its seeded choices for the isa flush
// tail (3 in 10 restarts keep 1-5 bytes) with near certainty. The others
// have no seeded choice that changes bytes (only latency jitter); a few
// seeds show that.
const (
	simSeeds   = 200
	plainSeeds = 8
)

// seedsFor is how many seeds an experiment is played with.
func seedsFor(e Experiment, tr string) int {
	if e.Racy != "" && tr == ISA {
		return simSeeds
	}
	return plainSeeds
}

// TestSimExperiments plays every experiment against the simulator: each
// script runs to its end, the same seed gives the same bytes, and an
// experiment not marked racy has one outcome over all seeds.
func TestSimExperiments(t *testing.T) {
	for _, e := range Experiments {
		for _, tr := range e.Transports {
			t.Run(e.Name+"/"+tr, func(t *testing.T) {
				outs, err := SimOutcomes(e.Script, tr, seedsFor(e, tr))
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range e.Rules {
					if r.Step >= len(e.Script.Steps) || e.Script.Steps[r.Step].Op != OpRead {
						t.Fatalf("rule %q is for step %d, which is not a read", r.What, r.Step+1)
					}
				}
				racy := e.Racy != "" && tr == ISA
				if racy {
					checkTails(t, e, outs)
				}
				if !racy && len(outs) != 1 {
					for _, o := range outs {
						t.Logf("seeds %v:\n%s", o.Seeds[:min(5, len(o.Seeds))], o.T)
					}
					t.Fatalf("%d outcomes over seeds 1..%d for an experiment without a race", len(outs), seedsFor(e, tr))
				}
				for _, o := range outs {
					t.Logf("%d seeds (first %d), queued bytes after the restart %s:\n%s", len(o.Seeds), o.Seeds[0], o.TailNames(), o.T)
				}
			})
		}
	}
}

// checkTails holds the simulator's own outcomes of a racy experiment to
// what the lab saw: a flush tail of at most MaxTail bytes, and the outcome
// where nothing survives among them (7 of the lab's 10 restarts).
func checkTails(t *testing.T, e Experiment, outs []Outcome) {
	t.Helper()
	clean := false
	for _, o := range outs {
		all := 0
		for _, tail := range o.Tails {
			if len(tail) > e.MaxTail {
				t.Errorf("seed %d: a flush tail of %d bytes %s; the lab saw at most %d", o.Seeds[0], len(tail), Quote(tail), e.MaxTail)
			}
			all += len(tail)
		}
		if all == 0 {
			clean = true
		}
	}
	if !clean {
		t.Errorf("no seed in 1..%d gives the outcome where the flush leaves nothing", simSeeds)
	}
}

// accepted is the outcomes the differential tests accept from the real
// guest for an experiment on a transport.
func accepted(e Experiment, tr string) ([]Outcome, error) {
	if e.Racy != "" && tr == ISA {
		return AcceptedOutcomes(e.Script, tr, simSeeds, e.MaxTail)
	}
	return SimOutcomes(e.Script, tr, plainSeeds)
}

// TestBigTailRule: the B3 rule accepts a tail of the old reply and the
// client's own reply with the lost middle in range, and nothing else.
func TestBigTailRule(t *testing.T) {
	rule := bigTailRule(100_000, 20_000, 40_000)
	full := bigReplyBytes(100_000)
	read := func(lost int, own string) Recv {
		n := len(full) - 65536 - lost
		return Recv{Step: bigTailStep, Conn: "c2", Data: append(append([]byte(nil), full[len(full)-n:]...), own...)}
	}
	if !rule.OK(read(30_000, ret(231))) {
		t.Error("a tail with 30,000 B lost is refused")
	}
	if rule.OK(read(10_000, ret(231))) || rule.OK(read(50_000, ret(231))) {
		t.Error("a tail with the lost middle out of range is accepted")
	}
	if rule.OK(read(30_000, ret(232))) {
		t.Error("a tail followed by another reply is accepted")
	}
	bad := read(30_000, ret(231))
	bad.Data[100] ^= 1
	if rule.OK(bad) {
		t.Error("a changed tail is accepted")
	}
}
