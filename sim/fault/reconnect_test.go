package fault

import (
	"testing"
	"time"
)

func TestReconnectHost(t *testing.T) {
	f, env := mk(t, Spec{Kind: "reconnect-host", Params: Params{"down": Dur(10 * time.Millisecond)}, Trigger: Trigger{Every: time.Second, From: 2 * time.Second, Until: 4 * time.Second}})
	for s := int64(1); s <= 5; s++ {
		f.Fire(s * int64(time.Second))
	}
	// Only the firings inside [2s, 4s) act.
	if len(env.host) != 2 || env.host[0].Down != int64(10*time.Millisecond) {
		t.Fatalf("seed %d: actions %+v", testSeed, env.host)
	}
}
