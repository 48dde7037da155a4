// Command qgasim simulates the QEMU guest agent protocol: a byte-exact
// qemu-ga, host clients with real resync strategies, and a faulty serial link
// between them. Run "qgasim help" for the commands.
//
// The command line is built with cobra, one file per subcommand. To add one,
// say "frob":
//
//   - write frob.go with func newFrobCmd() *cobra.Command: Use (with its
//     arguments, ending in "[flags]"), Short (one line, lower case, for the
//     command list), Long (what it does and its exit statuses), Args (use
//     exactArgs and friends from args.go, whose errors say what is expected),
//     flags on cmd.Flags() spelled --long-name with a `VALUE` in their usage,
//     and RunE;
//   - write only to cmd.OutOrStdout() and cmd.ErrOrStderr(), or rawOut(cmd)
//     for JSON, files and protocol bytes: run checks every write to
//     standard output (outfile.Checked) and fails the command when one
//     failed, so no fmt.Fprintf there needs its own check;
//   - a --json output is one JSON document whose first field is
//     "format": N, the version of that document's layout, documented in
//     docs/ (see docs/report-format.md for run's);
//   - in human output, pass text that comes from input (a scenario, the
//     command line, a session's bytes) through termsafe.Line, or
//     termsafe.Block where a newline is legitimate;
//   - end RunE with nil (exit 0), exitStatus(exitFailed) after printing why,
//     exitStatus(exitBadInput) after printing the problems, or an error, which
//     run prints as "qgasim frob: ERROR" with exit 2;
//   - add newFrobCmd() to the list in newRootCmd, and a testscript in
//     testdata/script.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/internal/termsafe"
)

// Exit statuses, the same for every subcommand.
const (
	exitOK       = 0
	exitFailed   = 1 // an expectation failed
	exitBadInput = 2 // bad flags, bad scenario, bad arguments
)

// exitStatus is an error that ends the command with a status; whatever it
// has to say has been printed already.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is bad flags or arguments: run prints it with the command's
// usage, which lists what is valid.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "qgasim",
		Short: "a simulator of the QEMU guest agent protocol",
		Long: `qgasim: a simulator of the QEMU guest agent protocol.

A simulated qemu-ga 7.2 that answers byte for byte like the real one, simulated
host clients with real resync strategies, and a faulty serial link between them,
all in virtual time from one seed.

Exit status: 0 success, 1 an expectation failed, 2 bad input (flags, arguments,
a scenario) or output that could not be written.`,
		Example: `  Start with a scenario from the library, built into qgasim:
    qgasim list
    qgasim run stale-reply-virtio
    qgasim tui stale-reply-virtio
    qgasim show stale-reply-virtio > mine.yaml`,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		newRunCmd(),
		newTUICmd(),
		newListCmd(),
		newShowCmd(),
		newValidateCmd(),
		newSchemaCmd(),
		newAgentCmd(),
		newServeCmd(),
		newProxyCmd(),
		newReplayCmd(),
		newSweepCmd(),
		newShrinkCmd(),
	)
	return root
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line: arguments in, exit status out.
//
// Standard output is checked: when any write to it failed, the result is
// lost, and that is an error (exit 2) whatever the command found. Both
// streams are for people unless a command asks for rawOut: every control
// character that reaches them is escaped (termsafe.Writer), the net under
// the escaping of each field that the commands do.
func run(args []string, stdout, stderr io.Writer) int {
	out := outfile.NewChecked(stdout)
	human := termsafe.NewWriter(out)
	safeErr := termsafe.NewWriter(stderr)
	defer safeErr.Flush()
	code, name := runCommand(args, outputs{raw: out, rawErr: stderr}, human, safeErr)
	if err := human.Flush(); err != nil && code != exitBadInput {
		code = exitBadInput
	}
	if werr := out.Err(); werr != nil {
		fmt.Fprintf(safeErr, "%s: writing standard output: %v\n", name, werr)
		return exitBadInput
	}
	return code
}

// outputs is what a command finds in its context.
type outputs struct {
	raw    io.Writer // standard output for bytes as they are (JSON, files, protocol)
	rawErr io.Writer // standard error, the same, for JSON when stdout carries other data
}

type outputsKey struct{}

// rawOut is standard output without the escaping of human output, for a
// command that prints JSON, a file or protocol bytes. Its writes are
// checked as every write to standard output is.
func rawOut(cmd *cobra.Command) io.Writer {
	if o, ok := cmd.Context().Value(outputsKey{}).(outputs); ok {
		return o.raw
	}
	return cmd.OutOrStdout()
}

// rawErr is standard error without the escaping of human output.
func rawErr(cmd *cobra.Command) io.Writer {
	if o, ok := cmd.Context().Value(outputsKey{}).(outputs); ok {
		return o.rawErr
	}
	return cmd.ErrOrStderr()
}

// addCobraCommands adds cobra's help and completion commands, in the
// words of the others. It comes after SetOut: the completion commands
// take their output when they are made.
func addCobraCommands(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Short = "show what a command does and its flags (qgasim help run)"
		case "completion":
			c.Short = "print a shell completion script (bash, zsh, fish), scenario names included"
		}
	}
}

// runCommand runs the command and returns its exit status and its name.
func runCommand(args []string, raw outputs, stdout, stderr io.Writer) (int, string) {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(context.WithValue(context.Background(), outputsKey{}, raw))
	addCobraCommands(root)
	if len(args) == 0 {
		// No command is a mistake: the help, on stderr, and exit 2.
		root.InitDefaultHelpFlag()
		root.InitDefaultVersionFlag()
		root.SetOut(stderr)
		_ = root.Help()
		return exitBadInput, "qgasim"
	}
	cmd, err := root.ExecuteC()
	if c, ok := raw.raw.(*outfile.Checked); ok && err != nil && c.Err() != nil {
		// Standard output failed, and the command's error is that
		// failure or follows from it: run says it once, with no usage
		// (which would say the command line was wrong).
		return exitBadInput, commandPath(cmd)
	}
	if err != nil && cmd == root {
		// The root runs nothing: its errors are unknown commands and
		// flags, answered with the list of what is valid.
		err = usageError{err}
	}
	return exitCode(cmd, err, stderr), commandPath(cmd)
}

func commandPath(cmd *cobra.Command) string {
	if cmd == nil {
		return "qgasim"
	}
	return cmd.CommandPath()
}

// exitCode prints what err has to say and turns it into an exit status.
func exitCode(cmd *cobra.Command, err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var st exitStatus
	if errors.As(err, &st) {
		return int(st)
	}
	var ue usageError
	if !errors.As(err, &ue) {
		// An error may echo input (a scenario's text): its lines are
		// escaped and indented, so that none starts like a report's.
		fmt.Fprintf(stderr, "%s: %s\n", commandPath(cmd), termsafe.Block(err.Error(), "  "))
		return exitBadInput
	}
	fmt.Fprintf(stderr, "%s: %v\n", commandPath(cmd), err)
	if cmd != nil {
		fmt.Fprintln(stderr)
		fmt.Fprint(stderr, cmd.UsageString())
	}
	return exitBadInput
}
