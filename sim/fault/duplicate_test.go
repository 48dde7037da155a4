package fault

import "testing"

func TestDuplicate(t *testing.T) {
	f, env := mk(t, Spec{Kind: "duplicate", Dir: "a2h", Trigger: Trigger{On: []byte("\n")}})
	c := pass(f, 0, 0, "{}\n{}\n")
	if string(c.Data) != "{}\n\n{}\n\n" {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
	want := []int64{0, 1, 2, -1, 3, 4, 5, -1}
	for i, s := range c.Src {
		if s != want[i] {
			t.Fatalf("seed %d: src %v", testSeed, c.Src)
		}
	}
	if env.events[0].Added != 2 {
		t.Fatalf("seed %d: added %d", testSeed, env.events[0].Added)
	}
	// n=3 repeats a run.
	f, _ = mk(t, Spec{Kind: "duplicate", Params: Params{"n": Int(3)}, Trigger: Trigger{AfterBytes: off(1)}})
	if c := pass(f, 0, 0, "abcdef"); string(c.Data) != "abcdbcdef" {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
}
