package scenarios

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
)

func seedFiles(f *testing.F) {
	seeds, _ := filepath.Glob("*.yaml")
	more, _ := filepath.Glob("testdata/*/*.yaml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("version: 1\nname: x\nsteps: [{raw: '\\x'}]\n"))
	f.Add([]byte("# saved\n#\n#  two\nversion: 1\nname: \"a\\tb\"\ndescription: \"x\\n\\n\"\nsteps: [{send: \"g\", arguments: {a: [1, 1e-3, 'x', null, true, {}]}}]\n"))
}

// FuzzLoad: whatever the bytes, loading gives a scenario or Problems, never
// a panic; every problem has a message, and a loaded scenario builds or
// gives Problems.
func FuzzLoad(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("f.yaml", data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %T %v is not a list of problems", err, err)
			}
			for _, p := range ps {
				if p.Msg == "" {
					t.Fatalf("a problem without a message: %+v", p)
				}
			}
			return
		}
		if _, err := Build(sc, nil); err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("Build error %T %v is not a list of problems", err, err)
			}
		}
	})
}

// FuzzWriteRoundTrip: every scenario the loader accepts is written as a
// file that loads as the same scenario, and writing that gives the same
// text.
func FuzzWriteRoundTrip(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		roundTrip(t, sc)
	})
}

// FuzzWriteModel: a scenario built by a program (strings with any
// character, any bytes, any durations) is written as a file that loads as
// the same scenario.
func FuzzWriteModel(f *testing.F) {
	f.Add(uint64(1), "name", "a\nb\n", []byte{0xff, '\'', '\\', '\n'}, "{\"a\":[1,2]}", int64(time.Second))
	f.Add(uint64(7), "", "\x1b[2J\u2028 ", []byte{}, "not json", int64(1))
	f.Fuzz(func(t *testing.T, seed uint64, s1, s2 string, b []byte, js string, ns int64) {
		if !validText(s1) || !validText(s2) || !validText(js) {
			return
		}
		r := rand.New(rand.NewPCG(seed, 1))
		d := time.Duration(ns & math.MaxInt64 >> 2)
		sc := &Scenario{Name: nonEmpty(s1), Description: s2, Comment: commentText(strings.ReplaceAll(s1, "\r", ""))}
		sc.Seed, sc.Duration, sc.Transport = seed, 1+d, Transports[r.IntN(len(Transports))]
		sc.Repeat = r.IntN(4) // 0: not written
		sc.Client = client.Spec{Strategy: client.Names()[r.IntN(len(client.Names()))]}
		sc.Client.Options.Timeout = []time.Duration{0, -1, client.Async, d}[r.IntN(4)]
		sc.Agent = agent.Config{Version: s2, Blocked: []string{s1, js}, Files: map[string][]byte{nonEmpty(s1): b},
			Latency: map[string]time.Duration{js: d}, Programs: map[string]agent.Program{s2: {Stdout: b, ExitCode: r.IntN(256)}}}
		sc.Agent.Interfaces = []agent.Interface{{Name: nonEmpty(s1), HardwareAddress: s2,
			Addresses: []agent.IPAddress{{Address: nonEmpty(s2), Type: []string{"", "ipv4", "ipv6"}[r.IntN(3)], Prefix: r.IntN(129), From: d}},
			Stats:     &agent.NetStats{RxBytes: r.Uint64() >> 1, TxDropped: uint64(r.IntN(9))}}}
		sc.Agent.Users = []agent.User{{Name: nonEmpty(s2), LoginTime: math.Round(r.Float64()*1e15) / 1e6}}
		sc.Agent.VCPUs = []agent.VCPU{{ID: int64(r.IntN(64)), Online: r.IntN(2) == 0, CanOffline: r.IntN(2) == 0}}
		sc.Agent.Disks = []agent.Disk{{Name: nonEmpty(s1), Dependencies: []string{}, Address: &agent.DiskAddress{BusType: "nvme", Serial: s2}}}
		sc.Agent.Timezone = agent.Timezone{Zone: s2, Offset: r.IntN(86401) - 43200}
		sc.Agent.Uptime = d
		at := d
		sc.Faults = []fault.Spec{
			{Kind: "inject", Name: s1, Note: s2, Dir: "a2h", Params: fault.Params{"bytes": fault.Raw(append([]byte{1}, b...))},
				Trigger: fault.Trigger{At: &at, Max: 1 + r.IntN(5), On: append([]byte{0}, b...)}},
			{Kind: "drop", Params: fault.Params{"p": fault.Num(r.Float64()), "n": fault.Int(1 + r.Int64N(100))},
				Trigger: fault.Trigger{From: d, Until: d + 1, Probability: r.Float64()}},
		}
		sc.Steps = []sim.Step{
			{Send: &sim.Send{Execute: nonEmpty(strings.TrimSpace(s1)), Arguments: js, Timeout: d}, Note: s2},
			{Raw: &sim.Raw{Bytes: append([]byte{}, b...)}},
			{Sleep: &sim.Sleep{D: d}},
			{Note: nonEmpty(s1)},
			{Send: &sim.Send{Execute: "guest-ping", NoWait: r.IntN(2) == 0}},
			{WaitAll: true, Note: s2},
			{StopReading: &sim.StopReading{D: d}},
			{RestartClient: &sim.RestartClient{Down: d}},
		}
		one, n64 := 1, int64(r.IntN(1000))
		sc.Expect = Expect{Correct: &one, Requests: []RequestExpect{{Request: 1, Contains: s2, Class: js, NotContains: s1, OutcomeBefore: &d}},
			ResyncEpisodes: &one, LostBytes: LostBytes{ToHost: &n64}, Never: []string{neverNames()[r.IntN(len(neverNames()))]},
			Resyncs: []ResyncExpect{{Episode: 1 + r.IntN(3), StartsAfter: &d}}}
		roundTrip(t, sc)
	})
}

// validText: a YAML file holds Unicode text; any character of it can be
// written (a control character with an escape), an invalid byte cannot.
func validText(s string) bool { return utf8.ValidString(s) }

func nonEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "x" + s + "x"
	}
	return s
}
