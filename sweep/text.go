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

// Text writes the table for people: per scenario, a row per strategy, then
// the first seeds of each kind of failure with the command that replays
// each, and the first seeds where the oracle flagged a request. Text from
// the scenarios (names, expectations, errors) is escaped for a terminal.
func (t *Table) Text(w io.Writer, replay Replay) {
	line := termsafe.Line
	what := "seeds " + t.Header.Seeds.String()
	if !t.Header.Shard.IsWhole() {
		what += fmt.Sprintf(", shard %s (%d seeds)", t.Header.Shard, t.Header.Shard.Size(t.Header.Seeds))
	}
	fmt.Fprintf(w, "sweep of %s: %d runs, %d passed\n", what, t.Runs(), t.passed())
	rows := t.rows
	for len(rows) > 0 {
		n := 1
		for n < len(rows) && rows[n].Scenario == rows[0].Scenario {
			n++
		}
		t.scenarioText(w, rows[:n], replay, line)
		rows = rows[n:]
	}
}

func (t *Table) passed() uint64 {
	var n uint64
	for _, r := range t.rows {
		n += r.Pass
	}
	return n
}

func (t *Table) scenarioText(w io.Writer, rows []*Row, replay Replay, line func(string) string) {
	first := rows[0]
	fmt.Fprintln(w)
	title := line(first.Scenario)
	if first.Name != "" && !strings.Contains(first.Scenario, first.Name) {
		title += "  (" + line(first.Name) + ")"
	}
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 0, 0, ' ', tabwriter.AlignRight)
	// The strategy column is padded by hand, and every other cell starts
	// with its two spaces: tabwriter aligns every column right, and names
	// read better aligned left.
	wide := len("strategy")
	for _, r := range rows {
		wide = max(wide, len(line(r.Strategy)))
	}
	left := func(s string) string { return s + strings.Repeat(" ", wide-len(s)) }
	head := []string{left("strategy"), "runs", "pass"}
	for _, v := range check.Verdicts {
		head = append(head, string(v))
	}
	head = append(head, "lost", "resync median", "worst")
	fmt.Fprintln(tw, "  "+strings.Join(head, "\t  ")+"\t")
	for _, r := range rows {
		cells := []string{left(line(r.Strategy)), u(r.Runs), u(r.Pass)}
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
	tw.Flush()

	failing := false
	for _, r := range rows {
		if len(r.Failures) > 0 {
			failing = true
		}
	}
	if failing {
		fmt.Fprintln(w)
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
	flagged := false
	for _, r := range rows {
		for i := range r.Flagged {
			if r.Flagged[i].Runs > 0 {
				flagged = true
			}
		}
	}
	if flagged {
		fmt.Fprintln(w)
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
