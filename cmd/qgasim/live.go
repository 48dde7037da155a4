package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/listen"
	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/sim/live"
	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui"
	"github.com/qgasim/qgasim/ui/model"
)

// liveFlags are the flags serve and proxy share.
type liveFlags struct {
	seed      seedFlag
	listen    string
	tracePath string
	asJSON    bool
	speed     float64
	duration  time.Duration
	tui       bool
	logPath   string
	remote    bool
}

func (f *liveFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.listen, "listen", "", "accept clients on `unix:PATH` (made 0600) or tcp:127.0.0.1:PORT, one at a time (required)")
	fs.BoolVar(&f.remote, "listen-remote", false, "let --listen tcp: name an address that is not loopback (anyone who can reach it controls the guest)")
	fs.Var(&f.seed, "seed", "use seed `N` instead of the file's (the faults' random choices)")
	fs.StringVar(&f.tracePath, "trace", "", "write every event to `FILE` as JSON Lines as it happens (tail -f works); a new file, never one that exists; - for standard output")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON, for machines")
	fs.Float64Var(&f.speed, "speed", 1, "virtual seconds per wall second (`X`): faults, latencies and timeouts of the scenario run X times faster")
	fs.DurationVar(&f.duration, "duration", 0, "end the session after `D` of wall time (default: at SIGINT, SIGTERM or SIGHUP)")
	fs.BoolVar(&f.tui, "tui", false, "show the session in the terminal UI as it happens; its fault keys (r, f, d, c...) fire into the session by hand; q ends it; the report follows")
	fs.StringVar(&f.logPath, "log", "", "write the session's log to `FILE` (default: standard error; with --tui "+defaultLogHelp("live.log")+", never the terminal)")
}

