package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/shrink"
)

// newShrinkCmd is `qgasim shrink FILE --seed N`: the smallest scenario that
// fails the same way.
func newShrinkCmd() *cobra.Command {
	var (
		seed     seedFlag
		strategy *strategyFlag
		outPath  string
		tries    int
		jobs     int
	)
	cmd := &cobra.Command{
		Use:   "shrink FILE.yaml|NAME --seed N [flags]",
		Short: "shrink a failing run to the smallest scenario that fails the same way at every seed",
		Long: `Takes a scenario that fails at a seed (an expectation fails) and finds a small
scenario that fails the same way: the same failed expectation, shown by a request
of the same command with the same verdict from the oracle.

First every fault that fired at random (and every periodic one) is replaced by
the firings it made at that seed, each fixed to its time (at:, max-count: 1) or
to the byte it hit, so that the result fails at every seed and not only at N.
Then the run is cut short, faults and steps are removed by delta debugging, and
what is left is reduced: sleeps, request timeouts, the faults' durations and
counts, the agent's latencies. Each reduction is printed on standard error.

The result is a valid scenario with a comment that says where it comes from,
what fails, and which fault at which time causes it; it is written to -o FILE
(never over the scenario it comes from), or to standard output. 'qgasim run'
on it exits 1 with the same failed expectation, 'qgasim tui' shows it. It is
tried at --seeds other seeds, and the comment says at how many it fails.
Exit status: 0 shrunk, 2 bad input or no failure at that seed, 130 interrupted
(the smallest scenario found so far is written).`,
		Example: `  qgasim shrink noisy.yaml --seed 17 -o min.yaml
  qgasim run min.yaml --seed 1`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stderr := cmd.ErrOrStderr()
			if !seed.set {
				return usageError{errors.New("give --seed N, the seed at which the scenario fails (a sweep's table lists failing seeds)")}
			}
			if err := checkJobs(jobs); err != nil {
				return usageError{err}
			}
			// 0 and less became 20 in silence, and a billion kept a
			// list of a billion seeds (8 GB) before the first run.
			if tries < 1 || tries > maxShrinkSeeds {
				return usageError{fmt.Errorf("--seeds: want 1 to %d other seeds, got %d", maxShrinkSeeds, tries)}
			}
			src, sc, _, ok := loadScenario(args[0], &seed.v, stderr, strategy.edits()...)
			if !ok {
				return exitStatus(exitBadInput)
			}
			var out *outfile.File
			if outPath != "" {
				var err error
				if out, err = outfile.Create(outPath, outfile.Options{Inputs: src.files(), Stdout: rawOut(cmd)}); err != nil {
					return fmt.Errorf("-o: %w", err)
				}
				defer out.Abort()
			}
			ctx, sig := interruptible(cmd.Context(), func() {
				if out != nil {
					out.Abort()
				}
			})
			defer sig.stop()
			name := cmd.CommandPath()
			res, err := shrink.Shrink(ctx, sc, shrink.Options{Seed: seed.v, Seeds: tries, Jobs: jobs,
				Log: func(line string) { fmt.Fprintf(stderr, "%s: %s\n", name, termsafe.Line(line)) }})
			interrupted := err != nil && errors.Is(err, context.Canceled) && res != nil
			if err != nil && !interrupted {
				if errors.Is(err, shrink.ErrPasses) {
					fmt.Fprintf(stderr, "%s: %s: %v\n", name, termsafe.Line(src.display()), err)
					return exitStatus(exitBadInput)
				}
				return err
			}
			data := scenarios.Write(res.Scenario)
			// The result must load as it was tested: a scenario that
			// does not is a bug here, not something to hand over.
			if back, err := scenarios.Parse("the shrunk scenario", data); err != nil {
				return fmt.Errorf("the shrunk scenario does not load: %w", err)
			} else if _, err := scenarios.Build(back, nil); err != nil {
				return fmt.Errorf("the shrunk scenario does not build: %w", err)
			}
			fmt.Fprintf(stderr, "%s: %s -> %s in %d runs, %v; fails at %d of %d seeds tried\n", name,
				res.From, res.To, res.Runs, res.Wall.Round(1e6), res.FailsAt, len(res.Tried))
			if out == nil {
				_, _ = rawOut(cmd).Write(data)
			} else {
				_, _ = out.Write(data)
				if err := out.Commit(); err != nil {
					return fmt.Errorf("-o: %w", err)
				}
				if !out.IsStdout() {
					fmt.Fprintf(stderr, "%s: wrote %s; run it with: %s\n", name, termsafe.Line(outPath), termsafe.Line(reproduce(outPath, seed.v, "")))
				}
			}
			if res.Signature.Absence() {
				fmt.Fprintf(stderr, "%s: warning: the failure is an absence (%s): a run in which nothing goes wrong shows it too, so the result says little; watch the original instead: %s\n",
					name, termsafe.Line(res.Signature.String()), termsafe.Line(strings.Replace(reproduce(args[0], seed.v, res.Scenario.Client.Strategy), "qgasim run", "qgasim tui", 1)))
			}
			if interrupted {
				fmt.Fprintf(stderr, "%s: interrupted: that is the smallest scenario found so far\n", name)
				return exitStatus(sig.status())
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Var(&seed, "seed", "the seed `N` at which the scenario fails (required)")
	strategy = addStrategyFlag(cmd)
	f.StringVarP(&outPath, "output", "o", "", "write the shrunk scenario to `FILE` (default: standard output)")
	f.IntVar(&tries, "seeds", 20, "try the result at `N` other seeds")
	f.IntVar(&jobs, "jobs", 0, "run `N` candidates at once (default: one per core)")
	return cmd
}

// maxShrinkSeeds is the most other seeds shrink tries its result at.
const maxShrinkSeeds = 100_000
