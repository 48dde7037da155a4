package fault

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	f, env := mk(t, Spec{Kind: "delay", Params: Params{"d": Dur(2 * time.Second)}, Trigger: Trigger{AfterBytes: off(0), Max: 1}})
	if c := pass(f, 0, 0, "ab"); c.Delay != int64(2*time.Second) || string(c.Data) != "ab" {
		t.Fatalf("seed %d: delay %d data %q", testSeed, c.Delay, c.Data)
	}
	if c := pass(f, 0, 2, "cd"); c.Delay != 0 {
		t.Fatalf("seed %d: second write delayed", testSeed)
	}
	if len(env.events) != 1 {
		t.Fatalf("seed %d: %d events", testSeed, len(env.events))
	}
	// p=1 continuous: every write.
	f, _ = mk(t, Spec{Kind: "delay", Params: Params{"p": Num(1.0), "d": Dur(5)}})
	if c := pass(f, 0, 0, "x"); c.Delay != 5 {
		t.Fatalf("seed %d: continuous delay %d", testSeed, c.Delay)
	}
}
