package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/live"
)

// report is the result of one run, for people (Text) and machines (JSON).
// It is built from what the run listed and counted as it went, never from
// its events, so a report of a long run costs no more than a short one's;
// a run that stopped early (an interrupt, a budget) gives a partial report
// that says so.
type report struct {
	sc      *scenarios.Scenario
	cfg     sim.Config
	run     *scenarios.Run
	summary check.Summary
	results []scenarios.Result
	virtual int64
	wall    time.Duration
}

func newReport(sc *scenarios.Scenario, cfg sim.Config, run *scenarios.Run, wall time.Duration) *report {
	return &report{sc: sc, cfg: cfg, run: run, summary: run.Summary, results: run.Results, virtual: run.Virtual, wall: wall}
}

func (r *report) Pass() bool { return r.run.Stopped == nil && r.run.Pass() }

// verdict is the report's last word: PASS, FAIL, or why it is partial.
func (r *report) verdict() string {
	switch {
	case errors.Is(r.run.Stopped, scenarios.ErrInterrupted):
		return "INTERRUPTED"
	case r.run.Stopped != nil:
		return "STOPPED"
	case r.Pass():
		return "PASS"
	}
	return "FAIL"
}

// gap is the line a listing shows where it left items out; in a table it
// has the table's tabs, so that the columns stay aligned across it.
func gap(w io.Writer, tabs, n int, what string) {
	s := "s"
	if n == 1 {
		s = ""
	}
	fmt.Fprintf(w, "  ...%s %d %s%s not listed (--list N lists more)\n", strings.Repeat("\t", tabs), n, what, s)
}

func secs(t int64) string { return fmt.Sprintf("%.3f", float64(t)/1e9) }

func (r *report) strategy() string { return r.sc.Client.Strategy }

// Text is the report for people. Everything that comes from the scenario
// or the run (names, description, notes, commands, replies, fault names,
// reasons) goes through termsafe: a scenario cannot put an escape sequence
// on the terminal, nor a line of its own that looks like the verdict.
func (r *report) Text(w io.Writer) {
	line := termsafe.Line
	fmt.Fprintf(w, "%s   seed %d   %s   client %s\n", line(r.sc.Name), r.cfg.Seed, line(r.sc.Transport), line(r.strategy()))
	if d := strings.TrimSpace(r.sc.Description); d != "" {
		fmt.Fprintf(w, "  %s\n", termsafe.Block(d, "  "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "steps")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	listed(r.run.Steps, r.run.StepsTotal, func(s scenarios.StepRecord) int { return s.No }, func(s scenarios.StepRecord) {
		// A note of several lines: its next lines under its first.
		noteLines := strings.Split(strings.TrimRight(s.Note, "\n"), "\n")
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", secs(s.T), s.Step, line(s.Text), line(noteLines[0]))
		for _, more := range noteLines[1:] {
			fmt.Fprintf(tw, "  \t\t\t%s\n", line(more))
		}
	}, func(n int) { gap(tw, 3, n, "step") })
	tw.Flush()
	fmt.Fprintln(w)
	if r.wireOnly() {
		fmt.Fprintln(w, "requests (the raw steps' bytes, judged from the bytes alone, as serve judges a real client)")
		live.WireTable(w, *r.run.Wire)
	} else {
		r.requestsText(w)
	}
	r.textRest(w)
}

// requestsText is the table of the caller requests.
func (r *report) requestsText(w io.Writer) {
	line := termsafe.Line
	fmt.Fprintln(w, "requests")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tcommand\tsent\toutcome\tlatency\tverdict")
	listed(r.summary.Requests, r.summary.Total, func(q check.Request) int { return q.Req }, func(q check.Request) {
		lat, out := "-", "(none)"
		if q.Ended >= 0 {
			lat = time.Duration(q.Ended - q.Issued).Round(time.Microsecond).String()
			out = q.Outcome
		}
		verdict := string(q.Verdict)
		if q.Verdict != check.Correct {
			verdict = strings.ToUpper(verdict) + ": " + q.Why
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", q.Req, line(q.Cmd), secs(q.Issued), line(out), lat, line(verdict))
	}, func(n int) { gap(tw, 5, n, "request") })
	tw.Flush()
}

// wireOnly: a program of raw steps only (a session saved by replay
// --save), whose requests only the wire oracle knows.
func (r *report) wireOnly() bool { return r.run.Wire != nil && r.summary.Total == 0 }

// textRest is the report after the requests.
func (r *report) textRest(w io.Writer) {
	line := termsafe.Line
	if r.run.FaultsTotal > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "faults that fired")
	}
	listed(r.run.Faults, r.run.FaultsTotal, func(f scenarios.FaultRecord) int { return f.No },
		func(f scenarios.FaultRecord) {
			fmt.Fprintf(w, "  %s  %-16s %s %s\n", secs(f.T), line(f.Name), line(f.Dir), line(f.Text))
		},
		func(n int) { gap(w, 0, n, "fault firing") })
	fmt.Fprintln(w)
	s := r.summary
	if r.wireOnly() {
		live.WireLines(w, *r.run.Wire)
	} else {
		fmt.Fprintf(w, "oracle: %s; %d never answered by the agent\n", check.CountWords(check.Verdicts, s.Counts), s.Lost)
	}
	if s.Episodes > 0 && !r.wireOnly() {
		about := ""
		if s.ApproxMedian {
			about = "about "
		}
		fmt.Fprintf(w, "resync: %d episodes, median %s%v, worst %v\n", s.Episodes, about,
			time.Duration(s.MedianResync), time.Duration(s.MaxResync))
	}
	if len(r.results) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "expect")
		for _, res := range r.results {
			mark := "PASS"
			if !res.Pass {
				mark = "FAIL"
			}
			fmt.Fprintf(w, "  %s  %s  (%s)\n", mark, line(res.What), line(res.Why))
		}
	}
	fmt.Fprintln(w)
	if r.run.Stopped != nil {
		fmt.Fprintf(w, "a partial report: the run stopped before its end (%v)\n", r.run.Stopped)
	}
	fmt.Fprintf(w, "%s   seed %d   virtual %ss   wall %v\n", r.verdict(), r.cfg.Seed, secs(r.virtual), r.wall.Round(time.Microsecond))
}

