package fault

import "testing"

func TestInject(t *testing.T) {
	f, env := mk(t, Spec{Kind: "inject", Params: Params{"bytes": Raw([]byte{0xff})}, Trigger: Trigger{On: []byte("{"), Max: 1}})
	c := pass(f, 0, 0, "{}{}")
	if string(c.Data) != "{\xff}{}" || c.Src[1] != -1 || c.Src[2] != 1 {
		t.Fatalf("seed %d: got %q %v", testSeed, c.Data, c.Src)
	}
	if env.events[0].Added != 1 {
		t.Fatalf("seed %d: added %d", testSeed, env.events[0].Added)
	}
	// A time firing writes on its own.
	f, env = mk(t, Spec{Kind: "inject", Trigger: Trigger{At: at(0)}})
	f.Fire(0)
	if len(env.added) != 1 || string(env.added[0]) != "\xff" {
		t.Fatalf("seed %d: added %q", testSeed, env.added)
	}
}
