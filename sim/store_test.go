package sim

import (
	"reflect"
	"testing"
)

// The compact store gives back exactly the events it was given.
func TestStoreRoundTrip(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		var sunk []traceEvent
		cfg := randomConfig(seed)
		cfg.Sink = func(e *traceEvent) { sunk = append(sunk, *e) }
		w := run(t, cfg)
		got := w.Trace()
		if len(got) != len(sunk) || w.Events() != len(sunk) {
			t.Fatalf("seed %d: kept %d events, sunk %d", seed, len(got), len(sunk))
		}
		for i := range sunk {
			if !reflect.DeepEqual(normalize(got[i]), normalize(sunk[i])) {
				t.Fatalf("seed %d: event %d:\nkept %+v\nsunk %+v", seed, i, got[i], sunk[i])
			}
			if !reflect.DeepEqual(w.Event(i), got[i]) {
				t.Fatalf("seed %d: Event(%d) differs from Trace()[%d]", seed, i, i)
			}
		}
	}
}

// normalize makes empty slices nil, as the store gives them back.
func normalize(e traceEvent) traceEvent {
	if len(e.Bytes) == 0 {
		e.Bytes = nil
	}
	if len(e.Src) == 0 {
		e.Src = nil
	}
	if len(e.Lost) == 0 {
		e.Lost = nil
	}
	if len(e.Changed) == 0 {
		e.Changed = nil
	}
	return e
}
