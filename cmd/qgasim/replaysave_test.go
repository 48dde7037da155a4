package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

// hostAction is one thing a recorded client does: connect, write, close.
type hostAction struct {
	t    time.Duration
	kind string
	data string
}

// recordServe writes the trace of a serve session whose client did what
// actions says (the World with a real client's endpoint, as serve runs
// it, but in virtual time: no sockets, no waiting).
func recordServe(t *testing.T, path string, actions []hostAction) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	tw := trace.NewWriter(bw)
	var werr error
	w, err := sim.New(sim.Config{Seed: 1, NoKeep: true, Duration: time.Hour,
		Host: &sim.ExternalHost{Deliver: func(int64, []byte) {}, Closed: func(int64, string) {}},
		Sink: func(ev *trace.Event) {
			if err := tw.Write(*ev); err != nil && werr == nil {
				werr = err
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	w.RunUntil(0)
	var end int64
	for _, a := range actions {
		w.RunUntil(int64(a.t))
		switch a.kind {
		case "connect":
			if err := w.HostConnect(); err != nil {
				t.Fatal(err)
			}
		case "write":
			w.HostWrite([]byte(a.data))
		case "close":
			w.HostClose("the client closed the connection")
		}
		end = int64(a.t)
	}
	w.RunUntil(end + int64(time.Second))
	w.Stop()
	if werr != nil {
		t.Fatal(werr)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

// A long session whose client writes each request in three pieces: as one
// raw step per write it is too large for a scenario file; --save merges
// the pieces (the agent answered nothing between them) and the scenario
// loads and runs, answering every message as the replay did.
func TestReplaySaveMergesALongSession(t *testing.T) {
	if testing.Short() {
		t.Skip("a 45,000-write session")
	}
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "long.jsonl")
	var actions []hostAction
	actions = append(actions, hostAction{0, "connect", ""})
	const n = 15000
	for i := range n {
		at := time.Duration(i)*2*time.Millisecond + time.Millisecond
		actions = append(actions,
			hostAction{at, "write", `{"execute":"guest-sync",`},
			hostAction{at + 10*time.Microsecond, "write", `"arguments":{"id":`},
			hostAction{at + 20*time.Microsecond, "write", fmt.Sprintf("%d}}", i)})
	}
	recordServe(t, tracePath, actions)
	repro := filepath.Join(dir, "repro.yaml")
	var out, errOut bytes.Buffer
	if code := run([]string{"replay", tracePath, "--save", repro}, &out, &errOut); code != 0 {
		t.Fatalf("replay --save exited %d:\n%s\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "0 differences") {
		t.Errorf("replay:\n%s", out.String())
	}
	if want := "(a long one: its 45000 host writes as 15000 raw steps, host writes merged where the agent answered nothing between them;"; !strings.Contains(errOut.String(), want) {
		t.Errorf("the save says %q, want %q", errOut.String(), want)
	}
	data, err := os.ReadFile(repro)
	if err != nil {
		t.Fatal(err)
	}
	// The unmerged form would not load: that is why it was merged.
	recorded, err := readRecordingFile(tracePath)
	if err != nil {
		t.Fatal(err)
	}
	if scenarios.WithinLimits(scenarios.Write(reproScenario(nil, sim.Config{Seed: 1}, "x", "", recorded, nil, mergeNone))) {
		t.Fatal("one raw step per write fits: the session is too short for this test")
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"run", repro}, &out, &errOut); code != 0 {
		t.Fatalf("run of the saved scenario exited %d:\n%s", code, errOut.String())
	}
	rec := strings.Count(string(data), "\n  - raw: ")
	if rec != n {
		t.Errorf("%d raw steps, want %d", rec, n)
	}
}

// A long session that no merge can shorten (a client that connects for
// each request) is not saved: the message says why, and how much of it
// fits; --until saves that much, and it runs.
func TestReplaySaveTooLong(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20,000-connection session")
	}
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "long.jsonl")
	var actions []hostAction
	const n = 20000
	for i := range n {
		at := time.Duration(i) * 3 * time.Millisecond
		actions = append(actions,
			hostAction{at, "connect", ""},
			hostAction{at + 100*time.Microsecond, "write", fmt.Sprintf(`{"execute":"guest-sync","arguments":{"id":%d}}`, i)},
			hostAction{at + 2*time.Millisecond, "close", ""})
	}
	recordServe(t, tracePath, actions)
	repro := filepath.Join(dir, "repro.yaml")
	var out, errOut bytes.Buffer
	if code := run([]string{"replay", tracePath, "--save", repro}, &out, &errOut); code != 2 {
		t.Fatalf("replay --save of a session too long exited %d, want 2:\n%s\n%s", code, out.String(), errOut.String())
	}
	msg := errOut.String()
	for _, want := range []string{"the session's 20000 host writes over", "do not fit in a scenario file (at most 350000 YAML tokens, 8 MiB)",
		"Nothing was saved. 'qgasim replay " + tracePath + "' replays the whole session", "--until "} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(repro); !os.IsNotExist(err) {
		t.Errorf("something was saved: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	m := regexp.MustCompile(`--until (\S+) --save FILE' saves its first \S+ \((\d+) host writes\)`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("no --until in:\n%s", msg)
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"replay", tracePath, "--until", m[1], "--save", repro}, &out, &errOut); code != 0 {
		t.Fatalf("replay --until %s --save exited %d:\n%s\n%s", m[1], code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "0 differences") || !strings.Contains(out.String(), "its part before "+m[1]) {
		t.Errorf("replay --until:\n%s", out.String())
	}
	data, err := os.ReadFile(repro)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(data), "\n  - raw: "); fmt.Sprint(got) != m[2] {
		t.Errorf("%d raw steps saved, the message promised %s", got, m[2])
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"run", repro}, &out, &errOut); code != 0 {
		t.Fatalf("run of the saved part exited %d:\n%s", code, errOut.String())
	}
}
