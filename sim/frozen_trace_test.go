package sim

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// frozenStates lists, in order, what the trace says about the guest's
// frozen state: agent.effect frozen/thawed and agent.start (frozen or not).
func frozenStates(evs []trace.Event) []string {
	var out []string
	for _, e := range evs {
		switch {
		case e.Kind == trace.KindAgentEffect && (e.State == "frozen" || e.State == "thawed"):
			out = append(out, e.State)
		case e.Kind == trace.KindAgentStart && e.State == "frozen":
			out = append(out, "start frozen")
		case e.Kind == trace.KindAgentStart:
			out = append(out, "start")
		}
	}
	return out
}

// The trace tells the guest's frozen state wherever it changes, so that a
// reader of the trace alone (the TUI, a replay) shows FROZEN exactly while
// guest-fsfreeze-status would say frozen.
func TestFrozenStateInTrace(t *testing.T) {
	restart := func(at0 time.Duration) fault.Spec {
		return fault.Spec{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: fault.Trigger{At: at(at0), Max: 1}}
	}
	reboot := func(at0 time.Duration) fault.Spec {
		return fault.Spec{Kind: "reboot", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: fault.Trigger{At: at(at0), Max: 1}}
	}
	cases := []struct {
		name   string
		cfg    Config
		want   []string
		status string // what the last guest-fsfreeze-status returned
	}{
		{
			// The freeze takes 30 s to answer and the agent dies at 2 s: the
			// guest is frozen all the same, and the new process starts so.
			name: "host freeze, agent killed before the reply",
			cfg: Config{Seed: 1, Duration: 2 * time.Minute,
				Agent:  agent.Config{Latency: map[string]time.Duration{"guest-fsfreeze-freeze": 30 * time.Second}},
				Faults: []fault.Spec{restart(2 * time.Second)},
				Steps:  []Step{send("guest-fsfreeze-freeze", ""), sleep(40 * time.Second), send("guest-fsfreeze-status", "")}},
			want:   []string{"start", "frozen", "start frozen"},
			status: "frozen",
		},
		{
			// A reboot loses the state directory: the guest comes back thawed.
			name: "host freeze, then a reboot",
			cfg: Config{Seed: 1, Duration: time.Minute, Faults: []fault.Spec{reboot(time.Second)},
				Steps: []Step{send("guest-fsfreeze-freeze", ""), sleep(5 * time.Second), send("guest-fsfreeze-status", "")}},
			want:   []string{"start", "frozen", "thawed", "start"},
			status: "thawed",
		},
		{
			name: "a guest that starts frozen",
			cfg: Config{Seed: 1, Duration: time.Minute, Agent: agent.Config{StartFrozen: true},
				Steps: []Step{send("guest-fsfreeze-status", ""), send("guest-fsfreeze-thaw", ""), send("guest-fsfreeze-status", "")}},
			want:   []string{"start frozen", "thawed"},
			status: "thawed",
		},
		{
			name: "the freeze fault, then a restart",
			cfg: Config{Seed: 1, Duration: time.Minute, Faults: []fault.Spec{
				{Kind: "freeze", Trigger: fault.Trigger{At: at(time.Second), Max: 1}}, restart(2 * time.Second)},
				Steps: []Step{sleep(5 * time.Second), send("guest-fsfreeze-status", "")}},
			want:   []string{"start", "frozen", "start frozen"},
			status: "frozen",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := run(t, c.cfg)
			evs := w.Trace()
			if got := frozenStates(evs); !equalStrings(got, c.want) {
				t.Errorf("frozen states %q, want %q", got, c.want)
			}
			var last string
			for _, e := range kinds(evs, trace.KindAgentReply) {
				if e.Cmd == "guest-fsfreeze-status" {
					last = string(e.Bytes)
				}
			}
			if want := `{"return": "` + c.status + `"}` + "\n"; last != want {
				t.Errorf("the last guest-fsfreeze-status said %q, want %q", last, want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
