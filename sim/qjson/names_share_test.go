package qjson

import "testing"

// TestSharedNames: a shared table reads as its source, and adding to it
// leaves the source as it was.
func TestSharedNames(t *testing.T) {
	var src Names
	for _, s := range []string{"execute", "arguments", "id", "return"} {
		src.Add(s)
	}
	a, b := src.Share(), src.Share()
	if a.Index("id") != src.Index("id") || a.Index("nope") != -1 {
		t.Fatal("a shared table does not read as its source")
	}
	for i := 0; i < 40; i++ {
		a.Add("extra" + string(rune('A'+i)))
	}
	if src.Index("extraA") != -1 || b.Index("extraA") != -1 || len(src.list) != 4 {
		t.Fatal("adding to a shared table changed its source")
	}
	if a.Index("extraA") < 0 || a.Index("execute") != 0 {
		t.Fatal("the shared table lost what was added or what it shared")
	}
}
