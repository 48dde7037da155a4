// Package outfile is how qgasim writes its results: every write checked,
// nothing the user owns overwritten, no output ever seen cut.
//
// Checked wraps a writer (standard output, a file) and remembers its first
// error, so that a command can print a whole report and then ask once
// whether all of it was written; a failed write is an error (exit 2), never
// a result lost silently.
//
// File is an output file (a trace, a report, a saved scenario), used as a
// stream: Create before the work, so that a bad path fails at once and
// before minutes of work; Write as the work goes; then Commit at a
// successful end, or Abort on failure or interrupt. (A command may Commit
// the output of work it stopped on purpose when what it wrote is whole:
// run keeps the trace of an interrupted run, whose last lines say so.)
// The contract:
//
//   - never over an input: Create refuses a target that is the same file
//     (os.SameFile: another path, a hard or symbolic link) as any of
//     Options.Inputs;
//   - never cut: the bytes go to a temporary file beside the target, which
//     Commit syncs and renames over it; Abort removes it. An interrupted
//     run leaves the target as it was (a process killed with SIGKILL leaves
//     a hidden .NAME.tmp-XXXX file, never a cut NAME);
//   - "-" is standard output (Options.Stdout), written as it comes; the
//     command then sends its report for people to standard error;
//   - Options.NoClobber: never replace an existing file, up to the rename;
//   - Abort may be called from any goroutine at any time (a signal
//     handler's), more than once, and after Commit it does nothing.
//
// A File is written by one goroutine; Commit and Abort may come from others.
package outfile
