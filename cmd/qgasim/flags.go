package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
)

// parseInterleaved parses flags that may come before or after the file
// name, as people type them ("qgasim run FILE --seed 7"). A flag that takes
// a value (any but a boolean) takes the next argument with it.
func parseInterleaved(fs *flag.FlagSet, args []string) error {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) {
			if i+1 >= len(args) {
				fmt.Fprintf(fs.Output(), "flag needs an argument: %s\n", a)
				fs.Usage()
				return fmt.Errorf("flag needs an argument: %s", a)
			}
			flags = append(flags, args[i+1])
			i++
		}
	}
	return fs.Parse(append(append(flags, "--"), rest...))
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseFileArgs parses a command's flags around exactly one scenario file.
// It returns the file, or, when parsing ends the command (help, bad flags,
// no file or several), false and the exit status.
func parseFileArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (string, int, bool) {
	if err := parseInterleaved(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, false
		}
		return "", exitBadInput, false
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "%s: give exactly one scenario file\n", fs.Name())
		fs.Usage()
		return "", exitBadInput, false
	}
	return fs.Arg(0), exitOK, true
}

// loadScenario reads, checks and builds a scenario file; on bad input it
// prints every problem to stderr and reports false.
func loadScenario(path string, seed *uint64, stderr io.Writer) (*scenarios.Scenario, sim.Config, bool) {
	sc, err := scenarios.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, sim.Config{}, false
	}
	cfg, err := scenarios.Build(sc, seed)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, sim.Config{}, false
	}
	return sc, cfg, true
}
