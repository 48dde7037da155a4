package sim

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

func send(cmd, args string) Step { return Step{Send: &Send{Execute: cmd, Arguments: args}} }

func sleep(d time.Duration) Step { return Step{Sleep: &Sleep{D: d}} }

func run(t testing.TB, cfg Config) *World {
	t.Helper()
	if cfg.NewClient == nil {
		cfg.NewClient = newLineClient
	}
	w, err := New(cfg)
	if err != nil {
		t.Fatalf("seed %d: %v", cfg.Seed, err)
	}
	w.Run()
	return w
}

func kinds(evs []trace.Event, kind string) []trace.Event {
	var out []trace.Event
	for _, e := range evs {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for _, tr := range []string{"virtio-serial", "isa-serial", "unix-socket"} {
		t.Run(tr, func(t *testing.T) {
			w := run(t, Config{Seed: 1, Transport: tr, Steps: []Step{
				{Note: "hello"}, send("guest-sync", `{"id":7}`), send("guest-ping", ""),
			}})
			outs := kinds(w.Trace(), trace.KindOutcome)
			if len(outs) != 2 {
				t.Fatalf("seed 1: %d outcomes, want 2; trace:\n%s", len(outs), dump(w.Trace()))
			}
			if string(outs[0].Bytes) != `{"return": 7}` || outs[0].Outcome != "returned" {
				t.Errorf("seed 1: first outcome %q %s", outs[0].Bytes, outs[0].Outcome)
			}
			for i, o := range outs {
				if o.Reply == nil || o.Reply.Status != "reply" || o.Reply.OriginReq != i+1 || o.Reply.Inc != 1 || o.Reply.ASeq != int64(i+1) {
					t.Errorf("seed 1: outcome %d attributed %+v", i+1, o.Reply)
				}
			}
			if !w.Done() || w.Now() <= 0 || w.Now() > int64(50*time.Millisecond) {
				t.Errorf("seed 1: done=%v now=%d", w.Done(), w.Now())
			}
			if n := len(kinds(w.Trace(), trace.KindNote)); n != 1 {
				t.Errorf("seed 1: %d notes", n)
			}
		})
	}
}

func dump(evs []trace.Event) string {
	var b []byte
	for _, e := range evs {
		b = append(b, trace.Format(e)...)
		b = append(b, '\n')
	}
	return string(b)
}

// The UI's keys: Inject fires a fault at the current moment.
func TestInjectByHand(t *testing.T) {
	w, err := New(Config{Seed: 5, NewClient: newLineClient, Steps: []Step{sleep(10 * time.Millisecond), send("guest-get-time", ""),
		sleep(10 * time.Millisecond), send("guest-get-time", "")}})
	if err != nil {
		t.Fatal(err)
	}
	w.RunUntil(int64(5 * time.Millisecond))
	if err := w.Inject(fault.Spec{Kind: "freeze"}); err != nil {
		t.Fatalf("seed 5: %v", err)
	}
	w.RunUntil(int64(15 * time.Millisecond))
	if !w.Agent().Frozen() {
		t.Fatalf("seed 5: not frozen after the freeze key")
	}
	if err := w.Inject(fault.Spec{Kind: "thaw"}); err != nil {
		t.Fatalf("seed 5: %v", err)
	}
	if err := w.Inject(fault.Spec{Kind: "inject"}); err != nil {
		t.Fatalf("seed 5: %v", err)
	}
	if err := w.Inject(fault.Spec{Kind: "explode"}); err == nil {
		t.Fatalf("seed 5: an unknown kind was accepted")
	}
	w.Run()
	outs := kinds(w.Trace(), trace.KindOutcome)
	if len(outs) != 2 || outs[0].Outcome != "error" || outs[1].Outcome != "returned" {
		t.Fatalf("seed 5: outcomes %+v\n%s", outs, dump(w.Trace()))
	}
	if w.Agent().Frozen() {
		t.Fatalf("seed 5: still frozen after the thaw key")
	}
	if err := CheckAccounting(w.Trace()); err != nil {
		t.Fatalf("seed 5: %v", err)
	}
}
