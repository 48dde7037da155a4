package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// newRunCmd is `qgasim run FILE.yaml`: a scenario headless, and a report.
func newRunCmd() *cobra.Command {
	var (
		seed      seedFlag
		tracePath string
		asJSON    bool
		maxEvents int64
		list      int
	)
	cmd := &cobra.Command{
		Use:   "run FILE.yaml [flags]",
		Short: "run a scenario headless and report (exit 0 pass, 1 fail, 2 bad input)",
		Long: `Runs a scenario headless and prints what happened: the steps and their notes, each
request and its outcome with the oracle's verdict, each fault that fired, and every
expectation with pass or fail and why. The same file and seed give the same run.
Exit status: 0 every expectation holds, 1 one fails, 2 bad input or a run stopped
at its event budget, 130 interrupted.

Memory does not grow with the length of the run: the trace is written as the
events happen and the oracle judges them as they come. A long run's report lists
its first and last --list steps, requests and faults (and the requests its
expectations name); its counts cover everything.

A run stops at its event budget (--max-events, default 100000000 trace events or
scheduled actions): a trigger that fires every nanosecond cannot run for ever.
The report then says what happened until then, and the exit status is 2.

Ctrl-C (SIGINT, or SIGTERM) stops the run between two steps of the simulation:
the report of what happened until then is printed, marked INTERRUPTED, and the
trace ends there with its "end" events saying "interrupted", every line whole.
A second Ctrl-C quits at once without writing the trace.`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			if maxEvents < 1 {
				return usageError{fmt.Errorf("--max-events must be at least 1, got %d", maxEvents)}
			}
			if list < 1 {
				return usageError{fmt.Errorf("--list must be at least 1, got %d", list)}
			}
			sc, cfg, ok := loadScenario(args[0], seed.ptr(), stderr)
			if !ok {
				return exitStatus(exitBadInput)
			}
			cfg.MaxEvents = maxEvents
			var out *traceFile
			if tracePath != "" {
				// Opened before the run: a bad path fails now, not after
				// minutes of work.
				f, err := createTrace(tracePath)
				if err != nil {
					return fmt.Errorf("--trace: %w", err)
				}
				defer f.Abort() // after Commit, nothing
				out = f
			}
			ctx, sig := interruptible(cmd.Context(), func() {
				// A second signal: quit now, leave no trace file.
				if out != nil {
					out.Abort()
				}
			})
			defer sig.stop()
			var tw io.Writer
			if out != nil {
				tw = out
			}
			rep, err := runScenario(ctx, sc, cfg, tw, list)
			if rep == nil {
				return fmt.Errorf("%v (seed %d)", err, cfg.Seed)
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				_ = enc.Encode(rep.JSON())
			} else {
				rep.Text(stdout)
			}
			if out != nil && !errors.Is(err, errTraceWrite) {
				// A consistent trace, even of a stopped run: it ends with
				// the end events, which say why.
				if cerr := out.Commit(); cerr != nil {
					return fmt.Errorf("--trace: %w (seed %d)", cerr, cfg.Seed)
				}
			}
			switch {
			case errors.Is(err, scenarios.ErrInterrupted):
				fmt.Fprintf(stderr, "qgasim run: %v: the report above is partial (seed %d)\n", err, cfg.Seed)
				return exitStatus(sig.status())
			case errors.Is(err, sim.ErrBudget):
				fmt.Fprintf(stderr, "qgasim run: %v; raise it with --max-events (seed %d)\n", err, cfg.Seed)
				return exitStatus(exitBadInput)
			case err != nil:
				return fmt.Errorf("%v (seed %d)", err, cfg.Seed)
			case !rep.Pass():
				return exitStatus(exitFailed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Var(&seed, "seed", "run with seed `N` instead of the file's")
	f.StringVar(&tracePath, "trace", "", "write every event to `FILE` as JSON Lines, as they happen (see docs/trace-format.md)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON, for machines")
	f.Int64Var(&maxEvents, "max-events", sim.DefaultMaxEvents, "stop the run after `N` trace events or scheduled actions (exit 2)")
	f.IntVar(&list, "list", check.DefaultList, "list the first and the last `N` steps, requests and faults of a long run")
	return cmd
}

// errTraceWrite marks a run stopped because its trace could not be written.
var errTraceWrite = errors.New("writing the trace")

// runScenario runs the World to the end, or until ctx ends or a budget is
// reached, streaming its events to out (if any), and judges it. The report
// is nil only when the run could not start.
func runScenario(ctx context.Context, sc *scenarios.Scenario, cfg sim.Config, out io.Writer, list int) (*report, error) {
	start := time.Now()
	opts := scenarios.RunOptions{List: list}
	var bw *bufio.Writer
	if out != nil {
		bw = bufio.NewWriterSize(out, 256<<10)
		tw := trace.NewWriter(bw)
		opts.Sink = func(ev trace.Event) error {
			if err := tw.Write(ev); err != nil {
				return fmt.Errorf("%w: %v", errTraceWrite, err)
			}
			return nil
		}
	}
	run, err := scenarios.ExecuteContext(ctx, sc, cfg, opts)
	if run == nil {
		return nil, err
	}
	if bw != nil && !errors.Is(err, errTraceWrite) {
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = fmt.Errorf("%w: %v", errTraceWrite, ferr)
		}
	}
	return newReport(sc, cfg, run, time.Since(start)), err
}
