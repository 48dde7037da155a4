package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

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
	)
	cmd := &cobra.Command{
		Use:   "run FILE.yaml [flags]",
		Short: "run a scenario headless and report (exit 0 pass, 1 fail, 2 bad input)",
		Long: `Runs a scenario headless and prints what happened: the steps and their notes, each
request and its outcome with the oracle's verdict, each fault that fired, and every
expectation with pass or fail and why. The same file and seed give the same run.
Exit status: 0 every expectation holds, 1 one fails, 2 bad input.`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			sc, cfg, ok := loadScenario(args[0], seed.ptr(), stderr)
			if !ok {
				return exitStatus(exitBadInput)
			}
			rep, err := runScenario(sc, cfg)
			if err != nil {
				return fmt.Errorf("%v (seed %d)", err, cfg.Seed)
			}
			if tracePath != "" {
				if err := writeTrace(tracePath, rep.events); err != nil {
					return err
				}
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				_ = enc.Encode(rep.JSON())
			} else {
				rep.Text(stdout)
			}
			if !rep.Pass() {
				return exitStatus(exitFailed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Var(&seed, "seed", "run with seed `N` instead of the file's")
	f.StringVar(&tracePath, "trace", "", "write every event to `FILE` as JSON Lines (see docs/trace-format.md)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON, for machines")
	return cmd
}

func writeTrace(path string, events []trace.Event) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := trace.WriteAll(f, events); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
