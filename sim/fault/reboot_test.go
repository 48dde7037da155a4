package fault

import (
	"testing"
	"time"
)

func TestReboot(t *testing.T) {
	f, env := mk(t, Spec{Kind: "reboot", Trigger: Trigger{At: at(0)}})
	f.Fire(0)
	if len(env.agent) != 1 || env.agent[0].Kind != "reboot" || env.agent[0].Down != int64(5*time.Second) {
		t.Fatalf("seed %d: actions %+v", testSeed, env.agent)
	}
	// On the host's direction a byte trigger does not cut the host's write.
	f, env = mk(t, Spec{Kind: "reboot", Dir: "h2a", Trigger: Trigger{On: []byte(",")}})
	if c := pass(f, 0, 0, `{"a":1,"b":2}`); string(c.Data) != `{"a":1,"b":2}` || len(env.agent) != 1 {
		t.Fatalf("seed %d: %q %+v", testSeed, c.Data, env.agent)
	}
}
