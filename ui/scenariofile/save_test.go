package scenariofile

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/fault"
)

// w after s: the stale reply that a naive client misattributes is skipped
// by the delimited one, so the file's expectations no longer hold. The
// saved scenario says what this run shows instead, and says so.
func TestSaveAfterStrategySwitch(t *testing.T) {
	sc := scenariotest.Library(t, "stale-reply-virtio")
	before := *sc
	seed := uint64(3)
	saved, err := Save(sc, Changes{Seed: &seed, Strategy: "delimited"}, []Entry{
		{At: 2*time.Second + 1, Spec: fault.Spec{Kind: "inject", Dir: "h2a", Params: fault.Params{"bytes": fault.Raw([]byte{0xff})}}, Note: "by hand: key f"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := saved.Scenario
	if out.Seed != 3 || out.Client.Strategy != "delimited" || out.Client.Options.Timeout != sc.Client.Options.Timeout {
		t.Errorf("seed %d strategy %q options %+v", out.Seed, out.Client.Strategy, out.Client.Options)
	}
	if len(out.Faults) != 1 || out.Faults[0].Note != "by hand: key f" || *out.Faults[0].Trigger.At != 2*time.Second+1 || out.Faults[0].Trigger.Max != 1 {
		t.Errorf("faults %+v", out.Faults)
	}
	if len(saved.Changed) == 0 || !strings.Contains(strings.Join(saved.Changed, "\n"), "misattributed: 1, now 0") {
		t.Errorf("changed %q", saved.Changed)
	}
	if !strings.Contains(out.Comment, "saved by qgasim tui from stale-reply-virtio") || !strings.Contains(out.Comment, "misattributed: 1, now 0") {
		t.Errorf("comment %q", out.Comment)
	}
	if !reflect.DeepEqual(*sc, before) {
		t.Error("Save changed the scenario it was given")
	}
	// The written file loads, and every expectation in it holds.
	back, err := scenarios.Parse("saved.yaml", scenarios.Write(out))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Build(back, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := scenarios.Execute(back, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Pass() {
		t.Errorf("seed %d: the saved scenario fails its own expectations: %+v", cfg.Seed, run.Results)
	}
	if back.Expect.Misattributed == nil || len(back.Expect.Requests) != 1 || back.Expect.Requests[0].Verdict != "correct" {
		t.Errorf("expectations %+v", back.Expect)
	}
}

// Nothing changed: the expectations stay as they were.
func TestSaveKeepsHoldingExpectations(t *testing.T) {
	sc := scenariotest.Library(t, "restart-mid-reply")
	saved, err := Save(sc, Changes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Changed) != 0 || !reflect.DeepEqual(saved.Scenario.Expect, sc.Expect) {
		t.Errorf("changed %q: %+v", saved.Changed, saved.Scenario.Expect)
	}
}
