package fault

import "testing"

func TestDrop(t *testing.T) {
	// Each 0xFF that passes takes the next n=2 bytes (itself included) with it.
	f, env := mk(t, Spec{Kind: "drop", Params: Params{"n": Int(2)}, Trigger: Trigger{On: []byte{0xff}}})
	c := pass(f, 0, 10, "a\xffbc\xffd")
	if string(c.Data) != "ac" {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	if len(env.events) != 1 || spans(env.events[0].Lost) != "11+2 14+2 " {
		t.Fatalf("seed %d: events %+v", testSeed, env.events)
	}
	// Continuous with p=1 drops all, p=0 none.
	f, _ = mk(t, Spec{Kind: "drop", Params: Params{"p": Num(1.0)}})
	if c := pass(f, 0, 0, "abc"); len(c.Data) != 0 {
		t.Fatalf("seed %d: p=1 kept %q", testSeed, c.Data)
	}
	f, env = mk(t, Spec{Kind: "drop", Params: Params{"p": Num(0)}})
	if c := pass(f, 0, 0, "abc"); string(c.Data) != "abc" || len(env.events) != 0 {
		t.Fatalf("seed %d: p=0 dropped", testSeed)
	}
	// A time firing arms it for the next byte ("drop next byte").
	f, _ = mk(t, Spec{Kind: "drop", Trigger: Trigger{At: at(0), Max: 1}})
	f.Fire(0)
	if c := pass(f, 1, 0, "xyz"); string(c.Data) != "yz" {
		t.Fatalf("seed %d: armed drop gave %q", testSeed, c.Data)
	}
	if c := pass(f, 2, 3, "xyz"); string(c.Data) != "xyz" {
		t.Fatalf("seed %d: Max 1 dropped again: %q", testSeed, c.Data)
	}
}

// The continuous mode's rate is p, however the bytes are split into writes.
func TestDropRate(t *testing.T) {
	f, _ := mk(t, Spec{Kind: "drop", Params: Params{"p": Num(0.1)}})
	kept, total := 0, 0
	for w := 0; w < 2000; w++ {
		n := 1 + w%97
		kept += len(pass(f, 0, int64(total), string(make([]byte, n))).Data)
		total += n
	}
	lost := float64(total-kept) / float64(total)
	if lost < 0.095 || lost > 0.105 {
		t.Fatalf("seed %d: lost %.4f of %d bytes, want 0.1", testSeed, lost, total)
	}
}
