package sim

import (
	"reflect"
	"slices"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// A Sink that says what it reads (Config.SinkReads) gets every event of
// those kinds exactly as in the full trace, numbers included, while the
// World builds fewer events.
func TestSinkReadsGetsTheFullTracesEvents(t *testing.T) {
	oracle := []string{trace.KindIssue, trace.KindHostWrite, trace.KindAgentReply, trace.KindOutcome,
		trace.KindDrop, trace.KindFault, trace.KindClientState}
	for _, reads := range [][]string{oracle, append(slices.Clip(oracle), trace.KindStep, trace.KindNote)} {
		testSinkReads(t, reads)
	}
}

func testSinkReads(t *testing.T, reads []string) {
	for _, strategy := range []string{"delimited", "libvirt", "none"} {
		for seed := uint64(1); seed <= 3; seed++ {
			full, err := New(heavyConfig(seed, strategy))
			if err != nil {
				t.Fatal(err)
			}
			for full.Step() {
			}
			var want []trace.Event
			unbuilt := 0 // the frequent kinds nothing reads: left unbuilt
			for _, ev := range full.Trace() {
				if slices.Contains(reads, ev.Kind) {
					want = append(want, ev)
				}
				switch ev.Kind {
				case trace.KindDeliver, trace.KindDiscard, trace.KindAgentRead:
					unbuilt++
				case trace.KindStep, trace.KindNote:
					if !slices.Contains(reads, ev.Kind) {
						unbuilt++
					}
				}
			}
			cfg := heavyConfig(seed, strategy)
			var got []trace.Event
			built := 0
			cfg.NoKeep, cfg.SinkReads = true, reads
			cfg.Sink = func(p *trace.Event) {
				built++
				if slices.Contains(reads, p.Kind) {
					// The World's event and slices are reused: keep copies.
					ev := *p
					ev.Bytes = append(trace.Bytes(nil), ev.Bytes...)
					ev.Src = append([]trace.Span(nil), ev.Src...)
					ev.Lost = append([]trace.Span(nil), ev.Lost...)
					ev.Changed = append([]trace.Span(nil), ev.Changed...)
					got = append(got, ev)
				}
			}
			lean, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for lean.Step() {
			}
			if len(got) != len(want) {
				t.Fatalf("%s seed %d: %d events of the kinds read, want %d", strategy, seed, len(got), len(want))
			}
			for i := range want {
				w, g := want[i], got[i]
				for _, s := range []*[]trace.Span{&w.Src, &w.Lost, &w.Changed, &g.Src, &g.Lost, &g.Changed} {
					if len(*s) == 0 {
						*s = nil
					}
				}
				if len(w.Bytes) == 0 {
					w.Bytes = nil
				}
				if len(g.Bytes) == 0 {
					g.Bytes = nil
				}
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("%s seed %d: event %d differs:\n got  %+v\n want %+v", strategy, seed, i, g, w)
				}
			}
			if lean.Events() != full.Events() {
				t.Errorf("%s seed %d: %d events numbered, the full trace has %d", strategy, seed, lean.Events(), full.Events())
			}
			if built != full.Events()-unbuilt || unbuilt == 0 {
				t.Errorf("%s seed %d: the Sink got %d of %d events, want all but the %d unread", strategy, seed, built, full.Events(), unbuilt)
			}
		}
	}
}
