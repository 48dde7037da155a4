package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/termsafe"
)

// newValidateCmd is `qgasim validate FILE.yaml...`: scenario files checked
// without running them.
func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE.yaml|NAME...",
		Short: "check scenario files without running them",
		Long: `Checks scenario files (or library scenarios by name) without running them.
Every problem is printed as file:line:column: what is wrong (and what would be
valid). Exit status 0 when every file is good, 2 otherwise.`,
		Args:              minArgs(1, "one or more scenario files"),
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			status := exitOK
			for _, arg := range args {
				src, sc, _, ok := loadScenario(arg, nil, stderr)
				if !ok {
					status = exitBadInput
					continue
				}
				fmt.Fprintf(stdout, "%s: ok (%s, %d steps, %d faults)\n", termsafe.Line(src.display()), termsafe.Line(sc.Name), len(sc.Steps), len(sc.Faults))
			}
			if status != exitOK {
				return exitStatus(status)
			}
			return nil
		},
	}
}
