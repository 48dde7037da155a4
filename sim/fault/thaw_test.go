package fault

import "testing"

func TestThaw(t *testing.T) {
	f, env := mk(t, Spec{Kind: "thaw", Trigger: Trigger{At: at(0)}})
	f.Fire(0)
	if len(env.agent) != 1 || env.agent[0].Kind != "thaw" {
		t.Fatalf("seed %d: actions %+v", testSeed, env.agent)
	}
}
