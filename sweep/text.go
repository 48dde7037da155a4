package sweep

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/sim/check"
)

// Replay is the command line that replays one run of a sweep, e.g.
// "qgasim run stale-reply-virtio --seed 7 --strategy delimited".
type Replay func(scenario, strategy string, seed uint64) string

// Text writes the table for people: a row per scenario and strategy with
// the runs, the runs that passed, the oracle's counts and the resync
// times; then, per scenario, the first seeds of each kind of failure with
// the commands that replay them, and the first seeds where the oracle
// flagged a request. Text from the scenarios (names, expectations,
// errors) is escaped for a terminal.
func (t *Table) Text(w io.Writer, replay Replay) {
	line := termsafe.Line
	what := "seeds " + t.Header.Seeds.String()
	if !t.Header.Shard.IsWhole() {
		what += fmt.Sprintf(", shard %s (%d seeds)", t.Header.Shard, t.Header.Shard.Size(t.Header.Seeds))
	}
	fmt.Fprintf(w, "sweep of %s: %d runs, %d passed\n", what, t.Runs(), t.passed())
	groups := t.groups()
	fmt.Fprintln(w)
	if len(groups) == 1 {
		fmt.Fprintln(w, title(groups[0][0], line))
	}
	t.counts(w, groups, line)
	for _, g := range groups {
		t.failures(w, g, len(groups) > 1, replay, line)
	}
}

// groups are the rows by scenario.
func (t *Table) groups() [][]*Row {
	var out [][]*Row
	for rows := t.rows; len(rows) > 0; {
		n := 1
		for n < len(rows) && rows[n].Scenario == rows[0].Scenario {
			n++
		}
		out = append(out, rows[:n])
		rows = rows[n:]
	}
	return out
}

func (t *Table) passed() uint64 {
	var n uint64
	for _, r := range t.rows {
		n += r.Pass
	}
	return n
}

// title names a scenario: as the sweep names it, and by its name when
// the path does not say it.
func title(r *Row, line func(string) string) string {
	s := line(r.Scenario)
	if r.Name != "" && !strings.Contains(r.Scenario, r.Name) {
		s += "  (" + line(r.Name) + ")"
	}
	return s
}

// counts is the table of rows: a scenario column when there are several.
func (t *Table) counts(w io.Writer, groups [][]*Row, line func(string) string) {
	several := len(groups) > 1
	// The name columns are padded by hand, and every other cell starts
	// with its two spaces: tabwriter aligns every column right, and names
	// read better aligned left.
	wideSc, wideSt := len("scenario"), len("strategy")
	for _, r := range t.rows {
		wideSc = max(wideSc, len(line(r.Scenario)))
		wideSt = max(wideSt, len(line(r.Strategy)))
	}
	pad := func(s string, n int) string { return s + strings.Repeat(" ", n-len(s)) }
	names := func(sc, st string) string {
		if several {
			return pad(sc, wideSc) + "  " + pad(st, wideSt)
		}
		return pad(st, wideSt)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 0, ' ', tabwriter.AlignRight)
	head := []string{names("scenario", "strategy"), "runs", "pass"}
	for _, v := range check.Verdicts {
		head = append(head, string(v))
	}
	head = append(head, "lost", "resync median", "worst")
	fmt.Fprintln(tw, "  "+strings.Join(head, "\t  ")+"\t")
	for _, g := range groups {
		for i, r := range g {
			sc := ""
			if i == 0 {
				sc = line(r.Scenario)
			}
			cells := []string{names(sc, line(r.Strategy)), u(r.Runs), u(r.Pass)}
			for i := range check.Verdicts {
				cells = append(cells, u(r.Counts[i]))
			}
			med, worst := "-", "-"
			if r.ResyncRuns > 0 {
				med, worst = duration(r.ResyncMedian()), duration(r.ResyncWorst)
			}
			cells = append(cells, u(r.Lost), med, worst)
			fmt.Fprintln(tw, "  "+strings.Join(cells, "\t  ")+"\t")
		}
	}
	tw.Flush()
}

// failures are a scenario's failed runs and flagged requests: the first
// seeds of each kind, and the commands that replay them.
func (t *Table) failures(w io.Writer, rows []*Row, named bool, replay Replay, line func(string) string) {
	failing, flagged := false, false
	for _, r := range rows {
		failing = failing || len(r.Failures) > 0
		for i := range r.Flagged {
			flagged = flagged || r.Flagged[i].Runs > 0
		}
	}
	if !failing && !flagged {
		return
	}
	fmt.Fprintln(w)
	if named {
		fmt.Fprintln(w, title(rows[0], line))
	}
	if failing {
		fmt.Fprintf(w, "  failed: what, in how many runs, the first %d seeds of each, and the commands that replay them\n", FirstSeeds)
		for _, r := range rows {
			if len(r.Failures) == 0 {
				continue
			}
			fmt.Fprintf(w, "    %s: %s failed\n", line(r.Strategy), runsOf(r.Runs-r.Pass, r.Runs))
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			var seeds []uint64
			for _, k := range r.FailureKinds() {
				e := r.Failures[k]
				fmt.Fprintf(tw, "      %s\t%s\tseeds %s\n", line(k), runsOf(e.Runs, r.Runs), seedList(e.Seeds))
				seeds = append(seeds, e.Seeds...)
			}
			tw.Flush()
			sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
			for i, seed := range seeds {
				if i > 0 && seed == seeds[i-1] {
					continue
				}
				fmt.Fprintf(w, "      %s\n", line(replay(r.Scenario, r.Strategy, seed)))
			}
		}
	}
	if flagged {
		if failing {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "  flagged by the oracle (runs with a request of that verdict, their first seeds)")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range rows {
			for i, v := range check.Verdicts {
				e := &r.Flagged[i]
				if e.Runs == 0 {
					continue
				}
				fmt.Fprintf(tw, "    %s\t%s\t%s\tseeds %s\n", line(r.Strategy), v, runsOf(e.Runs, r.Runs), seedList(e.Seeds))
			}
		}
		tw.Flush()
	}
}

func seedList(seeds []uint64) string {
	out := make([]string, len(seeds))
	for i, s := range seeds {
		out[i] = strconv.FormatUint(s, 10)
	}
	return strings.Join(out, ", ")
}

func u(n uint64) string { return strconv.FormatUint(n, 10) }

func runsOf(n, of uint64) string {
	return fmt.Sprintf("%d of %d runs", n, of)
}

// duration is a duration for the table: to the microsecond, or to the
// nanosecond below one.
func duration(ns int64) string {
	d := time.Duration(ns)
	if d >= time.Microsecond {
		d = d.Round(time.Microsecond)
	}
	return d.String()
}
