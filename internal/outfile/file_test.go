package outfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func write(t *testing.T, f *File, s string) {
	t.Helper()
	if _, err := f.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onlyFiles fails unless dir holds exactly the names given: no temporary
// file is ever left behind.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestCommitWritesTheTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "trace.jsonl")
	f, err := Create(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, f, "line 1\n")
	if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the target exists before Commit: %v", err)
	}
	write(t, f, "line 2\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, target); got != "line 1\nline 2\n" {
		t.Errorf("target holds %q", got)
	}
	onlyFiles(t, dir, "trace.jsonl")
	f.Abort() // after Commit: nothing
	if got := read(t, target); got != "line 1\nline 2\n" {
		t.Errorf("Abort after Commit changed the target: %q", got)
	}
	if err := f.Commit(); err != nil {
		t.Errorf("Commit twice: %v", err)
	}
}

func TestAbortLeavesTheTargetAsItWas(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.jsonl")
	old := filepath.Join(dir, "old.jsonl")
	if err := os.WriteFile(old, []byte("the old trace\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{fresh, old} {
		f, err := Create(target, Options{})
		if err != nil {
			t.Fatal(err)
		}
		write(t, f, "half a li")
		f.Abort()
		f.Abort()
		if _, err := f.Write([]byte("more")); !errors.Is(err, ErrAborted) {
			t.Errorf("write after Abort: %v", err)
		}
		if err := f.Commit(); !errors.Is(err, ErrAborted) {
			t.Errorf("Commit after Abort: %v", err)
		}
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an aborted new output exists: %v", err)
	}
	if got := read(t, old); got != "the old trace\n" {
		t.Errorf("an aborted output changed the existing file: %q", got)
	}
	onlyFiles(t, dir, "old.jsonl")
}

func TestRefusesToWriteOverAnInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(in, []byte("version: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.yaml")
	if err := os.Link(in, hard); err != nil {
		t.Fatal(err)
	}
	soft := filepath.Join(dir, "soft.yaml")
	if err := os.Symlink("scenario.yaml", soft); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, target := range []string{in, "scenario.yaml", "./scenario.yaml", "../" + filepath.Base(dir) + "/scenario.yaml", hard, soft} {
		_, err := Create(target, Options{Inputs: []string{"", "-", "missing.yaml", in}})
		if err == nil || !strings.Contains(err.Error(), "an input of this command") {
			t.Errorf("Create(%q) with that input: %v", target, err)
		}
	}
	if got := read(t, in); got != "version: 1\n" {
		t.Errorf("the input changed: %q", got)
	}
	onlyFiles(t, dir, "hard.yaml", "scenario.yaml", "soft.yaml")
}

func TestBadPathFailsAtCreate(t *testing.T) {
	dir := t.TempDir()
	for _, target := range []string{"", dir, filepath.Join(dir, "no", "such", "dir", "t.jsonl")} {
		if f, err := Create(target, Options{}); err == nil {
			f.Abort()
			t.Errorf("Create(%q) succeeded", target)
		}
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if _, err := Create(filepath.Join(ro, "t.jsonl"), Options{}); err == nil {
			t.Error("Create in a read-only directory succeeded")
		}
	}
}

func TestStdout(t *testing.T) {
	if _, err := Create("-", Options{}); err == nil {
		t.Error(`Create("-") without Stdout succeeded`)
	}
	var out bytes.Buffer
	f, err := Create("-", Options{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	if !f.IsStdout() || f.Name() != "-" {
		t.Errorf("IsStdout %v Name %q", f.IsStdout(), f.Name())
	}
	write(t, f, "to stdout\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "to stdout\n" {
		t.Errorf("stdout got %q", out.String())
	}
}

func TestNoClobber(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "saved.yaml")
	if err := os.WriteFile(target, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(target, Options{NoClobber: true}); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Create over an existing file with NoClobber: %v", err)
	}
	// A file that appears between Create and Commit is kept.
	other := filepath.Join(dir, "late.yaml")
	f, err := Create(other, Options{NoClobber: true})
	if err != nil {
		t.Fatal(err)
	}
	write(t, f, "ours\n")
	if err := os.WriteFile(other, []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Commit over a file that appeared: %v", err)
	}
	if got := read(t, other); got != "theirs\n" {
		t.Errorf("the file that appeared was replaced: %q", got)
	}
	onlyFiles(t, dir, "late.yaml", "saved.yaml")
}

// A device is written directly: renaming over /dev/null would replace it.
func TestDevice(t *testing.T) {
	f, err := Create("/dev/null", Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, f, "gone\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v %v", fi.Mode(), err)
	}
	// A failed write fails Commit.
	f, err = Create("/dev/full", Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("lost\n"))
	if err := f.Commit(); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Commit after a failed write: %v", err)
	}
}

// A symbolic link is followed: the file it names is replaced, the link
// stays a link.
func TestSymlinkTarget(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.jsonl")
	link := filepath.Join(dir, "link.jsonl")
	if err := os.WriteFile(real, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.jsonl", link); err != nil {
		t.Fatal(err)
	}
	f, err := Create(link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, f, "new\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if got := read(t, real); got != "new\n" {
		t.Errorf("the linked file holds %q", got)
	}
	// A dangling link: the file it names is created.
	dangling := filepath.Join(dir, "dangling.jsonl")
	if err := os.Symlink("made.jsonl", dangling); err != nil {
		t.Fatal(err)
	}
	f, err = Create(dangling, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, f, "made\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "made.jsonl")); got != "made\n" {
		t.Errorf("the dangling link's file holds %q", got)
	}
	onlyFiles(t, dir, "dangling.jsonl", "link.jsonl", "made.jsonl", "real.jsonl")
}

func TestPermissions(t *testing.T) {
	dir := t.TempDir()
	// A new output gets what os.Create would give it.
	ref := filepath.Join(dir, "ref")
	rf, err := os.Create(ref)
	if err != nil {
		t.Fatal(err)
	}
	rf.Close()
	want, _ := os.Stat(ref)
	target := filepath.Join(dir, "new")
	f, err := Create(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Stat(target); got.Mode() != want.Mode() {
		t.Errorf("new output mode %v, os.Create gives %v", got.Mode(), want.Mode())
	}
	// A replaced file keeps its mode.
	private := filepath.Join(dir, "private")
	if err := os.WriteFile(private, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err = Create(private, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Stat(private); got.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v, want 0600", got.Mode())
	}
}

// Abort from another goroutine while writes go on (as from a signal
// handler): writes stop with an error, nothing is left (run with -race).
func TestAbortWhileWriting(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "t.jsonl"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		line := []byte(strings.Repeat("x", 100) + "\n")
		for i := 0; ; i++ {
			if i == 100 {
				close(started)
			}
			if _, err := f.Write(line); err != nil {
				return
			}
		}
	}()
	<-started
	f.Abort()
	wg.Wait()
	if err := f.Commit(); !errors.Is(err, ErrAborted) {
		t.Errorf("Commit after Abort: %v", err)
	}
	onlyFiles(t, dir)
}
