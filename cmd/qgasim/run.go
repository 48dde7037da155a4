package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

// newRunCmd is `qgasim run FILE.yaml`: a scenario headless, and a report.
func newRunCmd() *cobra.Command {
	var (
		seed      seedFlag
		tracePath string
		asJSON    bool
		pictures  *pictureFlags
	)
	cmd := &cobra.Command{
		Use:   "run FILE.yaml|NAME [flags]",
		Short: "run a scenario headless and report (exit 0 pass, 1 fail, 2 bad input)",
		Long: `Runs a scenario (a file, or a name from 'qgasim list') headless and prints what
happened: the steps and their notes, each request and its outcome with the
oracle's verdict, each fault that fired, and every expectation with pass or fail
and why. The same file and seed give the same run.
Exit status: 0 every expectation holds, 1 one fails, 2 bad input.

With --trace FILE every event is written to FILE as JSON Lines. The file appears
only when the run ends (until then it is a temporary file beside it), an existing
FILE is replaced whole, and the scenario file itself is never overwritten. With
--trace - the trace goes to standard output and the report to standard error.

With --html FILE it also writes the run as one page to open in a browser or attach
to a bug report; with --mermaid FILE.md, the ladder diagram as Markdown that GitHub
renders. Both name the command that reproduces the run, and are written like the
trace: whole, and never over the scenario.`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			src, sc, cfg, ok := loadScenario(args[0], seed.ptr(), stderr)
			if !ok {
				return exitStatus(exitBadInput)
			}
			var traceOut *outfile.File
			if tracePath != "" {
				// Created before the run: a bad path fails now, not
				// after minutes of work.
				f, err := outfile.Create(tracePath, outfile.Options{Inputs: src.files(), Stdout: rawOut(cmd)})
				if err != nil {
					return fmt.Errorf("--trace: %w", err)
				}
				defer f.Abort() // after Commit, nothing
				traceOut = f
			}
			if err := pictures.create(src.files(), tracePath); err != nil {
				return err
			}
			defer pictures.abort() // after the commits, nothing
			rep, err := runScenario(sc, cfg)
			if err != nil {
				return fmt.Errorf("%v (seed %d)", err, cfg.Seed)
			}
			reportOut, jsonOut := stdout, rawOut(cmd)
			if traceOut != nil {
				// A failed write is remembered by traceOut: Commit says it.
				_ = trace.WriteAll(traceOut, rep.events)
				if traceOut.IsStdout() {
					reportOut, jsonOut = stderr, rawErr(cmd)
				}
			}
			if err := pictures.write(rep, args[0]); err != nil {
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
				if err := traceOut.Commit(); err != nil {
					return fmt.Errorf("--trace: %w (the report above is complete; the trace is not written)", err)
				}
			}
			if !rep.Pass() {
				return exitStatus(exitFailed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Var(&seed, "seed", "run with seed `N` instead of the file's")
	f.StringVar(&tracePath, "trace", "", "write every event to `FILE` as JSON Lines (see docs/trace-format.md); - for standard output")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON, for machines")
	pictures = addPictureFlags(cmd)
	return cmd
}

// runScenario runs the World to the end and judges it.
func runScenario(sc *scenarios.Scenario, cfg sim.Config) (*report, error) {
	start := time.Now()
	run, err := scenarios.Execute(sc, cfg)
	if err != nil {
		return nil, err
	}
	return &report{sc: sc, cfg: cfg, events: run.Events, summary: run.Summary,
		results: run.Results, virtual: run.Virtual, wall: time.Since(start)}, nil
}
