package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// exactArgs wants n arguments, and says which (what, e.g. "one scenario file").
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("give exactly %s (got %d arguments)", what, len(args))}
		}
		return nil
	}
}

// minArgs wants at least n arguments.
func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError{fmt.Errorf("give %s", what)}
		}
		return nil
	}
}

// noArgs wants none.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("takes no arguments (got %q)", args)}
	}
	return nil
}

// flagError makes a bad flag a usage error (the usage lists the valid
// flags) and recognises a long flag written with one dash, as Go's flag
// package allowed ("-json" for "--json").
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if _, arg, ok := strings.Cut(msg, "unknown shorthand flag: "); ok {
		if i := strings.LastIndex(arg, " in -"); i >= 0 {
			name, _, _ := strings.Cut(arg[i+len(" in -"):], "=")
			if f := cmd.Flags().Lookup(name); f != nil {
				err = fmt.Errorf("%w (did you mean --%s?)", err, name)
			}
		}
	}
	return usageError{err}
}

// seedFlag is an optional uint64 flag: unset means "the file's seed".
type seedFlag struct {
	set bool
	v   uint64
}

var _ pflag.Value = (*seedFlag)(nil)

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

func (s *seedFlag) Type() string { return "N" }

func (s *seedFlag) ptr() *uint64 {
	if !s.set {
		return nil
	}
	return &s.v
}

// maxJobs is the most --jobs a sweep or a shrink takes: each job is a
// goroutine with its own World and buffers, and a typo such as --jobs
// 1000000 would cost gigabytes for no speed (the runs are CPU-bound).
const maxJobs = 1024

// checkJobs checks a --jobs value: 0 is the default (one per core).
func checkJobs(n int) error {
	if n < 0 || n > maxJobs {
		return fmt.Errorf("--jobs: want 1 to %d (0 or none: one per core), got %d", maxJobs, n)
	}
	return nil
}
