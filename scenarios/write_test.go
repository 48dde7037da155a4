package scenarios

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// roundTrip writes sc, loads the text back and reports how it differs.
func roundTrip(t *testing.T, sc *Scenario) []byte {
	t.Helper()
	out := Write(sc)
	back, err := Parse(sc.File, out)
	if err != nil {
		t.Fatalf("the written file does not load: %v\n%s", err, out)
	}
	if !sameScenario(sc, back) {
		t.Fatalf("Load(Write(s)) != s\nwritten:\n%s\nbefore: %+v\nafter:  %+v", out, *sc, *back)
	}
	if again := Write(back); string(again) != string(out) {
		t.Fatalf("Write is not stable:\n%s\nthen:\n%s", out, again)
	}
	return out
}

// sameScenario compares two scenarios, not where they were read from.
func sameScenario(a, b *Scenario) bool {
	x, y := *a, *b
	x.src, y.src = nil, nil
	x.File, y.File = "", ""
	return reflect.DeepEqual(x, y)
}

// Load(Write(s)) == s for every library scenario and fixture.
func TestWriteRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	good, _ := filepath.Glob("testdata/good/*.yaml")
	for _, f := range append(files, good...) {
		sc, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) { roundTrip(t, sc) })
	}
}
