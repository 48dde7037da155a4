package sim

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/trace"
)

// soakConfig is the fault-heavy minute of heavyConfig stretched to n
// requests: the same eight faults, a guest-sync then 100 ms of sleep, the
// program repeated rather than written out (so the configuration stays
// small and what grows is the run). The duration leaves every request
// time to end (a request takes 0.1 to 3 s); the run ends with the program.
func soakConfig(strategy string, n int) Config {
	cfg := heavyConfig(1, strategy)
	cfg.Steps = []Step{send("guest-sync", `{"id":4242}`), sleep(100 * time.Millisecond)}
	cfg.Repeat = n
	cfg.Duration = time.Duration(n)*5*time.Second + time.Minute
	return cfg
}

// liveHeap runs cfg with its events to a sink and returns the largest live
// heap (after a collection) seen at about samples points of the run, and
// the number of events.
func liveHeap(t testing.TB, cfg Config, samples int) (peak uint64, events int64) {
	issued := 0
	every := max(1, int64(cfg.Repeat)*40/int64(samples)) // about 40 events a request
	var ms runtime.MemStats
	cfg.NoKeep, cfg.Sink = true, func(ev *trace.Event) {
		events++
		if ev.Kind == trace.KindIssue {
			issued++
		}
		if events%every == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	if w.Err() != nil {
		t.Fatalf("seed %d: %v", cfg.Seed, w.Err())
	}
	if issued != cfg.Repeat {
		t.Fatalf("seed %d: %d requests issued, want %d", cfg.Seed, issued, cfg.Repeat)
	}
	return peak, events
}

// The World's memory does not grow with the run: the live heap of 100,000
// fault-heavy requests is that of 10,000, with each strategy. (Before the
// attribution records were trimmed it grew by about 250 bytes a request.)
func TestWorldHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 100,000-request run per strategy")
	}
	for _, s := range []string{"", "delimited", "libvirt", "none", "proxmox", "python-qga"} {
		small, _ := liveHeap(t, soakConfig(s, 10_000), 20)
		big, events := liveHeap(t, soakConfig(s, 100_000), 20)
		t.Logf("%q: live heap %d KB at 10,000 requests, %d KB at 100,000 (%d events)", s, small>>10, big>>10, events)
		if big > small+512<<10 {
			t.Errorf("%q: the live heap grew from %d KB to %d KB between 10,000 and 100,000 requests", s, small>>10, big>>10)
		}
	}
}

// BenchmarkSoak runs the fault-heavy soak at 10,000, 100,000 and 1,000,000
// requests (delimited client, events to a sink): time per request should
// not change with n, nor the peak live heap.
//
//	go test ./sim -run XXX -bench Soak -benchtime 1x
func BenchmarkSoak(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("requests=%d", n), func(b *testing.B) {
			var peak uint64
			var events int64
			for b.Loop() {
				peak, events = liveHeap(b, soakConfig("delimited", n), 10)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/request")
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MB")
			b.ReportMetric(float64(events)/float64(n), "events/request")
		})
	}
}
