package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreateLive(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "trace.jsonl")
	f, err := CreateLive(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, f, "one\n")
	// Readable while it is written: no temporary file.
	if got := read(t, p); got != "one\n" {
		t.Fatalf("while open: %q", got)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	// It never replaces a file, not even its own earlier output.
	if _, err := CreateLive(p, Options{}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("an existing file: %v", err)
	}
	if got := read(t, p); got != "one\n" {
		t.Fatalf("the existing file changed: %q", got)
	}
	if _, err := CreateLive(dir, Options{}); err == nil {
		t.Fatal("a directory was accepted")
	}
	if _, err := CreateLive(filepath.Join(dir, "no", "such"), Options{}); err == nil {
		t.Fatal("a missing directory was accepted")
	}
	// A device is written directly.
	d, err := CreateLive(os.DevNull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "x")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
}
