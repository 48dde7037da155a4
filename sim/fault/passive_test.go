package fault

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim/link"
)

// A fault that says it is passive is one the link never passes a write:
// its Apply must leave every write as it is and report nothing, before,
// between and after its firings.
func TestPassiveFaultsLeaveWritesAlone(t *testing.T) {
	passive := map[string]bool{}
	for _, kind := range Kinds() {
		for _, trig := range []Trigger{{}, {At: at(5)}, {Every: 3, Max: 4}, {Every: 2, Probability: 0.5}, {AfterBytes: off(2)}, {On: []byte("b")}} {
			env := &fakeEnv{}
			f, err := New(Spec{Kind: kind, Trigger: trig}, kind+"#1", rand.NewPCG(testSeed, 1), env)
			if err != nil {
				continue // a kind that needs a trigger, or takes none of this sort
			}
			p, ok := f.(link.Passive)
			if !ok || !p.Passive() {
				continue
			}
			if trig.AfterBytes != nil || trig.On != nil {
				t.Errorf("seed %d: %s on a byte trigger %+v says it is passive", testSeed, kind, trig)
			}
			passive[kind] = true
			for now := int64(0); now < 20; now++ {
				if t0, ok := f.NextFire(); ok && t0 <= now {
					f.Fire(now)
				}
				before := len(env.events)
				c := pass(f, now, now*10, "abcdefghij")
				if string(c.Data) != "abcdefghij" || c.Delay != 0 || !slices.Equal(offsets(&c), []int64{now * 10, now*10 + 1, now*10 + 2, now*10 + 3, now*10 + 4, now*10 + 5, now*10 + 6, now*10 + 7, now*10 + 8, now*10 + 9}) || len(env.events) != before {
					t.Fatalf("seed %d: passive %s %+v at %d changed the write: %q delay %d, %d events", testSeed, kind, trig, now, c.Data, c.Delay, len(env.events)-before)
				}
			}
		}
	}
	for _, kind := range []string{"stall", "rechunk", "restart-agent", "reconnect-host"} {
		if !passive[kind] {
			t.Errorf("%s is never passive", kind)
		}
	}
}
