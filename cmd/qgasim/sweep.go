package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qgasim/qgasim/internal/outfile"
	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sweep"
)

// sweepFlags are the flags of `qgasim sweep`.
type sweepFlags struct {
	seeds      string
	strategies string
	jobs       int
	shard      string
	shardCount uint64
	out        string
	asJSON     bool
	library    bool
}

// newSweepCmd is `qgasim sweep FILE|DIR|NAME...`: many seeds and
// strategies, and a table.
func newSweepCmd() *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep FILE.yaml|DIR|NAME... [flags]",
		Short: "run scenarios at many seeds and strategies, and sum the runs up in a table",
		Long: `Runs each scenario (a file, every *.yaml file of a directory, a library name, or
the whole library with --library) at every seed of --seeds, under each strategy
of --strategy (the same seeds for all), on --jobs cores at once, and prints a
table per scenario: for each strategy the runs, how many passed every
expectation, the oracle's counts of requests per verdict, the requests the
agent never answered (lost), the resync times (median of the runs' medians,
and the worst), then the first failing seeds of each failed expectation with
the command that replays each run, and the first seeds where the oracle
flagged a request.

--out FILE writes a header line and then one JSON line per run (docs/sweep.md),
ordered by scenario, strategy and seed whatever --jobs is; the table is
computed from those lines alone, and 'qgasim sweep merge' computes it again
from the files of several shards.

Sharding: --shard i/n runs the seeds whose position in the range (from 0)
leaves i when divided by n. Without --shard, a Kubernetes Indexed Job's
JOB_COMPLETION_INDEX (with --shard-count, the Job's completions) or GitLab's
CI_NODE_INDEX and CI_NODE_TOTAL (counted from 1) choose the shard.

Progress goes to standard error: a bar with runs a second and the time left on
a terminal, a line every few seconds otherwise. Ctrl-C stops the sweep and
prints the table of the runs done (an --out file is then not written).
Exit status: 0 every run passed its expectations, 1 one failed, 2 bad input,
130 interrupted.`,
		Example: `  qgasim sweep stale-reply-virtio --seeds 1-100000 --strategy all
  qgasim sweep scenarios/ --seeds 1-1000
  qgasim sweep --library --seeds 1-1000 --json
  qgasim sweep mine.yaml --shard 3/16 --out shard-3.jsonl
  qgasim sweep merge shard-*.jsonl`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !f.library {
				return usageError{errors.New("give one or more scenario files, directories or library names, or --library")}
			}
			return nil
		},
		ValidArgsFunction: completeScenario,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.seeds, "seeds", "1-10000", "run the seeds `A-B` (both included), or one seed N")
	fl.StringVar(&f.strategies, "strategy", "", "run under the strategies `LIST`: names separated by commas, or all ("+
		strings.Join(client.Names(), ", ")+"); default: each file's own")
	fl.IntVar(&f.jobs, "jobs", 0, "make `N` runs at once (the default: one per core)")
	fl.StringVar(&f.shard, "shard", "", "run shard `i/n` of the seeds (i from 0 to n-1)")
	fl.Uint64Var(&f.shardCount, "shard-count", 0, "the number of shards `N` of a Kubernetes Indexed Job, whose JOB_COMPLETION_INDEX is the shard")
	fl.StringVar(&f.out, "out", "", "write a header and one JSON line per run to `FILE` (- for standard output)")
	fl.BoolVar(&f.asJSON, "json", false, "print the table as JSON, for machines")
	fl.BoolVar(&f.library, "library", false, "sweep every scenario of the library built into qgasim")
	_ = cmd.RegisterFlagCompletionFunc("strategy", completeStrategyList)
	cmd.AddCommand(newSweepMergeCmd())
	return cmd
}

