package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/sim/trace"
)

// forever is a scenario that runs for minutes of wall time: a fault that
// fires every microsecond of ten virtual minutes (and changes nothing).
const forever = `version: 1
name: runs-for-ever
seed: 1
duration: 600s
faults:
  - kind: drop
    direction: to-agent
    trigger: {every: 1us}
steps:
  - send: guest-ping
  - sleep: 590s
expect:
  hung: 0
`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runQgasim runs qgasim (the test binary, as testscript.Main put it in
// PATH) and returns its exit status, stdout and stderr; with a delay, it
// sends SIGINT after it (runSignalled).
func runQgasim(t *testing.T, delay time.Duration, args ...string) (int, string, string) {
	t.Helper()
	return runSignalled(t, syscall.SIGINT, delay, args...)
}

// SIGINT during a long run, on a real process: the partial report marked
// INTERRUPTED with the seed, exit 130, and the trace under its name, whole,
// ending with the end events that say "interrupted"; no temporary file
// left behind.
func TestRunInterrupted(t *testing.T) {
	dir := t.TempDir()
	sc := writeFile(t, dir, "forever.yaml", forever)
	tr := filepath.Join(dir, "t.jsonl")
	code, stdout, stderr := runQgasim(t, 700*time.Millisecond, "run", sc, "--trace", tr, "--max-events", "1000000000000")
	if code != 130 {
		t.Fatalf("exit %d, want 130\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "\nINTERRUPTED   seed 1   virtual ") || !strings.Contains(stdout, "a partial report: the run stopped before its end (interrupted at t=") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if !strings.Contains(stderr, "qgasim run: interrupted at t=") || !strings.Contains(stderr, "(seed 1)") {
		t.Errorf("stderr:\n%s", stderr)
	}
	f, err := os.Open(tr)
	if err != nil {
		t.Fatalf("no trace after the interrupt: %v", err)
	}
	defer f.Close()
	evs, err := trace.ReadAll(f)
	if err != nil {
		t.Fatalf("the trace does not read back: %v", err)
	}
	if n := len(evs); n < 4 || evs[n-1].Kind != trace.KindEnd || evs[n-1].Text != "interrupted" || evs[n-2].Text != "interrupted" {
		t.Fatalf("the trace does not end with the interrupted end events: %+v", evs[max(0, len(evs)-2):])
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".t.jsonl.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// longProgram is n guest-pings in a row: events that no check before the
// run counts.
func longProgram(n int) string {
	var b strings.Builder
	b.WriteString("version: 1\nname: many-pings\nseed: 1\nduration: 1h\nsteps:\n")
	for range n {
		b.WriteString("  - send: guest-ping\n")
	}
	return b.String()
}

// A run that reaches its event budget stops with the message and exit 2,
// after the partial report; --max-events raises the budget.
func TestRunBudget(t *testing.T) {
	dir := t.TempDir()
	sc := writeFile(t, dir, "long.yaml", longProgram(2000))
	code, stdout, stderr := runQgasim(t, 0, "run", sc, "--max-events", "5000")
	if code != 2 {
		t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "qgasim run: event budget of 5000 reached at t=") || !strings.Contains(stderr, "; raise it with --max-events (seed 1)") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.Contains(stdout, "\nSTOPPED   seed 1 ") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if code, _, stderr := runQgasim(t, 0, "run", sc, "--max-events", "0"); code != 2 || !strings.Contains(stderr, "--max-events must be at least 1") {
		t.Errorf("--max-events 0: exit %d, %s", code, stderr)
	}
	if code, stdout, stderr := runQgasim(t, 0, "run", sc, "--max-events", "1000000"); code != 0 || !strings.Contains(stdout, "\nPASS   seed 1 ") {
		t.Errorf("--max-events 1000000: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// A time trigger that would pass the budget is refused before the run
	// (the loader's check), unless --max-events raises the budget.
	foreverPath := writeFile(t, dir, "forever.yaml", forever)
	if code, _, stderr := runQgasim(t, 0, "run", foreverPath); code != 2 || !strings.Contains(stderr, "more than the event budget of 100,000,000") {
		t.Errorf("forever: exit %d, %s", code, stderr)
	}
}

// A second signal quits at once and leaves no trace file behind.
func TestSecondSignalQuits(t *testing.T) {
	dir := t.TempDir()
	aborted, exited := make(chan bool, 1), make(chan int, 1)
	ctx, s := interruptible(nil, func() { aborted <- true })
	s.exit = func(code int) { exited <- code }
	defer s.stop()
	s.ch <- syscall.SIGINT
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	s.ch <- syscall.SIGINT
	select {
	case code := <-exited:
		if code != 130 || !<-aborted {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not quit")
	}
	f, err := outfile.Create(filepath.Join(dir, "t.jsonl"), outfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.Abort()
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 {
		t.Errorf("files left after Abort: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("files left after Abort: %v", left)
	}
}

// SIGINT during a sweep, on a real process: the table of the runs done, a
// line that says how many of how many, exit 130, and the --out file not
// written (nor its temporary file left).
func TestSweepInterrupted(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "runs.jsonl")
	code, stdout, stderr := runQgasim(t, 700*time.Millisecond, "sweep", "stale-reply-virtio", "--seeds", "1-100000000", "--out", out)
	if code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "sweep of seeds 1-100000000: ") || !strings.Contains(stdout, "stale-reply-virtio") {
		t.Fatalf("no table of the runs done:\n%s", stdout)
	}
	if !strings.Contains(stderr, "interrupted after ") || !strings.Contains(stderr, "runs.jsonl is not written") {
		t.Fatalf("stderr: %s", stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left in the directory: %v", entries)
	}
}
