package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/model"
)

// newTUICmd is `qgasim tui FILE.yaml`: the terminal UI on a scenario,
// paused at t=0 with the scenario's description on screen. Logs go to a
// file only, never to the terminal the UI draws on.
func newTUICmd() *cobra.Command {
	var (
		seed      seedFlag
		strategy  *strategyFlag
		logPath   string
		tracePath string
		history   int
	)
	cmd := &cobra.Command{
		Use:   "tui (FILE.yaml|NAME | --trace FILE.jsonl) [flags]",
		Short: "watch a scenario in the terminal UI, step it, break it by hand",
		Long: `Shows a scenario run (a file, or a name from 'qgasim list') in the terminal: both
byte streams, the agent's parser, the client's resync, the requests and a
timeline. It starts paused at t=0; space plays, n steps, b steps back, f d t r R
c z inject faults by hand, w saves the run with them as a new scenario file
(beside the original, or in the current directory for a library scenario),
m shrinks a failing run to the smallest scenario that fails the same way (as
'qgasim shrink' does, in the background; esc cancels) and offers to open it or
write it as FILE-min-N.yaml, ? lists every key. Exit status: 0, or 2 bad input.

With --trace FILE.jsonl it shows a recorded trace instead (from run, serve or
proxy --trace): play, step, step back, jump, byte stories and the timeline work
as on a run; what needs the World (injecting faults, switching the strategy,
saving) does not.

The panes keep a window of recent history (--history lines of the timeline, and
bytes, deliveries and requests in proportion), so a long run costs the same
memory as a short one; once they have dropped older lines the header says from
which virtual time they are whole ("history from t=..."). Stepping back re-runs
the World from the start, so it works as far back as you like, and takes longer
the further the run has gone.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if tracePath != "" {
				return noArgs(cmd, args)
			}
			return exactArgs(1, "one scenario file, or --trace FILE.jsonl")(cmd, args)
		},
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stderr := cmd.ErrOrStderr()
			if history < 1 {
				return usageError{fmt.Errorf("--history must be at least 1, got %d", history)}
			}
			if logPath == "" {
				var err error
				if logPath, err = defaultLogPath("tui.log"); err != nil {
					return err
				}
			}
			if tracePath != "" {
				return traceTUI(cmd, tracePath, logPath, model.Scaled(history))
			}
			src, sc, cfg, ok := loadScenario(args[0], seed.ptr(), stderr, strategy.edits()...)
			if !ok {
				return exitStatus(exitBadInput)
			}
			log, err := newLogger(logPath, src.files(), false, stderr)
			if err != nil {
				return fmt.Errorf("log file: %v", err)
			}
			defer log.Sync()
			info := model.Info{Scenario: sc.Name, Description: sc.Description, Seed: cfg.Seed,
				Transport: sc.Transport, Strategy: sc.Client.Strategy}
			u, err := ui.New(ui.Options{Config: cfg, Info: info, Log: log, Save: saveRun(src, sc), Limits: model.Scaled(history),
				Scenario: sc, Write: scenarioWriter(src)})
			if err != nil {
				return err
			}
			return showTUI(cmd, u)
		},
	}
	f := cmd.Flags()
	f.Var(&seed, "seed", "run with seed `N` instead of the file's")
	strategy = addStrategyFlag(cmd)
	f.StringVar(&logPath, "log", "", "write logs to `FILE` (never to the terminal; default "+defaultLogHelp("tui.log")+")")
	f.StringVar(&tracePath, "trace", "", "show the recorded trace `FILE.jsonl` instead of running a scenario")
	f.IntVar(&history, "history", model.DefaultLimits.Timeline, "keep about `N` timeline lines of history in the panes (bytes, deliveries and requests in proportion)")
	return cmd
}

// showTUI runs the UI on the terminal until q or a signal. SIGTERM, SIGHUP
// and SIGINT stop it as q does (the terminal restored), and the command
// then exits 128 plus the signal's number, as a shell reports a process
// the signal ended.
func showTUI(cmd *cobra.Command, u *ui.UI) error {
	ctx, cancel := context.WithCancelCause(cmd.Context())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		select {
		case sig := <-sigs:
			cancel(stoppedBy{sig.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	err := u.Run(ctx, nil)
	var sig stoppedBy
	if errors.As(err, &sig) {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: stopped by %v\n", cmd.CommandPath(), sig.Signal)
		return exitStatus(128 + int(sig.Signal))
	}
	return err
}

// stoppedBy is the cause of a run stopped by a signal.
type stoppedBy struct{ syscall.Signal }

func (s stoppedBy) Error() string { return "stopped by " + s.Signal.String() }

// saveRun is the `w` key: the scenario as loaded, with the run's seed and
// strategy and the faults injected by hand added as timed faults, its
// expectations made to hold for it (scenariofile.Save), written by
// scenarioWriter as FILE-by-hand-N.yaml.
func saveRun(from scenarioArg, sc *scenarios.Scenario) func(ui.Recording) (ui.Saved, error) {
	return ui.SaveWith(sc, scenarioWriter(from), "by-hand")
}

// scenarioWriter writes the scenarios the UI makes (w's saved runs, the
// shrink key's minimal scenarios): with the scenario writer, checked by the
// loader, next to the original under a new name (a library scenario, which
// has no directory, in the current one), never over a file and never over
// an input.
func scenarioWriter(from scenarioArg) ui.WriteFunc {
	path := from.path
	if from.library != nil {
		path = from.library.File
	}
	return func(sc *scenarios.Scenario, tag string) (string, error) {
		out := scenarios.Write(sc)
		dst := freeName(path, tag)
		back, err := scenarios.Parse(dst, out)
		if err == nil {
			_, err = scenarios.Build(back, nil)
		}
		if err != nil {
			return "", fmt.Errorf("the scenario to write does not load: %w", err)
		}
		// Never over a file: if the free name is taken meanwhile, the
		// next one.
		for {
			err := writeNew(dst, out, from.files())
			if !errors.Is(err, fs.ErrExist) {
				return dst, err
			}
			dst = freeName(path, tag)
		}
	}
}

// writeNew writes data to a file that must not exist yet.
func writeNew(path string, data []byte, inputs []string) error {
	f, err := outfile.Create(path, outfile.Options{NoClobber: true, Inputs: inputs})
	if err != nil {
		return err
	}
	defer f.Abort()
	_, _ = f.Write(data)
	return f.Commit()
}

// freeName is FILE-TAG-N.yaml with the first N not taken.
func freeName(path, tag string) string {
	stem := strings.TrimSuffix(path, filepath.Ext(path))
	for n := 1; ; n++ {
		p := fmt.Sprintf("%s-%s-%d.yaml", stem, tag, n)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}
