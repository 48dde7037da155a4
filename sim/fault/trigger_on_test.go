package fault

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

// TestOnMatchesAcrossWrites: a trigger on bytes fires at the last byte of
// every match that ends inside its window, however the bytes are cut into
// writes (the bytes before the window count for a match); the naive
// search of the whole stream says where.
func TestOnMatchesAcrossWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed, 9))
	for round := 0; round < 200; round++ {
		stream := make([]byte, 300)
		for i := range stream {
			stream[i] = "ab\n"[rng.IntN(3)]
		}
		on := append([]byte(nil), stream[rng.IntN(280):][:1+rng.IntN(6)]...)
		// Writes of 1..17 bytes, one a millisecond; half the rounds
		// with a window.
		var cuts []int
		for off := 0; off < len(stream); {
			cuts = append(cuts, off)
			off += 1 + rng.IntN(17)
		}
		at := func(i int) int64 { // the time of the write that holds byte i
			k := 0
			for k+1 < len(cuts) && cuts[k+1] <= i {
				k++
			}
			return int64(k) * int64(time.Millisecond)
		}
		trig := Trigger{On: on}
		if round%2 == 1 {
			trig.From = time.Duration(rng.IntN(len(cuts))) * time.Millisecond
			trig.Until = trig.From + time.Duration(1+rng.IntN(len(cuts)))*time.Millisecond
		}
		var want []int64
		for i := range stream {
			inWindow := at(i) >= int64(trig.From) && (trig.Until == 0 || at(i) < int64(trig.Until))
			if i+1 >= len(on) && bytes.Equal(stream[i+1-len(on):i+1], on) && inWindow {
				want = append(want, int64(i))
			}
		}
		f, env := mk(t, Spec{Kind: "corrupt", Params: Params{"mask": Int(0x80)}, Trigger: trig})
		for k, off := range cuts {
			end := len(stream)
			if k+1 < len(cuts) {
				end = cuts[k+1]
			}
			pass(f, int64(k)*int64(time.Millisecond), int64(off), string(stream[off:end]))
		}
		var got []int64
		for _, ev := range env.events {
			for _, sp := range ev.Changed {
				for k := int64(0); k < sp.N; k++ {
					got = append(got, sp.Off+k)
				}
			}
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d round %d: on %q fired at %v, want %v", testSeed, round, on, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("seed %d round %d: on %q fired at %v, want %v", testSeed, round, on, got, want)
			}
		}
	}
}

// TestSpentFaultLeavesBytesAlone: a fault that fired its max-count, or
// whose window is over, touches nothing more.
func TestSpentFaultLeavesBytesAlone(t *testing.T) {
	f, env := mk(t, Spec{Kind: "drop", Trigger: Trigger{Probability: 1, Max: 2}})
	if c := pass(f, 0, 0, "abcd"); string(c.Data) != "cd" {
		t.Fatalf("first write: %q", c.Data)
	}
	if c := pass(f, 0, 4, "efgh"); string(c.Data) != "efgh" || len(env.events) != 1 {
		t.Fatalf("after max-count: %q, %d events", c.Data, len(env.events))
	}
	f, _ = mk(t, Spec{Kind: "stall", Trigger: Trigger{On: []byte("x"), From: time.Second, Until: 2 * time.Second}})
	pass(f, int64(3*time.Second), 0, "xxx")
	if _, ok := f.NextFire(); ok {
		t.Fatal("a spent stall has a next firing")
	}
}
