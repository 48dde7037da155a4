package scenarios

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
)

// streamTo returns a sink that writes JSON Lines to w.
func streamTo(w io.Writer) func(trace.Event) error {
	tw := trace.NewWriter(w)
	return tw.Write
}

// A streamed run writes the trace that a kept run writes after the end
// (how `run --trace` wrote it before), byte for byte, and judges the same:
// the library at several seeds with every strategy.
func TestStreamedRunMatchesKept(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		sc, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, strategy := range client.Names() {
			sc.Client.Strategy = strategy
			for seed := uint64(1); seed <= 5; seed++ {
				cfg, err := Build(sc, &seed)
				if err != nil {
					t.Fatal(err)
				}
				kept, err := Execute(sc, cfg)
				if err != nil {
					t.Fatalf("%s seed %d: %v", f, seed, err)
				}
				var want, got bytes.Buffer
				if err := trace.WriteAll(&want, kept.Events); err != nil {
					t.Fatal(err)
				}
				streamed, err := ExecuteContext(context.Background(), sc, cfg, RunOptions{Sink: streamTo(&got)})
				if err != nil {
					t.Fatalf("%s seed %d: %v", f, seed, err)
				}
				if !bytes.Equal(want.Bytes(), got.Bytes()) {
					t.Fatalf("%s %s seed %d: the streamed trace differs from the kept one", f, strategy, seed)
				}
				if streamed.Events != nil {
					t.Fatalf("%s: events kept without Keep", f)
				}
				streamed.Events, streamed.Config, kept.Config = kept.Events, sim.Config{}, sim.Config{}
				if !reflect.DeepEqual(kept, streamed) {
					t.Fatalf("%s %s seed %d: runs differ:\nkept     %+v\nstreamed %+v", f, strategy, seed, kept, streamed)
				}
			}
		}
	}
}

// soak is a fault-heavy scenario whose program runs n times over.
func soak(t testing.TB, n int) (*Scenario, sim.Config) {
	t.Helper()
	sc, err := Parse("soak.yaml", []byte(`version: 1
name: soak
seed: 1
duration: 1000000s
client: {strategy: delimited, timeout: 1s}
faults:
  - {kind: drop, direction: to-agent, p: 0.002}
  - {kind: corrupt, direction: to-host, p: 0.001}
  - {kind: duplicate, direction: to-host, p: 0.001}
  - {kind: rechunk, direction: to-host, max: 16}
  - {kind: delay, direction: to-agent, p: 0.05, d: 30ms}
  - {kind: stall, direction: to-host, for: 200ms, trigger: {every: 5s}}
  - {kind: restart-agent, down: 300ms, trigger: {every: 7s}}
  - {kind: reconnect-host, down: 10ms, trigger: {every: 11s}}
steps:
  - send: guest-sync
    arguments: {id: 4242}
  - sleep: 100ms
expect:
  hung: 0
  requests:
    - {request: 1, verdict: correct}
`))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Build(sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Repeat = n
	// An expectation about a request far from both ends of the listing
	// (the loader counts only the send steps written out).
	sc.Expect.Requests = append(sc.Expect.Requests, RequestExpect{Request: n / 2, Outcome: "returned"})
	return sc, cfg
}

// liveHeap runs the soak of n requests as `run --trace` does (oracle fold,
// trace written as JSON Lines, here to nowhere) and returns the largest live
// heap seen at samples points of the run.
func liveHeap(t testing.TB, n, samples int) (uint64, *Run) {
	peak, run, _ := liveHeapEvents(t, n, samples)
	return peak, run
}

// liveHeapEvents is liveHeap, with the number of events.
func liveHeapEvents(t testing.TB, n, samples int) (uint64, *Run, int) {
	sc, cfg := soak(t, n)
	bw := bufio.NewWriter(io.Discard)
	var peak uint64
	events, every := 0, 0
	cfg.Sink = func(*trace.Event) {
		events++
		if every > 0 && events%every == 0 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	every = n * 16 / samples // about 16 events a request
	run, err := ExecuteContext(context.Background(), sc, cfg, RunOptions{Sink: streamTo(bw)})
	if err != nil {
		t.Fatal(err)
	}
	if run.Summary.Total != n {
		t.Fatalf("seed 1: %d requests, want %d", run.Summary.Total, n)
	}
	return peak, run, events
}

// A run's memory does not grow with its length: the live heap of a
// 100,000-request fault-heavy run, its trace streamed and judged as it
// goes, is that of a 10,000-request one.
func TestRunHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 100,000-request run")
	}
	small, _ := liveHeap(t, 10_000, 20)
	big, run := liveHeap(t, 100_000, 20)
	t.Logf("live heap %d KB at 10,000 requests, %d KB at 100,000", small>>10, big>>10)
	if big > small+1<<20 {
		t.Errorf("the live heap grew from %d KB to %d KB between 10,000 and 100,000 requests", small>>10, big>>10)
	}
	if len(run.Summary.Requests) > 2*1000+1 || len(run.Steps) > 2*1000 {
		t.Errorf("listed %d requests and %d steps", len(run.Summary.Requests), len(run.Steps))
	}
	if r, ok := run.Summary.Request(50_000); !ok || r.Req != 50_000 {
		t.Errorf("request 50,000, named by an expectation, is not listed")
	}
	if res := run.Results[len(run.Results)-1]; !strings.HasPrefix(res.Why, "#50000 guest-sync: ") {
		t.Errorf("the expectation about request 50,000: %+v", res)
	}
}

