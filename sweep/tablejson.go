package sweep

import "github.com/qgasim/qgasim/sim/check"

// TableFormat is the version of the table's JSON (docs/sweep.md).
const TableFormat = 1

// TableJSON is the table for machines (--json).
type TableJSON struct {
	Format    int            `json:"format"`
	Seeds     string         `json:"seeds"`
	Shard     string         `json:"shard"`
	Runs      uint64         `json:"runs"`
	Pass      bool           `json:"pass"`
	Scenarios []ScenarioJSON `json:"scenarios"`
}

// ScenarioJSON is one scenario of the table.
type ScenarioJSON struct {
	Scenario   string    `json:"scenario"`
	Name       string    `json:"name"`
	Strategies []RowJSON `json:"strategies"`
}

// RowJSON is one scenario under one strategy.
type RowJSON struct {
	Strategy string            `json:"strategy"`
	Runs     uint64            `json:"runs"`
	Pass     uint64            `json:"pass"`
	Errors   uint64            `json:"errors"`
	Requests uint64            `json:"requests"`
	Counts   map[string]uint64 `json:"counts"`
	Lost     uint64            `json:"lost"`
	Dropped  uint64            `json:"dropped"`
	Resync   ResyncJSON        `json:"resync"`
	Failures []KindJSON        `json:"failures"`
	Flagged  []KindJSON        `json:"flagged"`
}

// ResyncJSON is the resync times of a row.
type ResyncJSON struct {
	Runs     uint64 `json:"runs"`      // runs with a finished episode
	MedianNS int64  `json:"median_ns"` // median of their median episodes
	MaxNS    int64  `json:"max_ns"`    // the longest episode
}

// KindJSON is one kind of failure (what failed) or of flagged request
// (its verdict), with its first seeds.
type KindJSON struct {
	What    string   `json:"what,omitempty"`
	Verdict string   `json:"verdict,omitempty"`
	Runs    uint64   `json:"runs"`
	Seeds   []uint64 `json:"seeds"`
	Replay  []string `json:"replay,omitempty"`
}

// JSON is the table for machines; replay, when not nil, gives each first
// seed its command.
func (t *Table) JSON(replay Replay) TableJSON {
	out := TableJSON{Format: TableFormat, Seeds: t.Header.Seeds.String(), Shard: t.Header.Shard.String(),
		Runs: t.Runs(), Pass: t.Pass(), Scenarios: []ScenarioJSON{}}
	for _, r := range t.rows {
		if len(out.Scenarios) == 0 || out.Scenarios[len(out.Scenarios)-1].Scenario != r.Scenario {
			out.Scenarios = append(out.Scenarios, ScenarioJSON{Scenario: r.Scenario, Name: r.Name})
		}
		s := &out.Scenarios[len(out.Scenarios)-1]
		j := RowJSON{Strategy: r.Strategy, Runs: r.Runs, Pass: r.Pass, Errors: r.Errors, Requests: r.Requests,
			Counts: map[string]uint64{}, Lost: r.Lost, Dropped: r.Dropped,
			Resync:   ResyncJSON{Runs: r.ResyncRuns, MedianNS: r.ResyncMedian(), MaxNS: r.ResyncWorst},
			Failures: []KindJSON{}, Flagged: []KindJSON{}}
		for i, v := range check.Verdicts {
			j.Counts[string(v)] = r.Counts[i]
		}
		cmds := func(seeds []uint64) []string {
			if replay == nil {
				return nil
			}
			var c []string
			for _, seed := range seeds {
				c = append(c, replay(r.Scenario, r.Strategy, seed))
			}
			return c
		}
		for _, k := range r.FailureKinds() {
			e := r.Failures[k]
			j.Failures = append(j.Failures, KindJSON{What: k, Runs: e.Runs, Seeds: e.Seeds, Replay: cmds(e.Seeds)})
		}
		for i, v := range check.Verdicts {
			if e := r.Flagged[i]; e.Runs > 0 {
				j.Flagged = append(j.Flagged, KindJSON{Verdict: string(v), Runs: e.Runs, Seeds: e.Seeds, Replay: cmds(e.Seeds)})
			}
		}
		s.Strategies = append(s.Strategies, j)
	}
	return out
}
