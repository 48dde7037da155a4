package fault

import "testing"

func TestBurst(t *testing.T) {
	// p=1 r=0: the first byte passes in the good state, then the chain goes
	// bad and stays bad.
	f, env := mk(t, Spec{Kind: "burst", Params: Params{"p": Num(1.0), "r": Num(0)}})
	if c := pass(f, 0, 0, "abcdef"); string(c.Data) != "a" {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	if spans(env.events[0].Lost) != "1+5 " {
		t.Fatalf("seed %d: lost %v", testSeed, env.events[0].Lost)
	}
	// Triggered, r=1: each firing loses exactly the byte it fired at.
	f, _ = mk(t, Spec{Kind: "burst", Params: Params{"r": Num(1.0)}, Trigger: Trigger{On: []byte(`"`)}})
	if c := pass(f, 0, 0, `{"a":1}`); string(c.Data) != `{a:1}` {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	// Loss in the bad state is bad (netem's 1-h): 0 loses nothing.
	f, _ = mk(t, Spec{Kind: "burst", Params: Params{"p": Num(1.0), "r": Num(0), "bad": Num(0)}})
	if c := pass(f, 0, 0, "abcdef"); string(c.Data) != "abcdef" {
		t.Fatalf("seed %d: bad=0 lost bytes: %q", testSeed, c.Data)
	}
}
