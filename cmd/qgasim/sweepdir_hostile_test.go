package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A directory's *.yaml name that is not a readable file is an error that
// names it: a dangling or looping link was left out of the sweep in
// silence, and a named pipe made the sweep wait for ever.
func TestSweepDirRefusesWhatIsNotAFile(t *testing.T) {
	for name, make := range map[string]func(p string) error{
		"loop.yaml":     func(p string) error { return os.Symlink("loop.yaml", p) },
		"dangling.yaml": func(p string) error { return os.Symlink("nothere.yaml", p) },
		"pipe.yaml":     func(p string) error { return syscall.Mkfifo(p, 0o644) },
	} {
		dir := t.TempDir()
		writeFile(t, dir, "a.yaml", "version: 1\nname: a\nsteps:\n  - send: guest-ping\n")
		if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := make(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		files, err := scenarioFilesIn(dir)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v, %v; want an error that names it", name, files, err)
		}
	}
	dir := t.TempDir()
	writeFile(t, dir, "a.yaml", "version: 1\nname: a\nsteps:\n  - send: guest-ping\n")
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if files, err := scenarioFilesIn(dir); err != nil || len(files) != 1 {
		t.Errorf("a file and a subdirectory: %v, %v; want the file", files, err)
	}
}