// listed prints a listing in order, with a gap line where items were left
// out; no(it) is an item's number from 1.
func listed[T any](items []T, total int, no func(T) int, item func(T), gap func(n int)) {
	prev := 0
	for _, it := range items {
		if n := no(it); n > prev+1 {
			gap(n - prev - 1)
		}
		item(it)
		prev = no(it)
	}
	if total > prev {
		gap(total - prev)
	}
}

// reportFormat is the version of the JSON report (docs/report-format.md):
// raised when a field changes meaning or goes away, not when one is added.
const reportFormat = 1

// jsonReport is the machine form of a report.
type jsonReport struct {
	Format    int           `json:"format"`
	Scenario  string        `json:"scenario"`
	File      string        `json:"file"`
	Seed      uint64        `json:"seed"`
	Transport string        `json:"transport"`
	Strategy  string        `json:"strategy"`
	Pass      bool          `json:"pass"`
	Stopped   string        `json:"stopped,omitempty"` // why a partial report is partial
	VirtualNS int64         `json:"virtual_ns"`
	WallNS    int64         `json:"wall_ns"`
	Requests  []jsonRequest `json:"requests"`
	// RequestsTotal and FaultsTotal count what the lists may leave out
	// (a long run lists its first and last --list).
	RequestsTotal int                `json:"requests_total"`
	FaultsTotal   int                `json:"faults_total"`
	Counts        map[string]int     `json:"counts"`
	Lost          int                `json:"lost"`
	Resync        jsonResync         `json:"resync"`
	Faults        []jsonFault        `json:"faults"`
	Expect        []scenarios.Result `json:"expect"`
	// Wire is the wire oracle's judgement of a program of raw steps only.
	Wire *live.JSONWire `json:"wire,omitempty"`
}

type jsonRequest struct {
	Req        int    `json:"req"`
	Command    string `json:"command"`
	IssuedNS   int64  `json:"issued_ns"`
	EndedNS    int64  `json:"ended_ns"`
	Outcome    string `json:"outcome"`
	Reply      string `json:"reply,omitempty"`
	Detail     string `json:"detail,omitempty"`
	Verdict    string `json:"verdict"`
	Why        string `json:"why"`
	GotReplyOf int    `json:"got_reply_of,omitempty"`
	Answered   bool   `json:"answered"`
}

type jsonResync struct {
	Episodes int   `json:"episodes"`
	MedianNS int64 `json:"median_ns"`
	MaxNS    int64 `json:"max_ns"`
}

type jsonFault struct {
	T    int64  `json:"t_ns"`
	Name string `json:"name"`
	Dir  string `json:"dir,omitempty"`
	Text string `json:"text,omitempty"`
}

func (r *report) JSON() jsonReport {
	j := jsonReport{Format: reportFormat, Scenario: r.sc.Name, File: r.sc.File, Seed: r.cfg.Seed, Transport: r.sc.Transport,
		Strategy: r.strategy(), Pass: r.Pass(), VirtualNS: r.virtual, WallNS: r.wall.Nanoseconds(),
		Counts: map[string]int{}, Lost: r.summary.Lost, Expect: r.results,
		Resync:   jsonResync{Episodes: r.summary.Episodes, MedianNS: r.summary.MedianResync, MaxNS: r.summary.MaxResync},
		Requests: []jsonRequest{}, Faults: []jsonFault{}, RequestsTotal: r.summary.Total, FaultsTotal: r.run.FaultsTotal}
	if r.run.Stopped != nil {
		j.Stopped = r.run.Stopped.Error()
	}
	for v, n := range r.summary.Counts {
		j.Counts[string(v)] = n
	}
	for _, q := range r.summary.Requests {
		j.Requests = append(j.Requests, jsonRequest{Req: q.Req, Command: q.Cmd, IssuedNS: q.Issued, EndedNS: q.Ended,
			Outcome: q.Outcome, Reply: string(q.Reply), Detail: q.Detail, Verdict: string(q.Verdict), Why: q.Why,
			GotReplyOf: q.GotReplyOf, Answered: q.Answered})
	}
	for _, f := range r.run.Faults {
		j.Faults = append(j.Faults, jsonFault{T: f.T, Name: f.Name, Dir: f.Dir, Text: f.Text})
	}
	if r.run.Wire != nil {
		wj := live.WireJSON(*r.run.Wire)
		j.Wire = &wj
	}
	return j
}
