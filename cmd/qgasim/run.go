package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/trace"
)

// seedFlag is an optional uint64 flag: unset means "the file's seed".
type seedFlag struct {
	set bool
	v   uint64
}

func (s *seedFlag) String() string {
	if !s.set {
		return ""
	}
	return strconv.FormatUint(s.v, 10)
}

func (s *seedFlag) Set(v string) error {
	n, err := strconv.ParseUint(v, 0, 64)
	if err != nil {
		return fmt.Errorf("want a non-negative integer, got %q", v)
	}
	s.set, s.v = true, n
	return nil
}

func (s *seedFlag) ptr() *uint64 {
	if !s.set {
		return nil
	}
	return &s.v
}

// runRun runs a scenario headless and reports.
func runRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qgasim run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var seed seedFlag
	fs.Var(&seed, "seed", "run with seed `N` instead of the file's")
	tracePath := fs.String("trace", "", "write every event to `FILE` as JSON Lines (see docs/trace-format.md)")
	asJSON := fs.Bool("json", false, "print the report as JSON, for machines")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: qgasim run FILE.yaml [--seed N] [--trace out.jsonl] [--json]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs a scenario headless and prints what happened: the steps and their notes, each")
		fmt.Fprintln(stderr, "request and its outcome with the oracle's verdict, each fault that fired, and every")
		fmt.Fprintln(stderr, "expectation with pass or fail and why. The same file and seed give the same run.")
		fmt.Fprintln(stderr, "Exit status: 0 every expectation holds, 1 one fails, 2 bad input.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	path, code, ok := parseFileArgs(fs, args, stderr)
	if !ok {
		return code
	}
	sc, cfg, ok := loadScenario(path, seed.ptr(), stderr)
	if !ok {
		return exitBadInput
	}
	rep, err := runScenario(sc, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "qgasim run: %v (seed %d)\n", err, cfg.Seed)
		return exitBadInput
	}
	if *tracePath != "" {
		if err := writeTrace(*tracePath, rep.events); err != nil {
			fmt.Fprintf(stderr, "qgasim run: %v\n", err)
			return exitBadInput
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep.JSON())
	} else {
		rep.Text(stdout)
	}
	if !rep.Pass() {
		return exitFailed
	}
	return exitOK
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
