package main

import (
	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
)

// newShowCmd is `qgasim show NAME`: a library scenario's file, to copy.
func newShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "print a scenario of the library, to copy and change",
		Long: `Prints a scenario file of the library as it is built into qgasim, comments and
all. Save it, change a fault or the strategy, and run your copy:
  qgasim show stale-reply-virtio > mine.yaml
  qgasim run mine.yaml`,
		Args:              exactArgs(1, "one library scenario name (qgasim list shows them)"),
		ValidArgsFunction: completeLibraryName,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, data, ok := scenarios.LibraryFile(args[0])
			if !ok {
				return notInLibrary(args[0])
			}
			_, err := rawOut(cmd).Write(data)
			return err
		},
	}
}
