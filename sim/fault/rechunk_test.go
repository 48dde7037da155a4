package fault

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/link"
)

func TestRechunk(t *testing.T) {
	f, _ := mk(t, Spec{Kind: "rechunk", Params: Params{"max": Int(3)}})
	rl := f.(link.ReadLimiter)
	seen := map[int]bool{}
	for i := 0; i < 200; i++ {
		n := rl.ReadLimit(0, 4096)
		if n < 1 || n > 3 {
			t.Fatalf("seed %d: read of %d", testSeed, n)
		}
		seen[n] = true
	}
	if len(seen) != 3 {
		t.Fatalf("seed %d: sizes %v", testSeed, seen)
	}
	if n := rl.ReadLimit(0, 1); n != 1 {
		t.Fatalf("seed %d: limit 1 gave %d", testSeed, n)
	}
	// Triggered: off until it fires, then on for `for`.
	f, _ = mk(t, Spec{Kind: "rechunk", Params: Params{"max": Int(1), "for": Dur(time.Second)}, Trigger: Trigger{At: at(time.Second)}})
	rl = f.(link.ReadLimiter)
	if n := rl.ReadLimit(0, 100); n != 100 {
		t.Fatalf("seed %d: active before firing: %d", testSeed, n)
	}
	f.Fire(int64(time.Second))
	if n := rl.ReadLimit(int64(time.Second), 100); n != 1 {
		t.Fatalf("seed %d: not active after firing: %d", testSeed, n)
	}
	if n := rl.ReadLimit(int64(3*time.Second), 100); n != 100 {
		t.Fatalf("seed %d: still active after `for`: %d", testSeed, n)
	}
}
