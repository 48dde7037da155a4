package model

import (
	"strings"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

// Timeline lines are in words: no event of the library, under any
// strategy, is told by its internal kind name (client.discard, agent.effect).
func TestTimelineInWords(t *testing.T) {
	kinds := []string{trace.KindHostWrite, trace.KindDeliver, trace.KindAgentRead, trace.KindAgentParser, trace.KindAgentReply,
		trace.KindAgentWrite, trace.KindAgentRestart, trace.KindAgentStart, trace.KindAgentEffect, trace.KindClientState,
		trace.KindDiscard, trace.KindIssue, trace.KindOutcome, trace.KindConnect, trace.KindClose, trace.KindDrop, trace.KindHold,
		trace.KindPort}
	seen := map[string]bool{}
	scenariotest.EachLibraryStrategy(t, func(r scenariotest.LibraryRun) {
		cfg := r.Config
		cfg.NoKeep = true
		cfg.Sink = func(ev *trace.Event) {
			en, ok := Describe(*ev)
			if !ok {
				return
			}
			seen[ev.Kind] = true
			for _, k := range kinds {
				if strings.Contains(en.Text, k) {
					t.Fatalf("%s, %s: the timeline says %q for a %s event", r.Scenario, r.Strategy, en.Text, ev.Kind)
				}
			}
		}
		w, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		w.Run()
	})
	for _, k := range []string{trace.KindDiscard, trace.KindPort, trace.KindAgentEffect} {
		if !seen[k] {
			t.Errorf("no library run had a %s event: the test no longer covers it", k)
		}
	}
}
