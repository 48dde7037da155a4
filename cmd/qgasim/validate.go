package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/qgasim/qgasim/scenarios"
)

// runValidate checks scenario files without running them.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qgasim validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: qgasim validate FILE.yaml...")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Checks scenario files without running them. Every problem is printed as")
		fmt.Fprintln(stderr, "file:line:column: what is wrong (and what would be valid). Exit status 0 when")
		fmt.Fprintln(stderr, "every file is good, 2 otherwise.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBadInput
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitBadInput
	}
	status := exitOK
	for _, path := range fs.Args() {
		sc, err := scenarios.Load(path)
		if err == nil {
			_, err = scenarios.Build(sc, nil)
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = exitBadInput
			continue
		}
		fmt.Fprintf(stdout, "%s: ok (%s, %d steps, %d faults)\n", path, sc.Name, len(sc.Steps), len(sc.Faults))
	}
	return status
}

// runSchema prints the JSON Schema of scenario files.
func runSchema(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "Usage: qgasim schema > scenario.schema.json")
		fmt.Fprintln(stderr, "Prints the JSON Schema of scenario files (version 1), for editors.")
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			return exitOK
		}
		return exitBadInput
	}
	_, _ = stdout.Write(scenarios.Schema())
	return exitOK
}
