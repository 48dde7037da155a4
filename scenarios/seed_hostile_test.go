package scenarios

import (
	"strings"
	"testing"
)

// A seed in another number form gets a message that says what is wrong
// with it; 1e21 is a number out of range, not "not a number".
func TestSeedNumberForms(t *testing.T) {
	for v, want := range map[string]string{
		"1000000000000000000000": "t.yaml:3:7: seed: 1000000000000000000000 is out of range 0..18446744073709551615",
		"18446744073709551616":   "t.yaml:3:7: seed: 18446744073709551616 is out of range 0..18446744073709551615",
		"1.5":                    "t.yaml:3:7: seed must be an integer, not 1.5",
		".inf":                   "t.yaml:3:7: seed must be a finite integer, not .inf",
		".nan":                   "t.yaml:3:7: seed must be a finite integer, not .nan",
		"1e17":                   "t.yaml:3:7: seed: 1e17 is too large to be exact in this form: write it out in digits",
		"-1":                     "t.yaml:3:7: seed must not be negative",
		"\"7\"":                  "t.yaml:3:7: seed must be a non-negative integer, not a string",
	} {
		p := mustFail(t, head+"seed: "+v+"\nsteps: [{send: guest-ping}]\n", want)
		if strings.Contains(p.Error(), "not a number") {
			t.Errorf("seed %s: %v", v, p)
		}
	}
	for v, want := range map[string]uint64{"1e3": 1000, "18446744073709551615": 1<<64 - 1, "0": 0} {
		sc, err := Parse("t.yaml", []byte(head+"seed: "+v+"\nsteps: [{send: guest-ping}]\n"))
		if err != nil || sc.Seed != want {
			t.Errorf("seed %s: %v, %v; want %d", v, sc, err, want)
		}
	}
}
