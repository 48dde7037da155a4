package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/shrink"
	"github.com/qgasim/qgasim/sim/check"
)

// jobState is where a shrink job is.
type jobState int

const (
	jobRunning   jobState = iota
	jobDone               // a minimal scenario found
	jobNothing            // the run passes: nothing to shrink
	jobFailed             // an error
	jobCancelled          // esc (or q) ended it; nothing kept
)

// maxJobLines bounds the progress lines a job keeps (the oldest go first),
// so that its memory does not grow with the length of a shrink.
const maxJobLines = 1000

// shrinkJob is one shrink of a run, started by the m key. It runs
// shrink.Shrink, the package the CLI's `qgasim shrink` runs, on goroutines
// of its own (each candidate is a World of its own, so the UI's World is
// never touched): it writes only its own state, under mu, and calls wake,
// which asks the UI's event goroutine to copy that state to the screen.
type shrinkJob struct {
	rec    Recording // the run it shrinks
	from   string    // the scenario's name
	cancel context.CancelFunc
	ended  chan struct{} // closed when the job's goroutine returns
	start  time.Time

	mu      sync.Mutex
	state   jobState
	lines   []string // the reductions as they are made, as the CLI prints them
	dropped int      // progress lines dropped off the front (maxJobLines)
	why     string   // what fails (or, for jobNothing, why nothing does)
	res     *shrink.Result
	data    []byte // res.Scenario as a file holds it
	err     error

	// On the UI's goroutine only.
	written string // where w wrote the result
	seen    bool   // the UI has shown the job's end
}

// jobView is a copy of a job's state, for the UI's goroutine.
type jobView struct {
	state   jobState
	lines   []string
	dropped int
	why     string
	res     *shrink.Result
	data    []byte
	err     error
}

func (j *shrinkJob) view() jobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobView{state: j.state, lines: append([]string(nil), j.lines...), dropped: j.dropped,
		why: j.why, res: j.res, data: j.data, err: j.err}
}

func (j *shrinkJob) log(line string, wake func()) {
	j.mu.Lock()
	if len(j.lines) >= maxJobLines {
		j.lines = append(j.lines[:0], j.lines[len(j.lines)-maxJobLines/2:]...)
		j.dropped += maxJobLines / 2
	}
	j.lines = append(j.lines, line)
	j.mu.Unlock()
	wake()
}

func (j *shrinkJob) finish(st jobState, why string, res *shrink.Result, data []byte, err error) {
	j.mu.Lock()
	j.state, j.res, j.data, j.err = st, res, data, err
	if why != "" {
		j.why = why
	}
	j.mu.Unlock()
}

func (j *shrinkJob) setWhy(why string) {
	j.mu.Lock()
	j.why = why
	j.mu.Unlock()
}

// wrong are the oracle's verdicts that say a caller was misled (it got
// something other than its own reply, or its command never ran, or it
// waits for ever): a run whose expectations all hold but that has one of
// them is a failure worth shrinking too. Timed out and failed are the
// client saying it has no answer, which is no lie.
var wrong = []check.Verdict{check.NotExecuted, check.Misattributed, check.Corrupted, check.Garbled, check.Hung}

func isWrong(v check.Verdict) bool {
	for _, w := range wrong {
		if v == w {
			return true
		}
	}
	return false
}

// oracleFailure finds a wrong verdict in a run: the first request judged
// so (or, when the summary does not list it, the verdict alone).
func oracleFailure(sum check.Summary) (check.Verdict, string, bool) {
	for _, r := range sum.Requests {
		if isWrong(r.Verdict) {
			return r.Verdict, fmt.Sprintf("#%d %s", r.Req, r.Cmd), true
		}
	}
	for _, v := range wrong {
		if sum.Counts[v] > 0 {
			return v, fmt.Sprintf("%d requests", sum.Counts[v]), true
		}
	}
	return "", "", false
}

// neverName is a verdict as expect.never spells it.
func neverName(v check.Verdict) string { return strings.ReplaceAll(string(v), " ", "-") }

// run shrinks sc at seed, the run as the UI shows it, to its end. When the
// run fails an expectation, the signature is shrink's own (the first failed
// expectation, as `qgasim shrink` finds it); when every expectation holds
// but the oracle judged a request wrong, it shrinks that, as the
// expectation `never: [verdict]` (what a user would add to the file to
// make `qgasim shrink` do the same); otherwise there is nothing to shrink.
func (j *shrinkJob) run(ctx context.Context, sc *scenarios.Scenario, seed uint64, jobs int, wake func()) {
	defer close(j.ended)
	defer wake()
	cancelled := func() bool {
		if ctx.Err() != nil {
			j.finish(jobCancelled, "", nil, nil, nil)
			return true
		}
		return false
	}
	cfg, err := scenarios.Build(sc, &seed)
	if err != nil {
		j.finish(jobFailed, "", nil, nil, err)
		return
	}
	first, err := scenarios.ExecuteContext(ctx, sc, cfg, scenarios.RunOptions{})
	if cancelled() {
		return
	}
	if err != nil {
		j.finish(jobFailed, "", nil, nil, fmt.Errorf("seed %d: %w", seed, err))
		return
	}
	if first.Pass() {
		v, who, ok := oracleFailure(first.Summary)
		if !ok {
			j.finish(jobNothing, fmt.Sprintf("nothing to shrink: %s at seed %d with strategy %s passes every expectation, and the oracle judged no request %s",
				sc.Name, seed, sc.Client.Strategy, verdictList()), nil, nil, nil)
			return
		}
		own := *sc
		own.Expect = scenarios.Expect{Never: []string{neverName(v)}}
		sc = &own
		j.setWhy(fmt.Sprintf("every expectation holds, but the oracle judged %s %s: shrinking that, as the expectation never: [%s]", who, v, neverName(v)))
	}
	res, err := shrink.Shrink(ctx, sc, shrink.Options{Seed: seed, Jobs: jobs, Log: func(line string) { j.log(line, wake) }})
	switch {
	case cancelled():
		return
	case errors.Is(err, shrink.ErrPasses):
		// The run failed just now: a World that is not deterministic.
		j.finish(jobFailed, "", nil, nil, fmt.Errorf("the run failed, then passed when shrink ran it again (a bug: please report it with the scenario): %w", err))
		return
	case err != nil:
		j.finish(jobFailed, "", nil, nil, err)
		return
	}
	data := scenarios.Write(res.Scenario)
	// The result must load as it was tested, as the CLI checks.
	if back, err := scenarios.Parse(res.Scenario.Name+".yaml", data); err != nil {
		j.finish(jobFailed, "", nil, nil, fmt.Errorf("the shrunk scenario does not load (a bug): %w", err))
		return
	} else if _, err := scenarios.Build(back, nil); err != nil {
		j.finish(jobFailed, "", nil, nil, fmt.Errorf("the shrunk scenario does not build (a bug): %w", err))
		return
	}
	j.finish(jobDone, "", res, data, nil)
}

func verdictList() string {
	var out []string
	for _, v := range wrong {
		out = append(out, string(v))
	}
	return strings.Join(out, ", ")
}
