package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/model"
	"github.com/qgasim/qgasim/ui/scenariofile"
)

// newTUICmd is `qgasim tui FILE.yaml`: the terminal UI on a scenario,
// paused at t=0 with the scenario's description on screen. Logs go to a
// file only, never to the terminal the UI draws on.
func newTUICmd() *cobra.Command {
	var (
		seed    seedFlag
		logPath string
		history int
	)
	cmd := &cobra.Command{
		Use:   "tui FILE.yaml [flags]",
		Short: "watch a scenario in the terminal UI, step it, break it by hand",
		Long: `Shows a scenario run in the terminal: both byte streams, the agent's parser, the
client's resync, the requests and a timeline. It starts paused at t=0; space plays,
n steps, b steps back, f d t r R c z inject faults by hand, w saves the run with
them as a new scenario file, ? lists every key. Exit status: 0, or 2 bad input.

The panes keep a window of recent history (--history lines of the timeline, and
bytes, deliveries and requests in proportion), so a long run costs the same
memory as a short one; once they have dropped older lines the header says from
which virtual time they are whole ("history from t=..."). Stepping back re-runs
the World from the start, so it works as far back as you like, and takes longer
the further the run has gone.`,
		Args:              exactArgs(1, "one scenario file"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, stderr := args[0], cmd.ErrOrStderr()
			if history < 1 {
				return usageError{fmt.Errorf("--history must be at least 1, got %d", history)}
			}
			sc, cfg, ok := loadScenario(path, seed.ptr(), stderr)
			if !ok {
				return exitStatus(exitBadInput)
			}
			log, err := newLogger(logPath, false, stderr)
			if err != nil {
				return fmt.Errorf("log file: %v", err)
			}
			defer log.Sync()
			info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: cfg.Seed,
				Transport: sc.Transport, Strategy: sc.Client.Strategy}
			u, err := ui.New(ui.Options{Config: cfg, Info: info, Log: log, Save: saveRun(path, sc.Seed, sc.Client.Strategy),
				ClientOptions: sc.Client.Options, Limits: model.Scaled(history)})
			if err != nil {
				return err
			}
			return u.Run(nil)
		},
	}
	f := cmd.Flags()
	f.Var(&seed, "seed", "run with seed `N` instead of the file's")
	f.StringVar(&logPath, "log", filepath.Join(os.TempDir(), "qgasim-tui.log"), "write logs to `FILE` (never to the terminal)")
	f.IntVar(&history, "history", model.DefaultLimits.Timeline, "keep about `N` timeline lines of history in the panes (bytes, deliveries and requests in proportion)")
	return cmd
}

// saveRun is the `w` key: the scenario file as written, with the run's seed
// and the faults injected by hand appended as timed fault entries, checked
// by the scenario loader and written next to the original under a new name.
// (When the scenarios package gains a writer from sim.Config, this can use
// it; appending keeps the user's comments and layout.)
func saveRun(path string, fileSeed uint64, fileStrategy string) func(ui.Recording) (string, error) {
	return func(rec ui.Recording) (string, error) {
		src, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		var ch scenariofile.Changes
		if rec.Seed != fileSeed {
			ch.Seed = &rec.Seed
		}
		if rec.Strategy != fileStrategy {
			ch.Strategy = rec.Strategy
		}
		out, err := scenariofile.Append(src, ch, rec.Entries())
		if err != nil {
			return "", err
		}
		dst := freeName(path)
		saved, err := scenarios.Parse(dst, out)
		if err == nil {
			_, err = scenarios.Build(saved, nil)
		}
		if err != nil {
			return "", fmt.Errorf("the saved scenario does not load: %w", err)
		}
		if err := os.WriteFile(dst, out, 0o644); err != nil {
			return "", err
		}
		return dst, nil
	}
}

// freeName is FILE-by-hand-N.yaml with the first N not taken.
func freeName(path string) string {
	stem := strings.TrimSuffix(path, filepath.Ext(path))
	for n := 1; ; n++ {
		p := fmt.Sprintf("%s-by-hand-%d.yaml", stem, n)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}
