package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Whatever a command prints, a failed write of it is an error, exit 2,
// with a message on stderr: `qgasim run X > /dev/full` never exits 0.
func TestWriteToFullDevice(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	for _, args := range [][]string{
		{"run", "stale-reply-virtio"},
		{"run", "stale-reply-virtio", "--json"},
		{"run", "stale-reply-virtio", "--seed", "3"},
		{"schema"},
		{"list"},
		{"show", "why-0xff-first"},
		{"validate", "why-0xff-first"},
		{"help"},
		{"run", "--help"},
		{"--version"},
		{"completion", "bash"},
	} {
		cmd := qgasimCmd(t, args...)
		cmd.Stdout = full
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != exitBadInput {
			t.Errorf("qgasim %s > /dev/full: exit %d (%v), want %d; stderr:\n%s", strings.Join(args, " "), code, err, exitBadInput, stderr.String())
			continue
		}
		if !strings.Contains(stderr.String(), "writing standard output: ") || !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("qgasim %s > /dev/full: stderr %q does not say the write failed", strings.Join(args, " "), stderr.String())
		}
		// The failed write is the whole story: no usage text, which would
		// say the command line was wrong, and the failure said once.
		if strings.Contains(stderr.String(), "Usage:") || strings.Count(stderr.String(), "no space left on device") != 1 {
			t.Errorf("qgasim %s > /dev/full: stderr says more than the failed write:\n%s", strings.Join(args, " "), stderr.String())
		}
	}
}

// A run whose expectation fails, written nowhere: the lost report wins
// over the failed expectation (2, not 1).
func TestWriteToFullDeviceAfterFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fail.yaml")
	fail := "version: 1\nname: fails\nsteps:\n  - send: guest-ping\nexpect:\n  timed-out: 1\n"
	if err := os.WriteFile(path, []byte(fail), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", path}, &stdout, &stderr); code != exitFailed {
		t.Fatalf("the scenario should fail its expectation: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	stderr.Reset()
	if code := run([]string{"run", path}, failingWriter{}, &stderr); code != exitBadInput {
		t.Errorf("exit %d, want %d; stderr %s", code, exitBadInput, stderr.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, os.ErrClosed }
