package shrink

import (
	"context"
	"testing"
)

// BenchmarkShrinkNoisyMinute: a failing minute of twenty faults and 600
// steps (testdata/noisy-minute.yaml at seed 12) to its smallest scenario,
// on every core. The target: under 10 s.
func BenchmarkShrinkNoisyMinute(b *testing.B) {
	sc := load(b, "testdata/noisy-minute.yaml")
	var runs int64
	for b.Loop() {
		res, err := Shrink(context.Background(), sc, Options{Seed: 12})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Scenario.Faults) > 2 || res.FailsAt != len(res.Tried) {
			b.Fatalf("%d faults, fails at %d of %d", len(res.Scenario.Faults), res.FailsAt, len(res.Tried))
		}
		runs = res.Runs
	}
	b.ReportMetric(float64(runs), "runs/shrink")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/shrink")
}
