package sweep

import (
	"context"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
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

// benchSweepFile is benchSweep for a scenario file of testdata.
func benchSweepFile(b *testing.B, path string, jobs int) {
	sc, err := scenarios.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	p := &Plan{Targets: []Target{{Info: ScenarioInfo{Scenario: path, Strategies: []string{sc.Client.Strategy}}, Scenario: sc}},
		Seeds: Seeds{First: 1, Last: uint64(b.N)}, Shard: Whole}
	b.ReportAllocs()
	b.ResetTimer()
	if err := Run(context.Background(), p, Options{Jobs: jobs}, func(*Record) error { return nil }); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seeds/s")
}

// The fault-heavy minute of the World benchmark, as a scenario file.
func BenchmarkSweepHeavyMinute1(b *testing.B) { benchSweepFile(b, "testdata/heavy-minute.yaml", 1) }
func BenchmarkSweepHeavyMinute2(b *testing.B) { benchSweepFile(b, "testdata/heavy-minute.yaml", 2) }
