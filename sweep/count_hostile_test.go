package sweep

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

// The largest seed ranges: a count that would wrap around is refused
// before any run, and a range that fits runs (it does not report zero
// runs and pass). Stopped after its first records.
func TestHugeRangesAreCountedOrRefused(t *testing.T) {
	p := stalePlan(t, Seeds{1, math.MaxUint64}, Whole) // two strategies: 2 x (2^64-1) runs
	if err := p.Check(); err == nil || !strings.Contains(err.Error(), "more runs than can be counted") {
		t.Fatalf("two strategies over 2^64-1 seeds: got %v", err)
	}
	p.Targets[0].Info.Strategies = []string{"none"}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	if h := p.Header(); h.Runs() != math.MaxUint64 {
		t.Errorf("header counts %d runs, want %d", h.Runs(), uint64(math.MaxUint64))
	}
	stop := errors.New("enough")
	n := 0
	err := Run(context.Background(), p, Options{Jobs: 2}, func(r *Record) error {
		if n++; n == 100 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 100 {
		t.Errorf("ran %d runs, ended with %v: want the runs to start", n, err)
	}
}

// More jobs than batches start no more workers than there are batches:
// --jobs 1000000 on a short sweep cost a gigabyte of goroutines and slots.
func TestJobsBeyondTheWorkCostNothing(t *testing.T) {
	p := stalePlan(t, Seeds{1, 10}, Whole)
	before := runtime.NumGoroutine()
	most := 0
	err := Run(context.Background(), p, Options{Jobs: 100_000}, func(r *Record) error {
		most = max(most, runtime.NumGoroutine()-before)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if most > 10 {
		t.Errorf("%d goroutines for 2 batches of work", most)
	}
}
