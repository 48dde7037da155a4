package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/sweep"
)

// newSweepMergeCmd is `qgasim sweep merge FILE...`: the table of a sweep
// run in shards.
func newSweepMergeCmd() *cobra.Command {
	var (
		outPath string
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "merge FILE.jsonl... [flags]",
		Short: "the table of a sweep from the --out files of its shards",
		Long: `Reads the --out files of the shards of one sweep (every shard once, in any order)
and prints the table of the whole sweep, the same as an unsharded sweep prints.
The files are checked to belong together: the same scenarios (by contents),
strategies, seeds and number of shards, each shard once, and every run of each
shard there, in order. With --out FILE the runs are written in the order of the
unsharded sweep: the same lines it writes.
Exit status: 0 every run passed its expectations, 1 one failed, 2 bad input.`,
		Example: `  qgasim sweep merge shard-*.jsonl
  qgasim sweep merge shard-*.jsonl --out all.jsonl --json`,
		Args: minArgs(1, "the --out files of the shards (shard-*.jsonl)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var srcs []sweep.Source
			for _, p := range args {
				fh, err := os.Open(p)
				if err != nil {
					return err
				}
				defer fh.Close()
				srcs = append(srcs, sweep.Source{Name: p, R: fh})
			}
			var out *outfile.File
			if outPath != "" {
				var err error
				if out, err = outfile.Create(outPath, outfile.Options{Inputs: args, Stdout: rawOut(cmd)}); err != nil {
					return fmt.Errorf("--out: %w", err)
				}
				defer out.Abort()
			}
			m, err := sweep.NewMerger(srcs)
			if err != nil {
				return err
			}
			if vs := m.Versions(); vs != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: the shards were run by different versions of qgasim: %s\n", cmd.CommandPath(), termsafe.Line(strings.Join(vs, "; ")))
			}
			header := m.Header()
			table := sweep.NewTable(header)
			var buf []byte
			if out != nil {
				buf = header.AppendJSON(buf)
				_, _ = out.Write(buf)
			}
			err = m.Run(func(r *sweep.Record) error {
				if out != nil {
					buf = r.AppendJSON(buf[:0])
					if _, err := out.Write(buf); err != nil {
						return fmt.Errorf("--out: %w", err)
					}
				}
				return table.Add(r)
			})
			if err != nil {
				return err
			}
			tableOut, jsonOut := cmd.OutOrStdout(), rawOut(cmd)
			if out != nil && out.IsStdout() {
				tableOut, jsonOut = cmd.ErrOrStderr(), rawErr(cmd)
			}
			printTable(table, asJSON, tableOut, jsonOut)
			if out != nil {
				if err := out.Commit(); err != nil {
					return fmt.Errorf("--out: %w (the table above is complete; the runs are not written)", err)
				}
			}
			if !table.Pass() {
				return exitStatus(exitFailed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&outPath, "out", "", "write the runs of all shards, in the order of the whole sweep, to `FILE` (- for standard output)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the table as JSON, for machines")
	return cmd
}
