package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// traceFile is a trace being written: to a temporary file beside the
// target, renamed over it by Commit, removed by Abort, so that the target is
// never seen cut.
type traceFile struct {
	target string
	f      *os.File
	mu     sync.Mutex
	closed bool
}

func createTrace(path string) (*traceFile, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory: name a file", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil { // a trace is as readable as os.Create makes it
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &traceFile{target: path, f: f}, nil
}

func (t *traceFile) Write(p []byte) (int, error) { return t.f.Write(p) }

// Commit makes the trace appear under its name.
func (t *traceFile) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return fmt.Errorf("%s: already closed", t.target)
	}
	t.closed = true
	err := t.f.Sync()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(t.f.Name(), t.target)
	}
	if err != nil {
		os.Remove(t.f.Name())
	}
	return err
}

// Abort removes the temporary file; after Commit it does nothing.
func (t *traceFile) Abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	t.closed = true
	t.f.Close()
	os.Remove(t.f.Name())
}
