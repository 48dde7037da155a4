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
//   - write only to cmd.OutOrStdout() and cmd.ErrOrStderr(): run checks
//     every write to them;
//   - end RunE with nil (exit 0), exitStatus(exitFailed) after printing why,
//     exitStatus(exitBadInput) after printing the problems, or an error, which
//     run prints as "qgasim frob: ERROR" with exit 2;
//   - add newFrobCmd() to the list in newRootCmd, and a testscript in
//     testdata/script.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
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
all in virtual time from one seed.`,
		Example: `  Start with a scenario from the library (scenarios/ in the source tree):
    qgasim run scenarios/stale-reply-virtio.yaml
    qgasim tui scenarios/stale-reply-virtio.yaml`,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		newRunCmd(),
		newTUICmd(),
		newValidateCmd(),
		newSchemaCmd(),
		newAgentCmd(),
	)
	return root
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command line: arguments in, exit status out.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if len(args) == 0 {
		// No command is a mistake: the help, on stderr, and exit 2.
		root.InitDefaultHelpCmd()
		root.InitDefaultCompletionCmd()
		root.InitDefaultHelpFlag()
		root.InitDefaultVersionFlag()
		root.SetOut(stderr)
		_ = root.Help()
		return exitBadInput
	}
	cmd, err := root.ExecuteC()
	if err != nil && cmd == root {
		// The root runs nothing: its errors are unknown commands and
		// flags, answered with the list of what is valid.
		err = usageError{err}
	}
	return exitCode(cmd, err, stderr)
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
	name := "qgasim"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	var ue usageError
	if errors.As(err, &ue) && cmd != nil {
		fmt.Fprintln(stderr)
		fmt.Fprint(stderr, cmd.UsageString())
	}
	return exitBadInput
}
