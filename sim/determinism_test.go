package sim

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

func jsonl(t *testing.T, cfg Config) []byte {
	t.Helper()
	w := run(t, cfg)
	var b bytes.Buffer
	if err := trace.WriteAll(&b, w.Trace()); err != nil {
		t.Fatalf("seed %d: %v", cfg.Seed, err)
	}
	return b.Bytes()
}

// The same configuration gives a byte-identical trace, run twice and under
// GOMAXPROCS 1 and 2; another seed gives another trace.
func TestDeterminism(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for seed := uint64(1); seed <= 40; seed++ {
		runtime.GOMAXPROCS(1)
		a := jsonl(t, randomConfig(seed))
		b := jsonl(t, randomConfig(seed))
		runtime.GOMAXPROCS(2)
		c := jsonl(t, randomConfig(seed))
		if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
			t.Fatalf("seed %d: traces differ between runs (%d, %d, %d bytes)", seed, len(a), len(b), len(c))
		}
	}
	// Same program and faults, another seed: the random draws differ.
	cfg := randomConfig(7)
	cfg.Faults = append(cfg.Faults, dropSpec(0.05))
	a := jsonl(t, cfg)
	cfg.Seed = 8
	if b := jsonl(t, cfg); bytes.Equal(a, b) {
		t.Fatalf("seeds 7 and 8 gave the same trace")
	}
}

// Adding a fault does not change another fault's draws: a drop fault drops
// the same bytes with or without a corrupt fault on the other direction.
func TestStreamsIndependent(t *testing.T) {
	base := Config{Seed: 11}
	for i := 0; i < 10; i++ {
		base.Steps = append(base.Steps, send("guest-sync", `{"id":1}`))
	}
	base.Faults = append(base.Faults, dropSpec(0.03))
	lost := func(cfg Config) string {
		var s []byte
		for _, e := range run(t, cfg).Trace() {
			if e.Kind == trace.KindFault && e.Fault == "drop" {
				s = append(s, trace.Format(e)...)
			}
		}
		return string(s)
	}
	a := lost(base)
	with := base
	with.Faults = append(append([]faultSpec(nil), base.Faults...), corruptSpec("a2h"))
	if b := lost(with); a != b || a == "" {
		t.Fatalf("seed 11: drop fault's draws changed when a corrupt fault was added:\n%s\n---\n%s", a, b)
	}
}
