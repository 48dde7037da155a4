package sweep

import (
	"fmt"
	"sort"

	"github.com/qgasim/qgasim/sim/check"
)

// FirstSeeds is how many failing seeds the table keeps per kind of
// failure: the smallest ones.
const FirstSeeds = 3

// maxKinds bounds the kinds of failure a row tells apart (expectations are
// few, but run errors are texts); the rest are counted as otherKind.
const maxKinds = 32

const otherKind = "(other failures)"

// Table is the summary of a sweep: per scenario and strategy, the runs,
// the expectations passed, the oracle's counts, the resync times and the
// first failing seeds of each kind. It is computed from Records alone
// (Add), in any order: the table of a sweep's lines is the table of the
// sweep, and the table of merged shards the table of the whole. Its memory
// does not grow with the number of runs.
type Table struct {
	Header Header
	rows   []*Row
	index  map[string]map[string]*Row // scenario, strategy
}

// Row is one scenario under one strategy.
type Row struct {
	Scenario, Name, Strategy string

	Runs     uint64
	Pass     uint64 // runs where every expectation held
	Errors   uint64 // runs that stopped with an error
	Requests uint64
	Counts   []uint64 // requests per verdict (check.Verdicts)
	Lost     uint64
	Dropped  uint64

	// ResyncRuns counts the runs with a finished resync episode; the
	// median is over those runs' median episodes, the worst over all
	// episodes.
	ResyncRuns  uint64
	resync      histogram
	ResyncWorst int64

	// Failures are the failed expectations (and run errors), by what
	// failed; Flagged the runs with a request of each verdict other than
	// correct.
	Failures map[string]*Examples
	Flagged  []Examples // by verdict, as Counts
}

// Examples counts the runs of one kind and keeps their smallest seeds.
type Examples struct {
	Runs  uint64
	Seeds []uint64 // the FirstSeeds smallest, sorted
}

func (e *Examples) add(seed uint64) {
	e.Runs++
	i := sort.Search(len(e.Seeds), func(i int) bool { return e.Seeds[i] >= seed })
	if i < len(e.Seeds) && e.Seeds[i] == seed {
		return
	}
	if i >= FirstSeeds {
		return
	}
	e.Seeds = append(e.Seeds, 0)
	copy(e.Seeds[i+1:], e.Seeds[i:])
	e.Seeds[i] = seed
	if len(e.Seeds) > FirstSeeds {
		e.Seeds = e.Seeds[:FirstSeeds]
	}
}

// NewTable is an empty table for the sweep h describes.
func NewTable(h Header) *Table {
	t := &Table{Header: h, index: map[string]map[string]*Row{}}
	for _, s := range h.Scenarios {
		m := map[string]*Row{}
		t.index[s.Scenario] = m
		for _, st := range s.Strategies {
			r := &Row{Scenario: s.Scenario, Name: s.Name, Strategy: st, Failures: map[string]*Examples{},
				Counts: make([]uint64, len(check.Verdicts)), Flagged: make([]Examples, len(check.Verdicts))}
			m[st] = r
			t.rows = append(t.rows, r)
		}
	}
	return t
}

// Rows are the table's rows in the sweep's order.
func (t *Table) Rows() []*Row { return t.rows }

// Add counts one run.
func (t *Table) Add(r *Record) error {
	row := t.index[r.Scenario][r.Strategy]
	if row == nil {
		return fmt.Errorf("a run of scenario %q with strategy %q, which the sweep does not name", r.Scenario, r.Strategy)
	}
	row.Runs++
	if r.Pass {
		row.Pass++
	}
	if r.Error != "" {
		row.Errors++
	}
	row.Requests += uint64(r.Requests)
	for i, n := range r.Counts {
		row.Counts[i] += uint64(n)
		if n > 0 && check.Verdicts[i] != check.Correct {
			row.Flagged[i].add(r.Seed)
		}
	}
	row.Lost += uint64(r.Lost)
	row.Dropped += uint64(r.Dropped)
	if r.Resyncs > 0 && r.ResyncMax > 0 {
		row.ResyncRuns++
		row.resync.add(r.ResyncMedian)
		row.ResyncWorst = max(row.ResyncWorst, r.ResyncMax)
	}
	for _, f := range r.Failed {
		row.failure(f.What).add(r.Seed)
	}
	if r.Error != "" {
		row.failure("error: " + r.Error).add(r.Seed)
	}
	return nil
}

func (row *Row) failure(what string) *Examples {
	e := row.Failures[what]
	if e == nil {
		if len(row.Failures) >= maxKinds {
			what = otherKind
			if e = row.Failures[what]; e != nil {
				return e
			}
		}
		e = &Examples{}
		row.Failures[what] = e
	}
	return e
}

// ResyncMedian is the median of the runs' median resync episodes (within
// 0.1 %), 0 when no run had one.
func (row *Row) ResyncMedian() int64 { return min(row.resync.median(), row.ResyncWorst) }

// Count is the number of requests with verdict v.
func (row *Row) Count(v check.Verdict) uint64 {
	if i := verdictIndex(v); i >= 0 && i < len(row.Counts) {
		return row.Counts[i]
	}
	return 0
}

// FailureKinds are the row's kinds of failure, the most frequent first
// (then by name).
func (row *Row) FailureKinds() []string {
	kinds := make([]string, 0, len(row.Failures))
	for k := range row.Failures {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		a, b := row.Failures[kinds[i]], row.Failures[kinds[j]]
		if a.Runs != b.Runs {
			return a.Runs > b.Runs
		}
		return kinds[i] < kinds[j]
	})
	return kinds
}

// Runs is the number of runs counted.
func (t *Table) Runs() uint64 {
	var n uint64
	for _, r := range t.rows {
		n += r.Runs
	}
	return n
}

// Pass reports whether every run counted passed.
func (t *Table) Pass() bool {
	for _, r := range t.rows {
		if r.Pass != r.Runs {
			return false
		}
	}
	return true
}
