package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runSignalled runs qgasim and sends sig after delay (none if delay is 0);
// a process killed by a signal gives minus its number.
func runSignalled(t *testing.T, sig syscall.Signal, delay time.Duration, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command("qgasim", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if delay > 0 {
		time.Sleep(delay)
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal()), stdout.String(), stderr.String()
		}
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	t.Fatal(err)
	return 0, "", ""
}

// SIGTERM and SIGHUP (a closed terminal, an ssh session that dropped) stop
// a long run or sweep as SIGINT does: the partial report, exit 128+N, the
// trace whole under its name, no temporary file left. (SIGHUP killed
// them: no report, and a run's hidden temporary trace of hundreds of MB
// stayed behind.)
func TestLongCommandsStopOnTermAndHup(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(fmt.Sprint("run ", sig), func(t *testing.T) {
			dir := t.TempDir()
			sc := writeFile(t, dir, "forever.yaml", forever)
			tr := filepath.Join(dir, "t.jsonl")
			code, stdout, stderr := runSignalled(t, sig, 700*time.Millisecond, "run", sc, "--trace", tr, "--max-events", "1000000000000")
			if code != 128+int(sig) {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, 128+int(sig), stdout, stderr)
			}
			if !strings.Contains(stdout, "\nINTERRUPTED   seed 1   virtual ") {
				t.Errorf("no partial report:\n%s", stdout)
			}
			if _, err := os.Stat(tr); err != nil {
				t.Errorf("no trace: %v", err)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".t.jsonl.tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
		t.Run(fmt.Sprint("sweep ", sig), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "runs.jsonl")
			code, stdout, stderr := runSignalled(t, sig, 700*time.Millisecond, "sweep", "stale-reply-virtio", "--seeds", "1-100000000", "--out", out)
			if code != 128+int(sig) {
				t.Fatalf("exit %d, want %d\n%s", code, 128+int(sig), stderr)
			}
			if !strings.HasPrefix(stdout, "sweep of seeds 1-100000000: ") {
				t.Errorf("no table of the runs done:\n%s", stdout)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left in the directory: %v", entries)
			}
		})
	}
}
