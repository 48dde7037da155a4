package sim

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// heavyConfig is a fault-heavy minute: a request every 100 ms (600 in all)
// through byte loss, corruption, duplication, re-chunking, delay spikes,
// stalls, agent restarts and host reconnects.
func heavyConfig(seed uint64, strategy string) Config {
	cfg := Config{Seed: seed, Duration: 60 * time.Second, Faults: []fault.Spec{
		{Kind: "drop", Dir: "h2a", Params: fault.Params{"p": fault.Num(0.002)}},
		{Kind: "corrupt", Dir: "a2h", Params: fault.Params{"p": fault.Num(0.001)}},
		{Kind: "duplicate", Dir: "a2h", Params: fault.Params{"p": fault.Num(0.001)}},
		{Kind: "rechunk", Dir: "a2h", Params: fault.Params{"max": fault.Int(16)}},
		{Kind: "delay", Dir: "h2a", Params: fault.Params{"p": fault.Num(0.05), "d": fault.Dur(30 * time.Millisecond)}},
		{Kind: "stall", Dir: "a2h", Params: fault.Params{"for": fault.Dur(200 * time.Millisecond)}, Trigger: fault.Trigger{Every: 5 * time.Second}},
		{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{Every: 7 * time.Second}},
		{Kind: "reconnect-host", Params: fault.Params{"down": fault.Dur(10 * time.Millisecond)}, Trigger: fault.Trigger{Every: 11 * time.Second}},
	}}
	for i := 0; i < 600; i++ {
		cfg.Steps = append(cfg.Steps, send("guest-sync", `{"id":4242}`), sleep(100*time.Millisecond))
	}
	if strategy == "" {
		cfg.Client = lineSpec
	} else {
		cfg.Client = client.Spec{Strategy: strategy, Options: client.Options{Timeout: time.Second}}
	}
	return cfg
}

func benchWorld(b *testing.B, strategy string, keep bool) {
	cfg := heavyConfig(1, strategy)
	if !keep {
		// The events go to a sink (as a streaming oracle or trace writer
		// would take them) instead of being kept.
		var n int
		cfg.NoKeep, cfg.Sink = true, func(*trace.Event) { n++ }
	}
	var events int
	b.ReportAllocs()
	for b.Loop() {
		w, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		w.Run()
		events = w.Events()
		if w.Now() < int64(59*time.Second) {
			b.Fatalf("seed 1: run ended at %d ns", w.Now())
		}
	}
	b.ReportMetric(float64(events), "events/run")
	b.ReportMetric(float64(60*time.Second)/(float64(b.Elapsed())/float64(b.N)), "x-realtime")
}

// BenchmarkWorld60sDelimited: the documented resync strategy (package client).
func BenchmarkWorld60sDelimited(b *testing.B) { benchWorld(b, "delimited", true) }

// BenchmarkWorld60sDelimitedSink: the same, events to a sink, not kept.
func BenchmarkWorld60sDelimitedSink(b *testing.B) { benchWorld(b, "delimited", false) }

// BenchmarkWorld60sLine: the test's line client.
func BenchmarkWorld60sLine(b *testing.B) { benchWorld(b, "", true) }

// BenchmarkWorld60sLineSink: the same, events to a sink, not kept.
func BenchmarkWorld60sLineSink(b *testing.B) { benchWorld(b, "", false) }

func TestHeavyConfigAccounting(t *testing.T) {
	for _, s := range []string{"", "delimited"} {
		w := run(t, heavyConfig(1, s))
		if err := CheckAccounting(w.Trace()); err != nil {
			t.Fatalf("seed 1 %q: %v", s, err)
		}
		if n := len(kinds(w.Trace(), "request.outcome")); n < 200 {
			t.Fatalf("seed 1 %q: %d outcomes", s, n)
		}
	}
}
