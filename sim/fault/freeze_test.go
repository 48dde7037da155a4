package fault

import (
	"testing"
	"time"
)

func TestFreeze(t *testing.T) {
	f, env := mk(t, Spec{Kind: "freeze", Params: Params{"for": Dur(time.Second)}, Trigger: Trigger{At: at(time.Millisecond)}})
	f.Fire(int64(time.Millisecond))
	if len(env.agent) != 1 || env.agent[0].Kind != "freeze" || env.agent[0].Down != int64(time.Second) {
		t.Fatalf("seed %d: actions %+v", testSeed, env.agent)
	}
	if env.events[0].Until != int64(1001*time.Millisecond) {
		t.Fatalf("seed %d: until %d", testSeed, env.events[0].Until)
	}
}
