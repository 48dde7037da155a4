package sim

import (
	"testing"
)

// TestAccountingManySeeds runs thousands of random configurations and
// checks the accounting rule on each trace.
func TestAccountingManySeeds(t *testing.T) {
	n := uint64(3000)
	if testing.Short() {
		n = 300
	}
	for seed := uint64(1); seed <= n; seed++ {
		cfg := randomConfig(seed)
		w := run(t, cfg)
		if err := CheckAccounting(w.Trace()); err != nil {
			t.Fatalf("%s: %v", describe(cfg), err)
		}
	}
}

// The checker itself must catch a byte that goes missing.
func TestAccountingCatchesLoss(t *testing.T) {
	w := run(t, Config{Seed: 3, Steps: []Step{send("guest-ping", "")}})
	evs := append(w.Trace()[:0:0], w.Trace()...)
	if err := CheckAccounting(evs); err != nil {
		t.Fatalf("seed 3: clean run: %v", err)
	}
	for i := range evs {
		if evs[i].Kind == "link.deliver" && evs[i].Dir == "a2h" {
			evs[i].Src = evs[i].Src[:0]
			evs[i].Bytes = nil
			break
		}
	}
	if err := CheckAccounting(evs); err == nil {
		t.Fatal("seed 3: a removed delivery was not noticed")
	}
}
