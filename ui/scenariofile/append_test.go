package scenariofile

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/fault"
)

const head = `version: 1
name: t
description: a test
seed: 7
`

const steps = `steps:
  - send: guest-ping
    note: hello
`

func entries() []Entry {
	return []Entry{
		{At: 2*time.Second + 1, Spec: fault.Spec{Kind: "inject", Dir: "h2a", Params: fault.Params{"bytes": fault.Raw([]byte{0xff})}}, Comment: "by hand: key f"},
		{At: 3 * time.Second, Spec: fault.Spec{Kind: "truncate", Dir: "a2h", Params: fault.Params{"after": fault.Int(0)}}},
		{At: 4 * time.Second, Spec: fault.Spec{Kind: "inject", Dir: "h2a", Params: fault.Params{"bytes": fault.Raw([]byte(`{"execute":"guest-fsfreeze-thaw"}` + "\n"))}}},
		{At: 5 * time.Second, Spec: fault.Spec{Kind: "restart-agent"}},
	}
}

func TestAppend(t *testing.T) {
	existing := "  - kind: drop\n    direction: to-host\n    p: 0.5\n"
	for _, tc := range []struct {
		name, src string
		faults    int // faults in the file before
	}{
		{"no faults", head + steps, 0},
		{"empty list", head + "faults: []\n" + steps, 0},
		{"indented list", head + "faults:\n" + existing + "\n# a comment\n" + steps, 1},
		{"list at column 0", head + "faults:\n- kind: drop\n  direction: to-host\n  p: 0.5\n" + steps, 1},
		{"list last", head + steps + "faults:   # the faults\n" + existing, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := uint64(99)
			out, err := Append([]byte(tc.src), Changes{Seed: &seed}, entries())
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenarios.Parse("t.yaml", out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if sc.Seed != 99 || len(sc.Steps) != 1 || sc.Description != "a test" {
				t.Errorf("seed %d steps %d description %q", sc.Seed, len(sc.Steps), sc.Description)
			}
			if len(sc.Faults) != tc.faults+4 {
				t.Fatalf("%d faults:\n%s", len(sc.Faults), out)
			}
			if tc.faults == 1 && sc.Faults[0].Kind != "drop" {
				t.Errorf("the existing fault moved: %+v", sc.Faults[0])
			}
			added := sc.Faults[tc.faults:]
			if f := added[0]; f.Kind != "inject" || f.Dir != "h2a" || string(f.Params["bytes"].Bytes) != "\xff" ||
				*f.Trigger.At != 2*time.Second+1 || f.Trigger.Max != 1 {
				t.Errorf("0xFF entry %+v", f)
			}
			if f := added[1]; f.Kind != "truncate" || f.Dir != "a2h" || f.Params["after"].Int != 0 || f.Params["after"].Type != fault.Integer {
				t.Errorf("truncate entry %+v", f)
			}
			if f := added[2]; string(f.Params["bytes"].Bytes) != `{"execute":"guest-fsfreeze-thaw"}`+"\n" {
				t.Errorf("thaw bytes %q", f.Params["bytes"].Bytes)
			}
			if f := added[3]; f.Kind != "restart-agent" || f.Dir != "" || *f.Trigger.At != 5*time.Second {
				t.Errorf("restart entry %+v", f)
			}
			if _, err := scenarios.Build(sc, nil); err != nil {
				t.Errorf("the saved scenario does not build: %v", err)
			}
			if !strings.HasPrefix(string(out), "# saved by qgasim tui: 4 fault(s)") || !strings.Contains(string(out), "# by hand: key f") {
				t.Errorf("no comments:\n%s", out)
			}
		})
	}
}

func TestAppendKeepsFileWithoutEntries(t *testing.T) {
	out, err := Append([]byte(head+steps), Changes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != "# saved by qgasim tui: 0 fault(s) injected by hand, at the end of faults:\n"+head+steps {
		t.Errorf("changed:\n%s", got)
	}
	if _, err := Append([]byte("faults:\n\t- kind: drop\n"), Changes{}, entries()); err == nil {
		t.Error("tabs accepted")
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{"\xff": `"\xff"`, `a"b\c`: `"a\"b\\c"`, "x\n": `"x\x0a"`, "": `""`} {
		if got := quote([]byte(in)); got != want {
			t.Errorf("quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAppendStrategy(t *testing.T) {
	for _, src := range []string{
		head + steps,
		head + "client:\n  timeout: 5s\n" + steps,
		head + "client:\n  strategy: none   # try: delimited\n  timeout: 5s\n" + steps,
		head + "client:\n    timeout: 5s\n    strategy: libvirt\n" + steps,
	} {
		out, err := Append([]byte(src), Changes{Strategy: "delimited"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse("t.yaml", out)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if sc.Client.Strategy != "delimited" || len(sc.Steps) != 1 {
			t.Errorf("strategy %q steps %d:\n%s", sc.Client.Strategy, len(sc.Steps), out)
		}
		if strings.Contains(src, "timeout") && sc.Client.Options.Timeout != 5*time.Second {
			t.Errorf("timeout lost:\n%s", out)
		}
		if strings.Contains(src, "# try") && !strings.Contains(string(out), "strategy: delimited   # try: delimited") {
			t.Errorf("comment lost:\n%s", out)
		}
	}
}
