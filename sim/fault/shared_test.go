package fault

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/qgasim/qgasim/sim/link"
	"github.com/qgasim/qgasim/sim/trace"
)

// throughLink writes each of writes into a link whose h2a direction has f
// as its stage (shared: handed over, not copied) and returns what the
// reader gets.
func throughLink(t *testing.T, f Fault, writes [][]byte, shared bool) []byte {
	t.Helper()
	r := func(n uint64) *rand.PCG { return rand.NewPCG(testSeed, n) }
	l, err := link.New(link.Both("virtio-serial", link.Params{Jitter: -1}), r(1), r(2), r(3), func(trace.Event) {})
	if err != nil {
		t.Fatalf("seed %d: %v", testSeed, err)
	}
	l.HostConnect(0)
	l.Dir(link.H2A).AddStage(f)
	for _, w := range writes {
		if shared {
			l.HostWriteShared(0, w)
		} else {
			l.HostWrite(0, w)
		}
	}
	var out []byte
	for {
		_, data, _ := l.Dir(link.H2A).Read(1<<40, 0)
		if len(data) == 0 {
			return out
		}
		out = append(out, data...)
	}
}

// Every kind, continuous and on byte triggers, changes a write handed over
// to the link (HostWriteShared) exactly as it changes a copy, and never
// the writer's own bytes: the writer's array may be a reply the agent
// still refers to, or a scenario's raw bytes that every run shares.
func TestFaultsNeverChangeSharedBytes(t *testing.T) {
	specs := []Spec{}
	for _, kind := range Kinds() {
		k := Table[kind]
		cont := Params{}
		if _, ok := k.Param("p"); ok {
			cont["p"] = Num(0.3)
		}
		if k.Continuous {
			specs = append(specs, Spec{Kind: kind, Params: cont})
		}
		for _, dir := range []string{"h2a", "a2h"} {
			specs = append(specs,
				Spec{Kind: kind, Dir: dir, Trigger: Trigger{AfterBytes: off(3)}},
				Spec{Kind: kind, Dir: dir, Trigger: Trigger{On: []byte("x"), Max: 3}},
				Spec{Kind: kind, Dir: dir, Trigger: Trigger{Probability: 0.2}})
		}
	}
	for _, spec := range specs {
		writes := [][]byte{[]byte("abcdefgh"), []byte("xyxyxy-12345"), []byte("z"), bytes.Repeat([]byte("0123456789"), 8)}
		orig := make([][]byte, len(writes))
		for i, w := range writes {
			orig[i] = bytes.Clone(w)
		}
		fc, _ := mk(t, spec)
		fs, _ := mk(t, spec)
		want := throughLink(t, fc, orig, false)
		got := throughLink(t, fs, writes, true)
		if !bytes.Equal(got, want) {
			t.Errorf("seed %d %s %s %+v: shared write read %q, copied write %q", testSeed, spec.Kind, spec.Dir, spec.Trigger, got, want)
		}
		for i := range writes {
			if !bytes.Equal(writes[i], orig[i]) {
				t.Errorf("seed %d %s %s %+v: the writer's bytes changed: %q, written %q", testSeed, spec.Kind, spec.Dir, spec.Trigger, writes[i], orig[i])
			}
		}
	}
}
