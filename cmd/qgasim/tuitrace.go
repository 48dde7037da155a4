package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/model"
)

// traceTUI is `qgasim tui --trace FILE.jsonl`: a recorded trace in the
// terminal UI.
func traceTUI(cmd *cobra.Command, path, logPath string, limits model.Limits) error {
	evs, err := readTraceFile(path)
	if err != nil {
		fmt.Fprintln(cmd.ErrOrStderr(), termsafe.Line(err.Error()))
		return exitStatus(exitBadInput)
	}
	log, err := newLogger(logPath, false, cmd.ErrOrStderr())
	if err != nil {
		return fmt.Errorf("log file: %v", err)
	}
	defer log.Sync()
	info := traceInfo(path, evs)
	u := ui.NewPlayer(ui.Options{Info: info, Log: log}, ui.NewTracePlayer(info, limits, evs), false)
	return showTUI(cmd, u)
}

// traceInfo is the header of a recorded trace: what its session event
// says, or the file's name.
func traceInfo(path string, evs []trace.Event) model.Info {
	info := model.Info{Scenario: "trace " + filepath.Base(path), Strategy: "recorded",
		Description: "A recorded trace (" + filepath.Base(path) + "): space plays it, n steps, b steps back, G goes to the end."}
	for _, ev := range evs {
		if ev.Kind == trace.KindSession && ev.Session != nil {
			s := ev.Session
			info.Scenario, info.Seed, info.Transport = s.Scenario, s.Seed, s.Transport
			info.Strategy = "a real client (" + s.Mode + ")"
			info.Description = "A " + s.Mode + " session recorded in " + filepath.Base(path) + ", on scenario " + s.Scenario + "."
		}
		if ev.Kind == trace.KindConnect {
			break
		}
	}
	return info
}
