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

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// newRunCmd is `qgasim run FILE.yaml`: a scenario headless, and a report.
func newRunCmd() *cobra.Command {
	var (
		seed      seedFlag
		strategy  *strategyFlag
		tracePath string
		asJSON    bool
		maxEvents int64
		list      int
		pictures  *pictureFlags
	)
	cmd := &cobra.Command{
		Use:   "run FILE.yaml|NAME [flags]",
		Short: "run a scenario headless and report (exit 0 pass, 1 fail, 2 bad input)",
		Long: `Runs a scenario (a file, or a name from 'qgasim list') headless and prints what
happened: the steps and their notes, each request and its outcome with the
oracle's verdict, each fault that fired, and every expectation with pass or fail
and why. The same file and seed give the same run.
Exit status: 0 every expectation holds, 1 one fails, 2 bad input or a run stopped
at its event budget, 130 interrupted (143 for SIGTERM, 129 for SIGHUP).

With --trace FILE every event is written to FILE as JSON Lines, as it happens.
The file appears only when the run ends (until then it is a temporary file beside
it), an existing FILE is replaced whole, and the scenario file itself is never
overwritten. With --trace - the trace goes to standard output and the report to
standard error.

With --html FILE it also writes the run as one page to open in a browser or attach
to a bug report; with --mermaid FILE.md, the ladder diagram as Markdown that GitHub
renders. Both name the command that reproduces the run, and are written like the
trace: whole, and never over the scenario. A picture shows every event, so with
either the run keeps its events: memory then grows with the run.

Without them, memory does not grow with the length of the run: the trace is
written as the events happen and the oracle judges them as they come. A long
run's report lists its first and last --list steps, requests and faults (and the
requests its expectations name); its counts cover everything.

Every run has an event budget: at most --max-events trace events and as many
scheduled actions (the file's max-events, else 100000000). A time trigger that
would pass it is refused before the run; a run that reaches it anyway (triggers
on bytes, a long program) stops there: the report says what happened until that
point, marked STOPPED, the trace ends there, and the exit status is 2.

Ctrl-C (SIGINT, or SIGTERM, SIGHUP) stops the run between two steps of the simulation:
the report of what happened until then is printed, marked INTERRUPTED, and the
trace is kept, whole: its last lines are the "end" events, which say
"interrupted". A second Ctrl-C quits at once and writes no trace.`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			var edits []func(*scenarios.Scenario)
			if cmd.Flags().Changed("max-events") {
				if maxEvents < 1 {
					return usageError{fmt.Errorf("--max-events must be at least 1, got %d", maxEvents)}
				}
				edits = append(edits, func(sc *scenarios.Scenario) { sc.MaxEvents = maxEvents })
			}
			if list < 1 {
				return usageError{fmt.Errorf("--list must be at least 1, got %d", list)}
			}
			if strategy.name != "" {
				edits = append(edits, strategy.edit)
			}
			src, sc, cfg, ok := loadScenario(args[0], seed.ptr(), stderr, edits...)
			if !ok {
				return exitStatus(exitBadInput)
			}
			var traceOut *outfile.File
			var traceW io.Writer
			if tracePath != "" {
				// Created before the run: a bad path fails now, not
				// after minutes of work.
				f, err := outfile.Create(tracePath, outfile.Options{Inputs: src.files(), Stdout: rawOut(cmd)})
				if err != nil {
					return fmt.Errorf("--trace: %w", err)
				}
				defer f.Abort() // after Commit, nothing
				traceOut, traceW = f, f
			}
			if err := pictures.create(src.files(), tracePath); err != nil {
				return err
			}
			defer pictures.abort() // after the commits, nothing
			ctx, sig := interruptible(cmd.Context(), func() {
				// A second signal: quit now, and leave no file.
				if traceOut != nil {
					traceOut.Abort()
				}
				pictures.abort()
			})
			defer sig.stop()
			rep, err := runScenario(ctx, sc, cfg, traceW, list, pictures.wanted())
			if rep == nil {
				return fmt.Errorf("%v (seed %d)", err, cfg.Seed)
			}
			reportOut, jsonOut := stdout, rawOut(cmd)
			if traceOut != nil && traceOut.IsStdout() {
				reportOut, jsonOut = stderr, rawErr(cmd)
			}
			if err := pictures.write(rep, args[0], strategy.name); err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(jsonOut)
				enc.SetIndent("", "  ")
				_ = enc.Encode(rep.JSON())
			} else {
				rep.Text(reportOut)
			}
			if traceOut != nil {
				if errors.Is(err, errTraceWrite) {
					traceOut.Abort()
					return fmt.Errorf("--trace: %v: the run stopped there, the report above is partial, and no trace is written (seed %d)", err, cfg.Seed)
				}
				// The trace of a run that stopped early is whole too: it
				// ends with the end events, which say why.
				if cerr := traceOut.Commit(); cerr != nil {
					return fmt.Errorf("--trace: %w (the report above is complete; the trace is not written) (seed %d)", cerr, cfg.Seed)
				}
			}
			switch {
			case errors.Is(err, scenarios.ErrInterrupted):
				fmt.Fprintf(stderr, "qgasim run: %v: the report is partial (seed %d)\n", err, cfg.Seed)
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
	strategy = addStrategyFlag(cmd)
	f.StringVar(&tracePath, "trace", "", "write every event to `FILE` as JSON Lines, as they happen (see docs/trace-format.md); - for standard output")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON, for machines")
	f.Int64Var(&maxEvents, "max-events", 0, "the event budget: stop the run after `N` trace events or scheduled actions, exit 2 (default: the file's max-events, else 100000000)")
	f.IntVar(&list, "list", check.DefaultList, "list the first and the last `N` steps, requests and faults of a long run")
	pictures = addPictureFlags(cmd)
	return cmd
}

// errTraceWrite marks a run stopped because its trace could not be written.
var errTraceWrite = errors.New("writing the trace")

// runScenario runs the World to the end, or until ctx ends or a budget is
// reached, streaming its events to out (if any: an outfile.File, which
// remembers a failed write), and judges it; keep keeps every event (for the
// pictures). The report is nil only when the run could not start; a run
// that stopped early gives a partial report and the error that says why.
func runScenario(ctx context.Context, sc *scenarios.Scenario, cfg sim.Config, out io.Writer, list int, keep bool) (*report, error) {
	start := time.Now()
	opts := scenarios.RunOptions{List: list, Keep: keep}
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
		// The run is whole; a failure of this last write is remembered
		// by the output file, whose Commit says it.
		_ = bw.Flush()
	}
	return newReport(sc, cfg, run, time.Since(start)), err
}
