package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
)

// Target is one scenario of a sweep.
type Target struct {
	Info     ScenarioInfo // how lines name it, its strategies
	Scenario *scenarios.Scenario
}

// Plan is a whole sweep: scenarios, each under its strategies, at every
// seed of a range that a shard owns.
type Plan struct {
	Targets []Target
	Seeds   Seeds
	Shard   Shard
	Version string // the qgasim that runs it, for the header
}

// Header is the first line of the plan's output.
func (p *Plan) Header() Header {
	h := Header{Format: Format, Kind: KindSweep, Qgasim: p.Version, Seeds: p.Seeds, Shard: p.Shard}
	for _, t := range p.Targets {
		h.Scenarios = append(h.Scenarios, t.Info)
	}
	return h
}

// Options tune how a plan runs.
type Options struct {
	// Jobs is how many runs go at once (0: one per CPU).
	Jobs int
	// Progress, when set, is told how many runs are done, from the
	// goroutine that calls emit, after every batch.
	Progress func(done uint64)
	// KeepGC leaves the garbage collector's target as the program set it.
	// By default Run raises it while it runs (gc.go) and puts it back at
	// the end; a program that tunes its own collector sets KeepGC.
	KeepGC bool
}

// batch is how many consecutive seeds of one scenario and strategy a
// worker runs at a time: enough to make handing out work cheap, few
// enough for smooth progress.
const batch = 64

// lanes is how many batches per job may be out at once (run, or waiting
// for an earlier one to be emitted): what bounds a sweep's memory.
const lanes = 4

// pair is one scenario under one strategy, built once for every seed.
type pair struct {
	target   int
	strategy string
	sc       *scenarios.Scenario
	cfg      sim.Config
	units    uint64 // batches
	first    uint64 // index of its first batch
}

// Prepare builds every scenario under every strategy of the plan: a
// scenario that cannot run with a strategy is bad input, found before any
// run.
func (p *Plan) prepare() ([]pair, error) {
	var out []pair
	var unit, runs uint64
	size := p.Shard.Size(p.Seeds)
	for i, t := range p.Targets {
		for _, st := range t.Info.Strategies {
			sc := *t.Scenario
			if sc.NotesFor == "" && st != sc.Client.Strategy {
				sc.NotesFor = sc.Client.Strategy // the notes stay the file's
			}
			sc.Client.Strategy, sc.Client.Custom = st, nil
			cfg, err := scenarios.Build(&sc, nil)
			if err != nil {
				return nil, fmt.Errorf("%s with strategy %s: %w", t.Info.Scenario, st, err)
			}
			// The runs are counted in a uint64 (the header, the progress,
			// the table): a sweep whose count would wrap around would
			// report a few runs, or none, and pass.
			if runs+size < runs {
				return nil, fmt.Errorf("seeds %s under %d scenario and strategy pairs make more runs than can be counted (%d): sweep fewer seeds", p.Seeds, len(out)+1, uint64(math.MaxUint64))
			}
			runs += size
			units := size / batch // (size + batch - 1) / batch wraps for the largest ranges
			if size%batch != 0 {
				units++
			}
			out = append(out, pair{target: i, strategy: st, sc: &sc, cfg: cfg, units: units, first: unit})
			unit += units
		}
	}
	return out, nil
}

// Check builds every scenario under every strategy without running any:
// the errors Run would return before its first run.
func (p *Plan) Check() error {
	_, err := p.prepare()
	return err
}

// Run makes every run of the plan on opts.Jobs goroutines and calls emit
// with each Record from one goroutine, in the order of the lines: by
// scenario, then strategy, in the plan's order, then seed. The same plan
// gives the same Records in the same order whatever the number of jobs.
// When ctx ends, Run stops handing out work, emits the runs done up to
// the first one missing, and returns ctx's error; an error from emit stops
// it and is returned. While it runs, the garbage collector's target is
// raised to let the heap grow to 64 MB (gc.go) unless GOGC is set or
// o.KeepGC.
func Run(parent context.Context, p *Plan, o Options, emit func(*Record) error) error {
	pairs, err := p.prepare()
	if err != nil {
		return err
	}
	if !o.KeepGC {
		defer tuneGC()()
	}
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	var total uint64
	for _, pr := range pairs {
		total += pr.units
	}
	// More workers than batches would only wait: each costs a goroutine
	// and lanes of slots, so --jobs 1000000 cost a gigabyte.
	if uint64(jobs) > total {
		jobs = int(max(total, 1))
	}
	window := uint64(jobs * lanes)
	slots := make([]chan []Record, window)
	for i := range slots {
		slots[i] = make(chan []Record, 1)
	}
	tokens := make(chan struct{}, window)
	for range window {
		tokens <- struct{}{}
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	var mu sync.Mutex
	next := uint64(0) // the next batch to hand out
	take := func() (uint64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= total || ctx.Err() != nil {
			return 0, false
		}
		next++
		return next - 1, true
	}
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			for {
				select {
				case <-tokens:
				case <-ctx.Done():
					return
				}
				u, ok := take()
				if !ok {
					return
				}
				slots[u%window] <- w.runBatch(p, pairs, u)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	var ran uint64
	var stop error
	for u := uint64(0); u < total && stop == nil; u++ {
		var recs []Record
		select {
		case recs = <-slots[u%window]:
		case <-done:
			// Every worker has stopped: the batch comes now or never.
			select {
			case recs = <-slots[u%window]:
			default:
				stop = parent.Err()
				if stop == nil {
					stop = errors.New("sweep: a batch was lost") // not reached: workers stop only when told
				}
				continue
			}
		}
		for i := range recs {
			if err := emit(&recs[i]); err != nil {
				stop = err
				break
			}
		}
		ran += uint64(len(recs))
		if !o.KeepGC {
			retuneGC()
		}
		if o.Progress != nil {
			o.Progress(ran)
		}
		tokens <- struct{}{}
	}
	cancel()
	<-done
	return stop
}

// runBatch runs batch u: its pair and its seeds.
func (w *worker) runBatch(p *Plan, pairs []pair, u uint64) []Record {
	i := 0
	for i+1 < len(pairs) && pairs[i+1].first <= u {
		i++
	}
	pr := &pairs[i]
	size := p.Shard.Size(p.Seeds)
	k0 := (u - pr.first) * batch
	k1 := min(k0+batch, size)
	out := make([]Record, 0, k1-k0)
	name := p.Targets[pr.target].Info.Scenario
	for k := k0; k < k1; k++ {
		out = append(out, w.run(name, pr, p.Shard.Seed(p.Seeds, k)))
	}
	return out
}
