package ui

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/model"
)

// writeTrace runs cfg and writes its trace to a file, streaming.
func writeTrace(t *testing.T, cfg sim.Config) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	tw := trace.NewWriter(bw)
	cfg.NoKeep = true
	cfg.Sink = func(ev *trace.Event) {
		if err := tw.Write(*ev); err != nil {
			t.Fatal(err)
		}
	}
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A trace file plays as the same events held in memory do: every step,
// step back and jump leaves the same view.
func TestFilePlayerMatchesMemory(t *testing.T) {
	cfg, info := restartConfig()
	path := writeTrace(t, cfg)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := trace.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	tf, err := ScanTraceFile(path)
	if err != nil || tf.Events != int64(len(evs)) {
		t.Fatalf("scan: %+v %v, want %d events", tf, err, len(evs))
	}
	fp, err := OpenTracePlayer(path, tf, info, model.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer fp.Close()
	mp := NewTracePlayer(info, model.Limits{}, evs)
	same := func(what string) {
		t.Helper()
		if fp.Pos() != mp.Pos() || fp.Now() != mp.Now() || fp.Done() != mp.Done() {
			t.Fatalf("%s: file at %d t=%d done %v, memory at %d t=%d done %v", what, fp.Pos(), fp.Now(), fp.Done(), mp.Pos(), mp.Now(), mp.Done())
		}
		a := drawText(t, NewView(info, fp, Keys()).Root(), 160, 48)
		b := drawText(t, NewView(info, mp, Keys()).Root(), 160, 48)
		if a != b {
			t.Fatalf("%s: the screens differ:\n%s\n---\n%s", what, a, b)
		}
	}
	for i := 0; i < 12; i++ {
		fp.Step()
		mp.Step()
		same("step")
	}
	for i := 0; i < 5; i++ {
		if err := fp.Back(); err != nil {
			t.Fatal(err)
		}
		mp.Back()
		same("back")
	}
	for _, pos := range []int64{0, 1, 17, int64(len(evs)) / 2, int64(len(evs))} {
		if err := fp.JumpTo(pos); err != nil {
			t.Fatal(err)
		}
		mp.JumpTo(pos)
		same("jump")
	}
	fp.JumpTo(0)
	mp.JumpTo(0)
	fp.Advance(3e9)
	mp.Advance(3e9)
	same("advance")
	fp.End()
	mp.End()
	same("end")
}

// A bad line is found when the file is opened, with its number.
func TestScanTraceFileBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(path, []byte(`{"t":0,"seq":1,"kind":"step"}`+"\n"+`{"t":1,"seq":2,"kind":"step","what":1}`+"\n"), 0o644)
	if _, err := ScanTraceFile(path); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a bad second line: %v", err)
	}
}

// tui --trace holds the view model, not the file: the live heap after
// playing a trace of 20,000 requests is that after 2,000.
func TestFilePlayerHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20,000-request trace")
	}
	heap := func(n int) uint64 {
		cfg, info := repeatConfig(n)
		path := writeTrace(t, cfg)
		tf, err := ScanTraceFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := OpenTracePlayer(path, tf, info, model.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		p.End()
		h := liveHeap()
		runtime.KeepAlive(p)
		return h
	}
	small, big := heap(2_000), heap(20_000)
	t.Logf("live heap %d KB after a trace of 2,000 requests, %d KB after 20,000", small>>10, big>>10)
	if big > small+small/4+256<<10 {
		t.Errorf("the live heap grew from %d KB to %d KB", small>>10, big>>10)
	}
}
