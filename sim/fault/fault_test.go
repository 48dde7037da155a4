package fault

import (
	"strings"
	"testing"
)

func TestTableErrors(t *testing.T) {
	env := &fakeEnv{}
	_, err := New(Spec{Kind: "explode"}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), "drop") || !strings.Contains(err.Error(), "restart-agent") {
		t.Fatalf("unknown kind: %v", err)
	}
	_, err = New(Spec{Kind: "drop", Params: map[string]any{"q": 1}}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), `unknown parameter "q" (valid: p, n)`) {
		t.Fatalf("unknown parameter: %v", err)
	}
	_, err = New(Spec{Kind: "drop", Params: map[string]any{"p": 2.0}}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), "[0, 1]") {
		t.Fatalf("bad value: %v", err)
	}
	_, err = New(Spec{Kind: "drop", Dir: "sideways"}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), "h2a, a2h") {
		t.Fatalf("bad direction: %v", err)
	}
	_, err = New(Spec{Kind: "drop", Trigger: Trigger{Probability: 1.5}}, "x", nil, env)
	if err == nil {
		t.Fatal("bad probability accepted")
	}
	if len(Kinds()) != len(Table) || Kinds()[0] != "burst" {
		t.Fatalf("Kinds %v", Kinds())
	}
}

// A bare probability makes every byte an occasion; Max caps the firings.
func TestTriggerProbabilityAndMax(t *testing.T) {
	f, env := mk(t, Spec{Kind: "corrupt", Trigger: Trigger{Probability: 0.5, Max: 3}})
	c := pass(f, 0, 0, strings.Repeat("a", 1000))
	n := 0
	for _, b := range c.Data {
		if b != 'a' {
			n++
		}
	}
	if n != 3 || len(env.events) != 1 {
		t.Fatalf("seed %d: %d bytes changed", testSeed, n)
	}
	// The On match spans writes.
	f, _ = mk(t, Spec{Kind: "drop", Trigger: Trigger{On: []byte("return")}})
	pass(f, 0, 0, `{"ret`)
	if c := pass(f, 0, 5, `urn": 1}`); string(c.Data) != `ur": 1}` {
		t.Fatalf("seed %d: got %q", testSeed, c.Data)
	}
}
