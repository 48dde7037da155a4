package fault

import (
	"testing"
	"time"
)

// pause-agent, continue-agent and stop-agent ask the World for a signal,
// say what they sent, and do nothing to the bytes.
func TestSignals(t *testing.T) {
	cases := []struct {
		spec  Spec
		act   string
		down  time.Duration
		text  string
		until int64
	}{
		{Spec{Kind: "pause-agent", Params: Params{"for": Dur(2 * time.Second)}, Trigger: Trigger{At: at(time.Second)}},
			"pause", 2 * time.Second, "agent paused (SIGSTOP) for 2s", int64(3 * time.Second)},
		{Spec{Kind: "pause-agent", Trigger: Trigger{At: at(time.Second)}}, "pause", 0, "agent paused (SIGSTOP)", 0},
		{Spec{Kind: "continue-agent", Trigger: Trigger{At: at(time.Second)}}, "continue", 0, "agent continued (SIGCONT)", 0},
		{Spec{Kind: "stop-agent", Trigger: Trigger{At: at(time.Second)}}, "stop", time.Second,
			"SIGTERM sent (a running agent finishes the replies in hand, then exits)", 0},
	}
	for _, c := range cases {
		f, env := mk(t, c.spec)
		f.Fire(int64(time.Second))
		if len(env.agent) != 1 || env.agent[0].Kind != c.act || env.agent[0].Down != int64(c.down) || env.agent[0].Fault != c.spec.Kind {
			t.Fatalf("%s: actions %+v", c.spec.Kind, env.agent)
		}
		if len(env.events) != 1 || env.events[0].Text != c.text || env.events[0].Until != c.until {
			t.Fatalf("%s: events %+v", c.spec.Kind, env.events)
		}
		if got := pass(f, 0, 0, "abc"); string(got.Data) != "abc" {
			t.Fatalf("%s: changed bytes: %q", c.spec.Kind, got.Data)
		}
		// With the agent down: no effect, traced.
		f, env = mk(t, c.spec)
		env.dead = true
		f.Fire(int64(time.Second))
		if len(env.agent) != 0 || len(env.events) != 1 || env.events[0].Text != "no effect: the agent is down" {
			t.Fatalf("%s on a dead agent: actions %+v events %+v", c.spec.Kind, env.agent, env.events)
		}
	}
}
