package check_test

import (
	"slices"
	"testing"

	"github.com/qgasim/qgasim/internal/scenariotest"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// BenchmarkCheckerHeavyMinute is the oracle's share of one run of the
// fault-heavy minute: a Checker fed the events it reads (check.Reads) of
// seed 1, then its summary, as a sweep makes them for every seed.
func BenchmarkCheckerHeavyMinute(b *testing.B) {
	sc, err := scenarios.Load("../../sweep/testdata/heavy-minute.yaml")
	if err != nil {
		b.Fatal(err)
	}
	run := scenariotest.ExecuteAt(b, sc, 1)
	var events []trace.Event
	for _, ev := range run.Events {
		if slices.Contains(check.Reads, ev.Kind) {
			events = append(events, ev)
		}
	}
	want := check.Analyze(run.Events, false)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c := check.NewChecker(check.Options{})
		for i := range events {
			c.Observe(&events[i])
		}
		if s := c.Summary(false); s.Total != want.Total || s.Episodes != want.Episodes {
			b.Fatalf("%d requests, %d episodes; a whole trace has %d, %d", s.Total, s.Episodes, want.Total, want.Episodes)
		}
	}
}
