package fault

import (
	"strings"
	"testing"
	"time"
)

func TestStall(t *testing.T) {
	f, env := mk(t, Spec{Kind: "stall", Params: Params{"for": Dur(300 * time.Millisecond)}, Trigger: Trigger{Every: time.Second, Max: 2}})
	if n, ok := f.NextFire(); !ok || n != int64(time.Second) {
		t.Fatalf("seed %d: next fire %d %v", testSeed, n, ok)
	}
	f.Fire(int64(time.Second))
	f.Fire(int64(2 * time.Second))
	if _, ok := f.NextFire(); ok {
		t.Fatalf("seed %d: fires after Max", testSeed)
	}
	if len(env.stalls) != 2 || env.stalls[0] != int64(1300*time.Millisecond) {
		t.Fatalf("seed %d: stalls %v", testSeed, env.stalls)
	}
	// A byte trigger stalls when the byte passes; bytes are not touched.
	f, env = mk(t, Spec{Kind: "stall", Trigger: Trigger{On: []byte("\n")}})
	if c := pass(f, 5, 0, "ab\n"); string(c.Data) != "ab\n" || len(env.stalls) != 1 || env.stalls[0] != 5+int64(time.Second) {
		t.Fatalf("seed %d: %q %v", testSeed, c.Data, env.stalls)
	}
	if _, err := New(Spec{Kind: "stall"}, "s", nil, env); err == nil || !strings.Contains(err.Error(), "needs a trigger") {
		t.Fatalf("stall without a trigger: %v", err)
	}
}
