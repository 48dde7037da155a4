package fault

import "testing"

func TestCorrupt(t *testing.T) {
	f, env := mk(t, Spec{Kind: "corrupt", Params: Params{"bits": Int(8)}, Trigger: Trigger{AfterBytes: off(2)}})
	c := pass(f, 0, 100, "abcd")
	if c.Data[2] != 'c'^0xff || string(c.Data[:2]) != "ab" || c.Data[3] != 'd' {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	if len(env.events) != 1 || spans(env.events[0].Changed) != "102+1 " {
		t.Fatalf("seed %d: events %+v", testSeed, env.events)
	}
	// One bit flips exactly one bit.
	f, _ = mk(t, Spec{Kind: "corrupt", Params: Params{"p": Num(1.0)}})
	c = pass(f, 0, 0, "\x00\x00\x00")
	for _, b := range c.Data {
		if b == 0 || b&(b-1) != 0 {
			t.Fatalf("seed %d: byte %#x is not one flipped bit", testSeed, b)
		}
	}
}
