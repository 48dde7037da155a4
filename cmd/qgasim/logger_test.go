package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDefaultLogPathIsOurs: with no --log, the TUI's log goes to a
// directory of the user's own (0700), never to a fixed name in the shared
// temporary directory, where a planted symbolic link would be followed.
func TestDefaultLogPathIsOurs(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	p, err := defaultLogPath("tui.log")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "qgasim", "tui.log"); p != want {
		t.Errorf("log at %s, want %s", p, want)
	}
	if fi, err := os.Stat(filepath.Dir(p)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("log directory %s: %v (want mode 0700)", filepath.Dir(p), describeMode(fi, err))
	}

	// No home and no cache directory: a new private directory, each time.
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	t.Setenv("TMPDIR", t.TempDir())
	a, err := defaultLogPath("tui.log")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := defaultLogPath("tui.log")
	if filepath.Dir(a) == filepath.Dir(b) {
		t.Errorf("two runs share %s: a name another user could guess", filepath.Dir(a))
	}
	if fi, err := os.Stat(filepath.Dir(a)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("private log directory %s: %v (want mode 0700)", filepath.Dir(a), describeMode(fi, err))
	}
}

func describeMode(fi os.FileInfo, err error) string {
	if err != nil {
		return err.Error()
	}
	return fi.Mode().Perm().String()
}
