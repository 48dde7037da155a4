package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/sweep"
)

var updatePinned = flag.Bool("update", false, "rewrite testdata/pinned-traces.txt from the current behaviour")

// pinnedSeeds are the seeds every scenario runs at under every strategy.
var pinnedSeeds = sweep.Seeds{First: 1, Last: 5}

// pinnedFiles are scenario files outside the library that the golden
// covers too: the fault-heavy minute the speed figures are measured on.
var pinnedFiles = []string{"../../sweep/testdata/heavy-minute.yaml"}

const pinnedGolden = "testdata/pinned-traces.txt"

// TestTracesPinned keeps every run of the library (and the heavy minute)
// byte for byte what it was: under every strategy, at a few seeds, the
// SHA-256 of the JSON Lines trace, of the report (text and JSON, wall time
// left out) and of the sweep's line for the run are compared to a golden
// file. Work on speed must leave them all unchanged; a change of
// behaviour, or of a library scenario, is regenerated on purpose with
// `go test ./cmd/qgasim -run TracesPinned -update` and its diff read.
//
// It also checks that a run that keeps its events (the pictures, the TUI)
// has the trace the streaming run wrote, and that the sweep, which writes
// no trace, judges the run as the traced one did.
func TestTracesPinned(t *testing.T) {
	type source struct {
		name string
		data []byte
	}
	var srcs []source
	for _, e := range scenarios.Library() {
		_, data, ok := scenarios.LibraryFile(e.Name)
		if !ok {
			t.Fatalf("library scenario %s cannot be read", e.Name)
		}
		srcs = append(srcs, source{e.File, data})
	}
	for _, p := range pinnedFiles {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, source{filepath.Base(p), data})
	}

	var got []string
	for _, src := range srcs {
		fileSum := short(src.data)
		base, err := scenarios.Parse(src.name, src.data)
		if err != nil {
			t.Fatalf("%s: %v", src.name, err)
		}
		// The sweep's lines for every strategy and seed, in one sweep.
		sweepLines := map[string]string{}
		plan := &sweep.Plan{Targets: []sweep.Target{{Info: sweep.ScenarioInfo{Scenario: src.name, Strategies: client.Names()}, Scenario: base}},
			Seeds: pinnedSeeds, Shard: sweep.Whole}
		err = sweep.Run(context.Background(), plan, sweep.Options{Jobs: 2}, func(r *sweep.Record) error {
			sweepLines[fmt.Sprintf("%s %d", r.Strategy, r.Seed)] = short(r.AppendJSON(nil))
			return nil
		})
		if err != nil {
			t.Fatalf("%s: sweep: %v", src.name, err)
		}
		for _, st := range client.Names() {
			for seed := pinnedSeeds.First; seed <= pinnedSeeds.Last; seed++ {
				key := fmt.Sprintf("%s %s %d", src.name, st, seed)
				traced, report := pinnedRun(t, src.name, src.data, st, seed, false)
				kept, _ := pinnedRun(t, src.name, src.data, st, seed, true)
				if traced != kept {
					t.Errorf("%s: the kept events' trace differs from the streamed trace", key)
				}
				line, ok := sweepLines[fmt.Sprintf("%s %d", st, seed)]
				if !ok {
					t.Fatalf("%s: the sweep gave no line", key)
				}
				got = append(got, fmt.Sprintf("%s file=%s trace=%s report=%s sweep=%s", key, fileSum, traced, report, line))
			}
		}
	}
	sort.Strings(got)
	text := "# scenario strategy seed: SHA-256 of the scenario file, the JSONL trace,\n" +
		"# the report (text and JSON, wall time zero) and the sweep line. Regenerate with -update.\n" +
		strings.Join(got, "\n") + "\n"
	if *updatePinned {
		if err := os.WriteFile(pinnedGolden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(pinnedGolden)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	wantLines := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Fields(l)
		wantLines[strings.Join(f[:3], " ")] = l
	}
	bad := 0
	for _, l := range got {
		f := strings.Fields(l)
		key := strings.Join(f[:3], " ")
		w, ok := wantLines[key]
		delete(wantLines, key)
		switch {
		case !ok:
			t.Errorf("%s: not in %s: a new scenario? regenerate with -update", key, pinnedGolden)
		case w != l && f[3] != strings.Fields(w)[3]:
			t.Errorf("%s: the scenario file changed since %s was made: if its runs are meant to change, regenerate with -update and read the diff", key, pinnedGolden)
		case w != l:
			bad++
			if bad <= 20 {
				t.Errorf("%s changed:\n  got  %s\n  want %s", key, strings.Join(f[4:], " "), strings.Join(strings.Fields(w)[4:], " "))
			}
		}
	}
	if bad > 20 {
		t.Errorf("... %d runs changed in all", bad)
	}
	for key := range wantLines {
		t.Errorf("%s: in %s but no longer run", key, pinnedGolden)
	}
}

// pinnedRun runs one scenario file under a strategy at a seed, as `qgasim
// run --strategy ST --seed N --trace FILE` does (with keep, as with
// --html), and returns the short sums of its trace and of its report.
func pinnedRun(t *testing.T, name string, data []byte, st string, seed uint64, keep bool) (traceSum, reportSum string) {
	t.Helper()
	sc, err := scenarios.Parse(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sf := strategyFlag{name: st}
	sf.edit(sc)
	cfg, err := scenarios.Build(sc, &seed)
	if err != nil {
		t.Fatalf("%s %s %d: %v", name, st, seed, err)
	}
	var tr bytes.Buffer
	rep, err := runScenario(context.Background(), sc, cfg, &tr, check.DefaultList, keep)
	if rep == nil {
		t.Fatalf("%s %s %d: %v", name, st, seed, err)
	}
	if keep {
		// The kept events, written as a trace, are the streamed trace.
		var b bytes.Buffer
		bw := bufio.NewWriter(&b)
		tw := trace.NewWriter(bw)
		for _, ev := range rep.run.Events {
			if err := tw.Write(ev); err != nil {
				t.Fatal(err)
			}
		}
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), tr.Bytes()) {
			t.Errorf("%s %s %d: the kept events differ from the streamed trace", name, st, seed)
		}
	}
	rep.wall = 0
	var out bytes.Buffer
	fmt.Fprintf(&out, "error: %v\n", err)
	rep.Text(&out)
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep.JSON()); err != nil {
		t.Fatal(err)
	}
	return short(tr.Bytes()), short(out.Bytes())
}

// short is the SHA-256 of data, in hex.
func short(data []byte) string {
	s := sha256.Sum256(data)
	return fmt.Sprintf("%x", s)
}
