package fault

import "testing"

func TestTruncate(t *testing.T) {
	// A time firing cuts the next write after `after` bytes.
	f, env := mk(t, Spec{Kind: "truncate", Params: Params{"after": Int(3)}, Trigger: Trigger{At: at(0)}})
	f.Fire(0)
	c := pass(f, 0, 50, `{"return": 1}`+"\n")
	if string(c.Data) != `{"r` {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	if spans(env.events[0].Lost) != "53+11 " {
		t.Fatalf("seed %d: lost %v", testSeed, env.events[0].Lost)
	}
	if c := pass(f, 1, 64, "next"); string(c.Data) != "next" {
		t.Fatalf("seed %d: the next write was cut too: %q", testSeed, c.Data)
	}
	// A byte trigger cuts right after the byte (after 0).
	f, _ = mk(t, Spec{Kind: "truncate", Params: Params{"after": Int(0)}, Trigger: Trigger{On: []byte(":")}})
	if c := pass(f, 0, 0, `{"return": 1}`); string(c.Data) != `{"return":` {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	// A time firing while the writer holds bytes cuts those.
	f, env = mk(t, Spec{Kind: "truncate", Trigger: Trigger{At: at(0)}})
	env.held = 100
	f.Fire(0)
	if len(env.events) != 1 || env.events[0].N != 100 {
		t.Fatalf("seed %d: held bytes not cut: %+v", testSeed, env.events)
	}
	if c := pass(f, 0, 0, "abc"); string(c.Data) != "abc" {
		t.Fatalf("seed %d: armed after cutting held bytes: %q", testSeed, c.Data)
	}
}
