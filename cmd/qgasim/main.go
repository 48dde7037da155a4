// Command qgasim simulates the QEMU guest agent protocol: a byte-exact
// qemu-ga, host clients with real resync strategies, and a faulty serial link
// between them. Run "qgasim help" for the commands.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses, the same for every subcommand.
const (
	exitOK       = 0
	exitFailed   = 1 // an expectation failed
	exitBadInput = 2 // bad flags, bad scenario, bad arguments
)

type subcommand struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func subcommands() []subcommand {
	return []subcommand{
		{"run", "run a scenario headless and report (exit 0 pass, 1 fail, 2 bad input)", runRun},
		{"tui", "watch a scenario in the terminal UI, step it, break it by hand", runTUI},
		{"validate", "check scenario files without running them", runValidate},
		{"schema", "print the JSON Schema of scenario files", runSchema},
		{"agent", "run the simulated qemu-ga on stdio or a unix socket", runAgent},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "qgasim: a simulator of the QEMU guest agent protocol.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: qgasim COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range subcommands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Start with a scenario from the library (scenarios/ in the source tree):")
	fmt.Fprintln(w, "  qgasim run scenarios/stale-reply-virtio.yaml")
	fmt.Fprintln(w, "  qgasim tui scenarios/stale-reply-virtio.yaml")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'qgasim COMMAND -h' for a command's flags.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitBadInput
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, c := range subcommands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "qgasim: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitBadInput
}
