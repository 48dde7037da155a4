package sim

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// Triggers that fire far too often stop at a budget with ErrBudget, with a
// trace whose accounting closes and whose end events say why, and without
// the memory growing with the firings.
func TestBudgetStopsRunawayTriggers(t *testing.T) {
	ns, us := time.Nanosecond, time.Microsecond
	cases := []struct {
		name     string
		spec     fault.Spec
		duration time.Duration
		maxEv    int64
		what     string
	}{
		{"restart every 1ns", fault.Spec{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{Every: ns}},
			600 * time.Second, 200_000, "events"},
		{"drop every 1ns", fault.Spec{Kind: "drop", Dir: "h2a", Trigger: fault.Trigger{Every: ns}}, 600 * time.Second, 200_000, "events"},
		{"stall every 1ms over 600s", fault.Spec{Kind: "stall", Dir: "a2h", Params: fault.Params{"for": fault.Dur(time.Millisecond)}, Trigger: fault.Trigger{Every: time.Millisecond}},
			600 * time.Second, 200_000, "events"},
		{"restart every second over 1e18ns", fault.Spec{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(300 * time.Millisecond)}, Trigger: fault.Trigger{Every: time.Second}},
			time.Duration(1e18), 200_000, "events"},
		{"reconnect every 1us, down 1s", fault.Spec{Kind: "reconnect-host", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: fault.Trigger{Every: us}},
			600 * time.Second, DefaultMaxEvents, "pending"},
		{"freeze every 1us for 600s", fault.Spec{Kind: "freeze", Params: fault.Params{"for": fault.Dur(600 * time.Second)}, Trigger: fault.Trigger{Every: us}},
			600 * time.Second, DefaultMaxEvents, "pending"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var last []trace.Event
			cfg := Config{Seed: 1, Duration: tc.duration, MaxEvents: tc.maxEv, Faults: []fault.Spec{tc.spec}, Client: lineSpec,
				Steps: []Step{send("guest-sync", `{"id":1}`), sleep(time.Second)}, Repeat: 1 << 30, NoKeep: true,
				Sink: func(ev *trace.Event) {
					if ev.Kind == trace.KindEnd {
						last = append(last, *ev)
					}
				}}
			w, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			w.Run()
			var be *BudgetError
			if !errors.Is(w.Err(), ErrBudget) || !errors.As(w.Err(), &be) || be.What != tc.what {
				t.Fatalf("seed 1: err %v, want the %s budget", w.Err(), tc.what)
			}
			if len(last) != 2 || last[0].Text != w.Err().Error() {
				t.Fatalf("end events %+v", last)
			}
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > 128<<20 {
				t.Errorf("live heap %d MB at the budget", ms.HeapAlloc>>20)
			}
			t.Logf("%v; %d events, %d actions, heap %d MB", w.Err(), w.Events(), w.actions, ms.HeapAlloc>>20)
		})
	}
}

// The budget error names the limit and the time, as the command line
// prints it.
func TestBudgetMessage(t *testing.T) {
	e := &BudgetError{What: "events", Limit: 1000, At: int64(1500 * time.Millisecond)}
	if s := e.Error(); s != "event budget of 1000 reached at t=1.500s" {
		t.Fatalf("%q", s)
	}
	if !strings.Contains((&BudgetError{What: "pending", Limit: 5}).Error(), "more than 5 actions pending") {
		t.Fatal("pending message")
	}
}

// A run stopped at its budget still has a trace whose accounting closes.
func TestBudgetTraceCloses(t *testing.T) {
	cfg := Config{Seed: 3, Duration: time.Minute, MaxEvents: 5_000, Client: lineSpec,
		Faults: []fault.Spec{{Kind: "drop", Dir: "h2a", Params: fault.Params{"p": fault.Num(0.01)}},
			{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(10 * time.Millisecond)}, Trigger: fault.Trigger{Every: 50 * time.Millisecond}}},
		Steps: []Step{send("guest-sync", `{"id":1}`), sleep(time.Millisecond)}, Repeat: 100_000}
	w := run(t, cfg)
	if !errors.Is(w.Err(), ErrBudget) {
		t.Fatalf("seed 3: err %v", w.Err())
	}
	if err := CheckAccounting(w.Trace()); err != nil {
		t.Fatalf("seed 3: %v", err)
	}
}
