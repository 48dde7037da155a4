package main

import (
	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/scenarios"
)

// newSchemaCmd is `qgasim schema`: the JSON Schema of scenario files.
func newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "schema",
		Short:   "print the JSON Schema of scenario files",
		Long:    `Prints the JSON Schema of scenario files (version 1), for editors.`,
		Example: "  qgasim schema > scenario.schema.json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := rawOut(cmd).Write(scenarios.Schema())
			return err
		},
	}
}
