package scenarios

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
)

func TestGoodFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/good/*.yaml")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestFullFixtureValues(t *testing.T) {
	sc, err := Load("testdata/good/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Seed != 42 || sc.Duration != 30*time.Second || sc.Client.Strategy != "libvirt" {
		t.Errorf("top level: %+v", sc)
	}
	if sc.Agent.Latency["guest-info"] != 7*time.Second || string(sc.Agent.Files["/etc/motd"]) != "hello\n" {
		t.Errorf("agent: %+v", sc.Agent)
	}
	if len(sc.Steps) != 7 || string(sc.Steps[2].Raw.Bytes) != "\xff" || sc.Steps[3].Send.Arguments != `{"id":5}` {
		t.Errorf("steps: %+v", sc.Steps)
	}
	if sc.Link.A2H.Baud != 115200 || sc.Link.H2A.Latency != time.Millisecond || sc.Link.A2H.Latency != time.Millisecond {
		t.Errorf("link: %+v", sc.Link)
	}
	if len(sc.Faults) != 2 || !reflect.DeepEqual(sc.Faults[1].Params["down"], fault.Dur(2*time.Second)) || *sc.Faults[1].Trigger.At != 10*time.Second {
		t.Errorf("faults: %+v", sc.Faults)
	}
	if *sc.Expect.Misattributed != 0 || sc.Expect.Requests[0].Verdict != "timed out" {
		t.Errorf("expect: %+v", sc.Expect)
	}
}

// Each bad fixture has a .err file with every problem, file:line:col first.
func TestBadFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, f := range files {
		_, err := Load(f)
		if err == nil {
			t.Errorf("%s: loaded without error", f)
			continue
		}
		want, rerr := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
		if rerr != nil {
			if !strings.HasPrefix(err.Error(), f+":") {
				t.Errorf("%s: error %q does not start with the file name", f, err)
			}
			continue
		}
		if got := err.Error() + "\n"; got != string(want) {
			if *update {
				if err := os.WriteFile(strings.TrimSuffix(f, ".yaml")+".err", []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", f, got, want)
		}
	}
}

func TestByteEscapes(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{`raw: '\xff{"a"}'`, "\xff{\"a\"}"},
		{`raw: "\xff\n"`, "\xff\n"},
		{`raw: [255, 0, 10]`, "\xff\x00\n"},
		{`raw: "caf\u00e9"`, "caf\u00e9"},
	} {
		sc, err := Parse("t.yaml", []byte("version: 1\nname: t\nsteps:\n  - "+c.yaml+"\n"))
		if err != nil {
			t.Errorf("%s: %v", c.yaml, err)
			continue
		}
		if got := string(sc.Steps[0].Raw.Bytes); got != c.want {
			t.Errorf("%s: got %q, want %q", c.yaml, got, c.want)
		}
	}
}

// A section with some keys keeps the defaults of the others.
func TestSectionDefaults(t *testing.T) {
	for _, client := range []string{"client:\n", "client: {timeout: 5s}\n", "client: {}\n"} {
		sc, err := Parse("t.yaml", []byte("version: 1\nname: t\n"+client))
		if err != nil {
			t.Errorf("%q: %v", client, err)
			continue
		}
		if sc.Client.Strategy != DefaultStrategy {
			t.Errorf("%q: strategy %q", client, sc.Client.Strategy)
		}
	}
}
