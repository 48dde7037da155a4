package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/qgasim/qgasim/internal/heappeak"
)

// Reading a trace for replay keeps what a replay needs, not every event:
// a trace of 300,000 notes and one host write costs the memory of the
// write. (Read whole, these events held some 300 MB.)
func TestReplayReadsATraceInBoundedMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, `{"t":0,"seq":1,"kind":"transport.connect","conn":1}`)
	fmt.Fprintln(w, `{"t":0,"seq":2,"kind":"host.write","n":25,"bytes":"{\"execute\":\"guest-ping\"}\n"}`)
	for i := range 300_000 {
		fmt.Fprintf(w, `{"t":%d,"seq":%d,"kind":"note","text":"a note that a replay does not need, %d"}`+"\n", 1000*i, i+3, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var hostActions int
	peak := heappeak.Peak(func() {
		rec, err := readRecordingFile(path)
		if err != nil {
			t.Fatal(err)
		}
		hostActions = len(rec.Host)
	})
	if hostActions != 2 {
		t.Errorf("%d host actions read, want 2", hostActions)
	}
	t.Logf("peak live heap %d KiB", peak>>10)
	if peak > 16<<20 {
		t.Errorf("reading a trace of 300,000 notes held %d MiB at its peak: more than what a replay needs", peak>>20)
	}
}