// completeStrategyList completes the last name of a comma-separated list.
func completeStrategyList(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	head, last := "", toComplete
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		head, last = toComplete[:i+1], toComplete[i+1:]
	}
	var out []cobra.Completion
	for _, n := range append([]string{"all"}, client.Names()...) {
		if strings.HasPrefix(n, last) && (head == "" || n != "all") {
			out = append(out, head+n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func runSweep(cmd *cobra.Command, args []string, f *sweepFlags) error {
	stderr := cmd.ErrOrStderr()
	seeds, err := sweep.ParseSeeds(f.seeds)
	if err != nil {
		return usageError{fmt.Errorf("--seeds: %w", err)}
	}
	strategies, err := parseStrategies(f.strategies)
	if err != nil {
		return usageError{fmt.Errorf("--strategy: %w", err)}
	}
	if err := checkJobs(f.jobs); err != nil {
		return usageError{err}
	}
	if f.jobs == 0 {
		f.jobs = runtime.GOMAXPROCS(0)
	}
	shard, err := chooseShard(f, os.Getenv)
	if err != nil {
		return usageError{err}
	}
	targets, inputs, ok := sweepTargets(args, f.library, strategies, stderr)
	if !ok {
		return exitStatus(exitBadInput)
	}
	plan := &sweep.Plan{Targets: targets, Seeds: seeds, Shard: shard.Shard, Version: version()}
	if err := plan.Check(); err != nil {
		printProblems(stderr, err)
		return exitStatus(exitBadInput)
	}
	if shard.from != "" {
		fmt.Fprintf(stderr, "%s: shard %s, from %s\n", cmd.CommandPath(), shard.Shard, shard.from)
	}

	var out *outfile.File
	if f.out != "" {
		if out, err = outfile.Create(f.out, outfile.Options{Inputs: inputs, Stdout: rawOut(cmd)}); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer out.Abort() // after Commit, nothing
	}
	header := plan.Header()
	table := sweep.NewTable(header)
	var buf []byte
	if out != nil {
		buf = header.AppendJSON(buf[:0])
		_, _ = out.Write(buf)
	}

	ctx, sig := interruptible(cmd.Context(), func() {
		// A second signal: quit now, and leave no file.
		if out != nil {
			out.Abort()
		}
	})
	defer sig.stop()
	prog := newProgress(cmd, header.Runs(), f.jobs)
	err = sweep.Run(ctx, plan, sweep.Options{Jobs: f.jobs, Progress: prog.update}, func(r *sweep.Record) error {
		if out != nil {
			buf = r.AppendJSON(buf[:0])
			if _, err := out.Write(buf); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
		}
		return table.Add(r)
	})
	sig.stop()
	prog.finish(table.Runs())
	interrupted := err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled)
	if err != nil && !interrupted {
		return err
	}
	tableOut, jsonOut := cmd.OutOrStdout(), rawOut(cmd)
	if out != nil && out.IsStdout() {
		tableOut, jsonOut = stderr, rawErr(cmd)
	}
	printTable(table, f.asJSON, tableOut, jsonOut)
	if interrupted {
		fmt.Fprintf(stderr, "%s: interrupted after %d of %d runs: the table above counts those", cmd.CommandPath(), table.Runs(), header.Runs())
		if out != nil && !out.IsStdout() {
			fmt.Fprintf(stderr, "; %s is not written", termsafe.Line(f.out))
		}
		fmt.Fprintln(stderr)
		return exitStatus(sig.status())
	}
	if out != nil {
		if err := out.Commit(); err != nil {
			return fmt.Errorf("--out: %w (the table above is complete; the runs are not written)", err)
		}
	}
	if !table.Pass() {
		return exitStatus(exitFailed)
	}
	return nil
}

// printTable prints the table for people, or as JSON.
func printTable(t *sweep.Table, asJSON bool, human, raw io.Writer) {
	replay := func(scenario, strategy string, seed uint64) string { return reproduce(scenario, seed, strategy) }
	if asJSON {
		enc := json.NewEncoder(raw)
		enc.SetIndent("", "  ")
		_ = enc.Encode(t.JSON(replay))
		return
	}
	t.Text(human, replay)
}

// parseStrategies reads --strategy: "" (each file's own), "all", or names
// separated by commas, each once.
func parseStrategies(v string) ([]string, error) {
	v = strings.TrimSpace(v)
	switch v {
	case "":
		return nil, nil
	case "all":
		return client.Names(), nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range strings.Split(v, ",") {
		n = strings.TrimSpace(n)
		if err := (client.Spec{Strategy: n}).Validate(); err != nil {
			return nil, fmt.Errorf("unknown strategy %q%s (valid: all, or names among %s, separated by commas)", n, didYouMeanStrategy(n), strings.Join(client.Names(), ", "))
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// chosenShard is the shard and where it came from ("" the command line).
type chosenShard struct {
	sweep.Shard
	from string
}

func chooseShard(f *sweepFlags, getenv func(string) string) (chosenShard, error) {
	if f.shard != "" {
		if f.shardCount != 0 {
			return chosenShard{}, errors.New("--shard and --shard-count: give one (--shard-count goes with a Kubernetes Indexed Job's JOB_COMPLETION_INDEX)")
		}
		s, err := sweep.ParseShard(f.shard)
		if err != nil {
			return chosenShard{}, fmt.Errorf("--shard: %w", err)
		}
		return chosenShard{Shard: s}, nil
	}
	s, from, err := sweep.ShardFromEnv(getenv, f.shardCount)
	return chosenShard{Shard: s, from: from}, err
}

// sweepTargets loads the scenarios the arguments name: files, every *.yaml
// file of a directory (sorted), library names, and the whole library with
// --library. Each is named in the lines as the user named it (the path,
// or the library name), so that the commands in the table replay it. Every
// problem of every file is printed before it reports false.
func sweepTargets(args []string, library bool, strategies []string, stderr io.Writer) ([]sweep.Target, []string, bool) {
	type named struct {
		name string // as the lines name it
		src  scenarioArg
	}
	var list []named
	ok := true
	for _, arg := range args {
		if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
			files, err := scenarioFilesIn(arg)
			if err != nil {
				fmt.Fprintln(stderr, termsafe.Line(err.Error()))
				ok = false
				continue
			}
			for _, p := range files {
				list = append(list, named{p, scenarioArg{arg: p, path: p}})
			}
			continue
		}
		src, err := resolveScenario(arg)
		if err != nil {
			printProblems(stderr, err)
			ok = false
			continue
		}
		name := arg
		if src.library != nil {
			name = src.library.Name
		}
		list = append(list, named{name, src})
	}
	if library {
		for _, e := range scenarios.Library() {
			_, data, _ := scenarios.LibraryFile(e.Name)
			list = append(list, named{e.Name, scenarioArg{arg: e.Name, library: &e, data: data}})
		}
	}
	var targets []sweep.Target
	var inputs []string
	seen := map[string]bool{}
	for _, n := range list {
		if seen[n.name] {
			continue
		}
		seen[n.name] = true
		data := n.src.data
		if n.src.path != "" {
			var err error
			if data, err = readScenarioFile(n.src.path); err != nil {
				fmt.Fprintln(stderr, termsafe.Line(err.Error()))
				ok = false
				continue
			}
			inputs = append(inputs, n.src.path)
		}
		file := n.src.path
		if n.src.library != nil {
			file = n.src.library.File
		}
		sc, err := scenarios.Parse(file, data)
		if err != nil {
			printProblems(stderr, err)
			ok = false
			continue
		}
		sum := sha256.Sum256(data)
		info := sweep.ScenarioInfo{Scenario: n.name, Name: sc.Name, SHA256: hex.EncodeToString(sum[:]), Strategies: strategies}
		if len(strategies) == 0 {
			info.Strategies = []string{sc.Client.Strategy}
		}
		targets = append(targets, sweep.Target{Info: info, Scenario: sc})
	}
	if ok && len(targets) == 0 {
		fmt.Fprintln(stderr, "no scenario to sweep (a directory holds none?)")
		ok = false
	}
	return targets, inputs, ok
}

// scenarioFilesIn lists the *.yaml and *.yml files of a directory, sorted;
// subdirectories are not entered. A name that cannot be read as a file (a
// dangling or looping link, a pipe, a socket) is an error, not skipped: a
// sweep that left a scenario out in silence would pass without it, and
// one that opened a pipe would wait for ever.
func scenarioFilesIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || (!strings.HasSuffix(n, ".yaml") && !strings.HasSuffix(n, ".yml")) {
			continue
		}
		p := filepath.Join(dir, n)
		fi, err := os.Stat(p)
		switch {
		case err != nil:
			return nil, err
		case fi.IsDir():
			continue
		case fi.Mode()&fs.ModeNamedPipe != 0:
			return nil, fmt.Errorf("%s is a named pipe, not a scenario file", p)
		case fi.Mode()&fs.ModeSocket != 0:
			return nil, fmt.Errorf("%s is a socket, not a scenario file", p)
		}
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no *.yaml scenario files in this directory", dir)
	}
	return out, nil
}

// readScenarioFile reads a scenario file, at most one byte past the
// loader's limit (the loader then says it is too large).
func readScenarioFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, scenarios.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}
