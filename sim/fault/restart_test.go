package fault

import (
	"testing"
	"time"
)

func TestRestartAgent(t *testing.T) {
	// On the agent's direction, a byte trigger kills the agent right after
	// that byte: the rest of the reply is never written.
	f, env := mk(t, Spec{Kind: "restart-agent", Params: Params{"down": Dur(50 * time.Millisecond)}, Trigger: Trigger{On: []byte(`"return"`)}})
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

// A kill that finds the agent down has no effect: it is traced as such, it
// asks nothing of the World and cuts nothing.
func TestRestartNoEffect(t *testing.T) {
	for _, kind := range []string{"restart-agent", "reboot"} {
		f, env := mk(t, Spec{Kind: kind, Trigger: Trigger{Probability: 1}})
		env.dead = true
		c := pass(f, 0, 0, "abc")
		if string(c.Data) != "abc" || len(env.agent) != 0 || len(env.events) != 3 {
			t.Fatalf("%s: data %q, actions %v, events %v", kind, c.Data, env.agent, env.events)
		}
		for _, ev := range env.events {
			if ev.Text != "no effect: the agent is already down" {
				t.Errorf("%s: event %q", kind, ev.Text)
			}
		}
	}
}