// runLive runs a session until a signal or --duration, then prints the
// report. mode is "serve" or "proxy".
func runLive(cmd *cobra.Command, mode string, f *liveFlags, arg string, up live.Upstream) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if f.listen == "" {
		return usageError{errors.New("--listen is required: unix:PATH or tcp:127.0.0.1:PORT")}
	}
	if f.speed <= 0 {
		return usageError{fmt.Errorf("--speed %v: want a positive number", f.speed)}
	}
	if f.duration < 0 {
		return usageError{fmt.Errorf("--duration %v: want a positive duration", f.duration)}
	}
	src, sc, cfg, ok := loadScenario(arg, f.seed.ptr(), stderr)
	if !ok {
		return exitStatus(exitBadInput)
	}
	defer limitLiveMemory(os.Getenv)()
	// The signals are caught before the socket exists, so that none can
	// end the process between its making and the deferred Close that
	// removes it.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var traceOut *outfile.File
	if f.tracePath != "" {
		t, err := outfile.CreateLive(f.tracePath, outfile.Options{Inputs: src.files(), Stdout: rawOut(cmd)})
		if err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
		defer t.Abort() // after Commit, nothing
		traceOut = t
	}
	warning := ""
	ln, err := listen.Listen(f.listen, listen.Options{AllowRemote: f.remote, Warn: func(msg string) {
		warning = termsafe.Line(msg)
		fmt.Fprintln(stderr, warning)
	}})
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	// Close removes the socket file only while it is still the one made
	// here; it runs on every way out, the signals' included (they end ctx).
	defer ln.Close()
	where := ln.Address()
	logPath := f.logPath
	var player *ui.TracePlayer
	if f.tui {
		if logPath == "" {
			if logPath, err = defaultLogPath("live.log"); err != nil {
				return err
			}
		}
		desc := sc.Description
		if warning != "" {
			// The terminal UI covers what was printed: the warning stays
			// on its screen.
			desc = warning + "\n" + desc
		}
		player = ui.NewLivePlayer(model.Info{Scenario: sc.Name, Description: desc, Seed: cfg.Seed,
			Transport: sc.Transport, Strategy: "a real client (" + mode + ")", LiveSpeed: f.speed}, model.Limits{}, 0)
	}
	log, err := newLogger(logPath, src.files(), false, stderr)
	if err != nil {
		return fmt.Errorf("--log: %v", err)
	}
	defer func() { _ = log.Sync() }()
	file := ""
	if src.path != "" {
		file = src.path
	} else if src.library != nil {
		file = src.library.Name
	}
	opts := live.Options{Speed: f.speed, Agent: up, Logf: func(format string, args ...any) {
		log.Info(termsafe.Line(fmt.Sprintf(format, args...)))
	}, Session: &trace.Session{Mode: mode, Scenario: sc.Name, File: file}}
	if traceOut != nil {
		opts.Trace = traceOut
	}
	if player != nil {
		opts.Sink = player.Append
	}
	s, err := live.New(cfg, opts)
	if err != nil {
		return err
	}
	if f.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.duration)
		defer cancel()
	}
	if up != nil {
		fmt.Fprintf(stderr, "%s %s: reaching the agent...\n", cmd.CommandPath(), termsafe.Line(sc.Name))
		var failed <-chan error
		if a, ok := up.(interface{ Failed() <-chan error }); ok {
			failed = a.Failed() // an --agent-cmd that cannot start
		}
		select {
		case <-s.Ready():
		case <-ctx.Done():
		case err := <-failed:
			s.Close()
			return fmt.Errorf("--agent-cmd: %w", err)
		}
	}
	end := "SIGINT, SIGTERM or SIGHUP ends the session"
	if f.duration > 0 {
		end = "it ends after " + f.duration.String() + " or at SIGINT/SIGTERM/SIGHUP"
	}
	fmt.Fprintf(stderr, "%s %s on %s, seed %d, speed x%s; %s\n", cmd.CommandPath(), termsafe.Line(sc.Name), termsafe.Line(where),
		cfg.Seed, strconv.FormatFloat(f.speed, 'g', -1, 64), end)
	var serr error
	if player != nil {
		// The UI in front; the session behind it until q, a signal or
		// --duration.
		uctx, cancel := context.WithCancel(ctx)
		served := make(chan error, 1)
		go func() { served <- s.Serve(uctx, ln) }()
		go func() { <-uctx.Done(); player.Finish() }()
		// The fault keys fire into the session (docs/live.md).
		u := ui.NewPlayer(ui.Options{Info: player.Model().Info, Live: s}, player, true)
		// A signal or --duration ends the session and stops the UI (the
		// terminal given back); q stops the UI and ends the session.
		uerr := u.Run(uctx, nil)
		ended := uctx.Err() != nil // a signal or --duration, not a failure of the UI
		cancel()
		serr = <-served
		if uerr != nil && !ended {
			s.Close()
			return uerr
		}
		if f.logPath == "" {
			// The log went to a file of our choosing: say which.
			fmt.Fprintf(stderr, "the session's log is in %s\n", logPath)
		}
	} else {
		serr = s.Serve(ctx, ln)
	}
	if _, err := s.Close(); err != nil {
		return err
	}
	if serr != nil && !errors.Is(serr, live.ErrClosed) {
		return serr
	}
	rep := s.Report()
	rep.Mode, rep.Scenario, rep.File = mode, sc.Name, sc.File
	reportOut, jsonOut := stdout, rawOut(cmd)
	if traceOut != nil && traceOut.IsStdout() {
		reportOut, jsonOut = stderr, rawErr(cmd)
	}
	if f.asJSON {
		enc := json.NewEncoder(jsonOut)
		enc.SetIndent("", "  ")
		_ = enc.Encode(liveJSON{Format: liveReportFormat, JSONReport: rep.JSON()})
	} else {
		_ = rep.Text(reportOut)
	}
	if traceOut != nil {
		if err := traceOut.Commit(); err != nil {
			return fmt.Errorf("--trace: %w (the report above is complete; the trace is cut)", err)
		}
	}
	return nil
}

// liveReportFormat is the version of serve's and proxy's --json layout
// (docs/live.md).
const liveReportFormat = 1

type liveJSON struct {
	Format int `json:"format"`
	live.JSONReport
}
