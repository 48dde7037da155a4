// Package outfile is how qgasim writes its results: every write checked,
// nothing the user owns overwritten.
//
// Checked wraps a writer (standard output, a file) and remembers its first
// error, so that a command can print a whole report and then ask once
// whether all of it was written; a failed write is an error (exit 2), never
// a result lost silently.
package outfile
