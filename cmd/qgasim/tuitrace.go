package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/model"
)

// traceTUI is `qgasim tui --trace FILE.jsonl`: a recorded trace in the
// terminal UI. The file is read as it plays, not loaded: the memory is the
// view model's, bounded by --history, whatever the file's size.
func traceTUI(cmd *cobra.Command, path, logPath string, limits model.Limits) error {
	tf, err := ui.ScanTraceFile(path)
	if err != nil {
		msg := fmt.Sprintf("%s: %v (want a trace written by qgasim run, serve or proxy --trace)", path, strings.TrimPrefix(err.Error(), "trace: "))
		fmt.Fprintln(cmd.ErrOrStderr(), termsafe.Line(msg))
		return exitStatus(exitBadInput)
	}
	log, err := newLogger(logPath, []string{path}, false, cmd.ErrOrStderr())
	if err != nil {
		return fmt.Errorf("log file: %v", err)
	}
	defer log.Sync()
	info := traceInfo(path, tf)
	p, err := ui.OpenTracePlayer(path, tf, info, limits)
	if err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), termsafe.Line(err.Error()))
		return exitStatus(exitBadInput)
	}
	defer p.Close()
	u := ui.NewPlayer(ui.Options{Info: info, Log: log}, p, false)
	return showTUI(cmd, u)
}

// traceInfo is the header of a recorded trace: what its session event
// says, or the file's name.
func traceInfo(path string, tf ui.TraceFile) model.Info {
	info := model.Info{Scenario: "trace " + filepath.Base(path), Strategy: "recorded",
		Description: "A recorded trace (" + filepath.Base(path) + "): space plays it, n steps, b steps back, G goes to the end."}
	if s := tf.Session; s != nil {
		info.Scenario, info.Seed, info.Transport = s.Scenario, s.Seed, s.Transport
		info.Strategy = "a real client (" + s.Mode + ")"
		info.Description = "A " + s.Mode + " session recorded in " + filepath.Base(path) + ", on scenario " + s.Scenario + "."
	}
	return info
}