// An interrupt stops the run between two steps: the trace ends with the
// end events saying so, every line whole, and the run says what was known.
func TestInterruptedRun(t *testing.T) {
	sc, cfg := soak(t, 1_000_000)
	ctx, cancel := context.WithCancel(context.Background())
	var buf bytes.Buffer
	events := 0
	cfg.Sink = func(*trace.Event) {
		if events++; events == 50_000 {
			cancel()
		}
	}
	run, err := ExecuteContext(ctx, sc, cfg, RunOptions{Sink: streamTo(&buf)})
	if !errors.Is(err, ErrInterrupted) || !errors.Is(run.Stopped, ErrInterrupted) {
		t.Fatalf("seed 1: err %v", err)
	}
	evs, err := trace.ReadAll(&buf)
	if err != nil {
		t.Fatalf("the trace does not read back: %v", err)
	}
	if n := len(evs); n < 50_000 || n > 50_000+stopCheck*200 {
		t.Fatalf("%d events after the interrupt at 50,000", n)
	}
	for _, ev := range evs[len(evs)-2:] {
		if ev.Kind != trace.KindEnd || ev.Text != "interrupted" {
			t.Fatalf("last events %+v", evs[len(evs)-2:])
		}
	}
	if err := sim.CheckAccounting(evs); err != nil {
		t.Fatalf("seed 1: %v", err)
	}
	if run.Summary.Total == 0 || run.Summary.Total >= 1_000_000 || run.StepsTotal == 0 {
		t.Fatalf("partial run: %d requests, %d steps", run.Summary.Total, run.StepsTotal)
	}
}

// A run that reaches its event budget stops with sim.ErrBudget and says
// what it knew; a trace that cannot be written stops the run too.
func TestBudgetAndSinkErrors(t *testing.T) {
	sc, cfg := soak(t, 1_000_000)
	cfg.MaxEvents = 20_000
	run, err := ExecuteContext(context.Background(), sc, cfg, RunOptions{})
	if !errors.Is(err, sim.ErrBudget) || run == nil || run.Summary.Total == 0 {
		t.Fatalf("seed 1: err %v", err)
	}
	if !strings.Contains(err.Error(), "event budget of 20000 reached at t=") {
		t.Fatalf("message %q", err)
	}
	sc, cfg = soak(t, 1_000)
	full := errors.New("no space left on device")
	n := 0
	run, err = ExecuteContext(context.Background(), sc, cfg, RunOptions{Sink: func(trace.Event) error {
		if n++; n > 100 {
			return full
		}
		return nil
	}})
	if !errors.Is(err, full) || run == nil || run.Summary.Total >= 1_000 {
		t.Fatalf("seed 1: err %v", err)
	}
}

// BenchmarkRunSoak is `run --trace` on the fault-heavy soak at 10,000,
// 100,000 and 1,000,000 requests: the oracle folds the events, the trace is
// encoded as JSON Lines (to nowhere). Time per request and the peak live
// heap should not change with n.
//
//	go test ./scenarios -run XXX -bench RunSoak -benchtime 1x
func BenchmarkRunSoak(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run("requests="+strconv.Itoa(n), func(b *testing.B) {
			var peak uint64
			var events int
			for b.Loop() {
				peak, _, events = liveHeapEvents(b, n, 10)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/request")
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MB")
			b.ReportMetric(float64(events)/float64(n), "events/request")
		})
	}
}
