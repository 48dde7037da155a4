package model

import (
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// The agent pane's FROZEN follows the trace: a freeze, a new process that
// finds the frozen marker, a reboot that loses it.
func TestFrozenFollowsTrace(t *testing.T) {
	steps := []struct {
		ev   trace.Event
		want bool
	}{
		{trace.Event{Kind: trace.KindAgentStart, Inc: 1, State: "frozen"}, true}, // agent.frozen: true
		{trace.Event{Kind: trace.KindAgentEffect, Inc: 1, State: "thawed"}, false},
		{trace.Event{Kind: trace.KindAgentEffect, Inc: 1, State: "frozen"}, true},
		{trace.Event{Kind: trace.KindAgentRestart, Inc: 1, Until: 2e9}, true},
		{trace.Event{Kind: trace.KindAgentStart, Inc: 2, State: "frozen"}, true}, // a restart keeps it
		{trace.Event{Kind: trace.KindAgentEffect, Inc: 2, State: "thawed", Text: "by reboot: the state directory is lost"}, false},
		{trace.Event{Kind: trace.KindAgentRestart, Inc: 2, Until: 4e9, Text: "guest reboot"}, false},
		{trace.Event{Kind: trace.KindAgentStart, Inc: 3}, false},
		{trace.Event{Kind: trace.KindAgentEffect, Inc: 3, State: "frozen"}, true},
		{trace.Event{Kind: trace.KindAgentStart, Inc: 4}, false}, // a process that finds no marker
	}
	m := New(Info{}, Limits{})
	for i, s := range steps {
		s.ev.Seq = int64(i + 1)
		m.Apply(s.ev)
		if m.Agent.Frozen != s.want {
			t.Fatalf("after %s %s: frozen %v, want %v", s.ev.Kind, s.ev.State, m.Agent.Frozen, s.want)
		}
	}
}
