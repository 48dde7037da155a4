package lab

import "testing"

// simSeeds is how many seeds the simulator is played with per experiment:
// enough to meet each of its seeded choices for the isa flush tail (3 in
// 10 restarts keep 1-5 bytes) with near certainty.
const simSeeds = 200

// TestSimExperiments plays every experiment against the simulator: each
// script runs to its end, the same seed gives the same bytes, and an
// experiment not marked racy has one outcome over all seeds.
func TestSimExperiments(t *testing.T) {
	for _, e := range Experiments {
		for _, tr := range e.Transports {
			t.Run(e.Name+"/"+tr, func(t *testing.T) {
				outs, err := SimOutcomes(e.Script, tr, simSeeds)
				if err != nil {
					t.Fatal(err)
				}
				if e.Racy == "" && len(outs) != 1 {
					for _, o := range outs {
						t.Logf("seeds %v:\n%s", o.Seeds[:min(5, len(o.Seeds))], o.T)
					}
					t.Fatalf("%d outcomes over seeds 1..%d for an experiment without a race", len(outs), simSeeds)
				}
				for _, o := range outs {
					t.Logf("%d seeds (first %d):\n%s", len(o.Seeds), o.Seeds[0], o.T)
				}
			})
		}
	}
}
