package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
)

// newListCmd is `qgasim list`: the library built into the binary.
func newListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "list the scenarios of the library built into qgasim",
		Long: `Lists the scenarios of the library, built into qgasim: lessons first, then field
bugs, then what a real guest and libvirt showed, each with one line on what it
shows. Run one by name from any directory (qgasim run NAME, qgasim tui NAME), or
print it to copy and change (qgasim show NAME > mine.yaml).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, e := range scenarios.Library() {
				fmt.Fprintf(tw, "%s\t%s\n", e.Name, e.Summary)
			}
			return tw.Flush()
		},
	}
}
