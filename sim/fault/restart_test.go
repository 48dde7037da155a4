package fault

import (
	"testing"
	"time"
)

func TestRestartAgent(t *testing.T) {
	// On the agent's direction, a byte trigger kills the agent right after
	// that byte: the rest of the reply is never written.
	f, env := mk(t, Spec{Kind: "restart-agent", Params: map[string]any{"down": "50ms"}, Trigger: Trigger{On: []byte(`"return"`)}})
	c := pass(f, 0, 0, `{"return": 1}`+"\n")
	if string(c.Data) != `{"return"` {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	if len(env.agent) != 1 || env.agent[0].Kind != "restart" || env.agent[0].Down != int64(50*time.Millisecond) {
		t.Fatalf("seed %d: actions %+v", testSeed, env.agent)
	}
	if len(env.events) != 2 || spans(env.events[1].Lost) != "9+5 " {
		t.Fatalf("seed %d: events %+v", testSeed, env.events)
	}
	// A time trigger acts at once.
	f, env = mk(t, Spec{Kind: "restart-agent", Trigger: Trigger{At: at(time.Second)}})
	f.Fire(int64(time.Second))
	if len(env.agent) != 1 || env.agent[0].Down != int64(time.Second) {
		t.Fatalf("seed %d: actions %+v", testSeed, env.agent)
	}
}
