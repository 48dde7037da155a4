package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A log is appended to, never over an input (by its path, a symbolic or
// a hard link), never a directory.
func TestOpenLog(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.yaml")
	if err := os.WriteFile(in, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sym := filepath.Join(dir, "sym.log")
	if err := os.Symlink("in.yaml", sym); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.log")
	if err := os.Link(in, hard); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{in, sym, hard} {
		if f, err := OpenLog(p, []string{in}); err == nil || !strings.Contains(err.Error(), "an input of this command") {
			if f != nil {
				f.Close()
			}
			t.Errorf("%s: got %v, want it refused as an input", p, err)
		}
	}
	if _, err := OpenLog(dir, nil); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: got %v", err)
	}
	if got, _ := os.ReadFile(in); string(got) != "version: 1\n" {
		t.Errorf("the input changed: %q", got)
	}
	logPath := filepath.Join(dir, "x.log")
	if err := os.WriteFile(logPath, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenLog(logPath, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("after\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if got, _ := os.ReadFile(logPath); string(got) != "before\nafter\n" {
		t.Errorf("the log holds %q, want it appended to", got)
	}
}
