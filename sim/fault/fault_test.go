package fault

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestTableErrors(t *testing.T) {
	env := &fakeEnv{}
	_, err := New(Spec{Kind: "explode"}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), "drop") || !strings.Contains(err.Error(), "restart-agent") {
		t.Fatalf("unknown kind: %v", err)
	}
	_, err = New(Spec{Kind: "drop", Params: Params{"q": Int(1)}}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), `q: not a parameter of drop (valid: p, n)`) {
		t.Fatalf("unknown parameter: %v", err)
	}
	_, err = New(Spec{Kind: "drop", Params: Params{"p": Num(2.0)}}, "x", nil, env)
	if err == nil || !strings.Contains(err.Error(), "p: 2 is out of range 0..1") {
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

// Check reports every problem at once, each with the field it is about,
// spelled as in a scenario file.
func TestCheckEveryProblem(t *testing.T) {
	until := 2 * time.Second
	probs := Check(Spec{Kind: "stall", Params: Params{"for": Num(1), "what": Int(1)},
		Trigger: Trigger{Probability: math.NaN(), From: 3 * time.Second, Until: until, Max: -1}})
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		"trigger.probability: must be finite, not NaN",
		"trigger.max-count: must not be negative, not -1",
		"trigger.until: must be after from (3s), not 2s",
		"for: must be a duration, not a number",
		"what: not a parameter of stall (valid: for)",
		"stall needs a trigger (at, every, after-bytes, on or probability)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A window alone is no trigger for a kind that needs one.
	probs = Check(Spec{Kind: "restart-agent", Trigger: Trigger{From: time.Second}})
	if len(probs) != 1 || probs[0].Field != "" || !strings.Contains(probs[0].Msg, "needs a trigger") {
		t.Errorf("no trigger: %v", probs)
	}
	if probs := Check(Spec{Kind: "inject", Params: Params{"bytes": Raw(nil)}, Trigger: Trigger{Every: time.Second}}); len(probs) != 1 ||
		probs[0].String() != "bytes: needs at least 1 byte(s)" {
		t.Errorf("empty bytes: %v", probs)
	}
}

// Every declaration is well formed: its defaults pass its own check, its
// name is its key, it says what it does and what each parameter is.
func TestDeclarations(t *testing.T) {
	for name, k := range Table {
		if k.Name != name || k.Doc == "" || k.build == nil {
			t.Errorf("%s: name %q, doc %q", name, k.Name, k.Doc)
		}
		seen := map[string]bool{}
		for _, p := range k.Params {
			if p.Doc == "" || seen[p.Name] {
				t.Errorf("%s.%s: no doc or declared twice", name, p.Name)
			}
			seen[p.Name] = true
			if err := p.Check(p.Default); err != nil {
				t.Errorf("%s.%s: the default %v fails: %v", name, p.Name, p.Default, err)
			}
		}
		spec := Spec{Kind: name, Trigger: Trigger{Every: time.Second}}
		if probs := Check(spec); len(probs) > 0 {
			t.Errorf("%s with defaults: %v", name, probs)
		}
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

// Continuous faults honour the trigger's window and max-count too: a drop
// with p 1 and a window from 70 s drops nothing before 70 s.
func TestContinuousWindowAndMax(t *testing.T) {
	s := int64(time.Second)
	for _, kind := range []string{"drop", "corrupt", "duplicate", "truncate", "delay", "burst"} {
		params := Params{"p": Num(1)}
		if kind == "burst" {
			params["r"] = Num(0)
		}
		f, env := mk(t, Spec{Kind: kind, Params: params, Trigger: Trigger{From: 70 * time.Second, Until: 80 * time.Second}})
		if c := pass(f, 0, 0, "abcd"); string(c.Data) != "abcd" || c.Delay != 0 || len(env.events) != 0 {
			t.Errorf("%s at 0s, before its window: %q, events %v", kind, c.Data, env.events)
		}
		if c := pass(f, 70*s, 4, "abcd"); string(c.Data) == "abcd" && c.Delay == 0 {
			t.Errorf("%s at 70s, in its window: nothing happened", kind)
		}
		n := len(env.events)
		if c := pass(f, 80*s, 8, "abcd"); string(c.Data) != "abcd" || c.Delay != 0 || len(env.events) != n {
			t.Errorf("%s at 80s, after its window: %q", kind, c.Data)
		}
	}
	f, _ := mk(t, Spec{Kind: "drop", Params: Params{"p": Num(1)}, Trigger: Trigger{Max: 2}})
	if c := pass(f, 0, 0, "abcd"); string(c.Data) != "cd" {
		t.Errorf("drop with max-count 2: %q", c.Data)
	}
	f, _ = mk(t, Spec{Kind: "rechunk", Params: Params{"max": Int(1)}, Trigger: Trigger{Until: time.Second}})
	r := f.(interface{ ReadLimit(int64, int) int })
	if r.ReadLimit(0, 100) != 1 || r.ReadLimit(s, 100) != 100 {
		t.Error("rechunk ignores its window")
	}
}
