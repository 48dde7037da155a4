package sweep

import (
	"context"
	"testing"
)

// benchSweep runs b.N seeds of a library scenario on jobs goroutines and
// reports seeds a second.
func benchSweep(b *testing.B, name string, jobs int) {
	sc := library(b, name)
	p := &Plan{Targets: []Target{{Info: ScenarioInfo{Scenario: name, Strategies: []string{sc.Client.Strategy}}, Scenario: sc}},
		Seeds: Seeds{First: 1, Last: uint64(b.N)}, Shard: Whole}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	if err := Run(context.Background(), p, Options{Jobs: jobs}, func(*Record) error { n++; return nil }); err != nil {
		b.Fatal(err)
	}
	if n != b.N {
		b.Fatalf("%d runs of %d", n, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seeds/s")
}

func BenchmarkSweepStaleReply1(b *testing.B) { benchSweep(b, "stale-reply-virtio", 1) }
func BenchmarkSweepStaleReply2(b *testing.B) { benchSweep(b, "stale-reply-virtio", 2) }
