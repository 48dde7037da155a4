package sweep

import (
	"context"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
)

// worker runs seeds one after another on one goroutine.
type worker struct{}

// run makes one run and returns its Record.
func (w *worker) run(name string, pr *pair, seed uint64) Record {
	cfg := pr.cfg
	cfg.Seed = seed
	rec := Record{Scenario: name, Strategy: pr.strategy, Seed: seed}
	// pr.cfg is Build's, which validated it: only the seed differs.
	run, err := scenarios.ExecuteContext(context.Background(), pr.sc, cfg, scenarios.RunOptions{NoRecords: true, Validated: true})
	if run == nil {
		rec.Error = err.Error()
		return rec
	}
	fill(&rec, run)
	if err != nil {
		// A run stopped early (its event budget): what it showed, and why
		// it stopped, which fails it.
		rec.Pass, rec.Error = false, err.Error()
	}
	return rec
}

// fill copies what the table needs of a judged run into the Record.
func fill(rec *Record, run *scenarios.Run) {
	s := &run.Summary
	rec.Pass = run.Pass()
	rec.Requests = s.Total
	rec.Counts = make([]int, len(check.Verdicts))
	for i, v := range check.Verdicts {
		rec.Counts[i] = s.Counts[v]
	}
	rec.Lost, rec.Dropped = s.Lost, s.Dropped
	rec.Resyncs = s.Episodes
	rec.ResyncMedian, rec.ResyncMax = s.MedianResync, s.MaxResync
	rec.Virtual = run.Virtual
	for _, res := range run.Results {
		if !res.Pass {
			rec.Failed = append(rec.Failed, Failure{What: res.What, Why: res.Why})
		}
	}
}
