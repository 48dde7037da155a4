package sim

import (
	"reflect"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// A drain begun from an event sink (here: at a client.state event, the
// first of a set of actions) while another drain works through the
// client's actions (the World swaps them in place) leaves those actions
// whole: the trace is the one of a run whose sink does not call back.
func TestDrainFromASinkKeepsTheActions(t *testing.T) {
	run := func(reenter bool) []trace.Event {
		cfg := heavyConfig(3, "delimited")
		cfg.Duration = 10e9
		var w *World
		var got []trace.Event
		cfg.NoKeep, cfg.Sink = true, func(ev *trace.Event) {
			got = append(got, *ev)
			if reenter && w.draining && ev.Kind == trace.KindClientState {
				w.drain()
			}
		}
		var err error
		if w, err = New(cfg); err != nil {
			t.Fatal(err)
		}
		w.Run()
		return got
	}
	plain, reentered := run(false), run(true)
	if len(plain) < 100 {
		t.Fatalf("only %d events", len(plain))
	}
	if !reflect.DeepEqual(plain, reentered) {
		for i := range min(len(plain), len(reentered)) {
			if !reflect.DeepEqual(plain[i], reentered[i]) {
				t.Fatalf("event %d differs:\nplain     %+v\nreentered %+v", i, plain[i], reentered[i])
			}
		}
		t.Fatalf("%d events, %d with a sink that drains", len(plain), len(reentered))
	}
}
