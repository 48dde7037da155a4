package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// report is the result of one run, for people (Text) and machines (JSON).
type report struct {
	sc      *scenarios.Scenario
	cfg     sim.Config
	events  []trace.Event
	summary check.Summary
	results []scenarios.Result
	virtual int64
	wall    time.Duration
}

func (r *report) Pass() bool {
	for _, res := range r.results {
		if !res.Pass {
			return false
		}
	}
	return true
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
	notes := map[int]string{}
	for _, ev := range r.events {
		if ev.Kind == trace.KindNote {
			notes[ev.Step] = ev.Text
		}
	}
	for _, ev := range r.events {
		if ev.Kind != trace.KindStep {
			continue
		}
		// A note of several lines: its next lines under its first.
		noteLines := strings.Split(strings.TrimRight(notes[ev.Step], "\n"), "\n")
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", secs(ev.T), ev.Step, line(ev.Text), line(noteLines[0]))
		for _, more := range noteLines[1:] {
			fmt.Fprintf(tw, "  \t\t\t%s\n", line(more))
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "requests")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tcommand\tsent\toutcome\tlatency\tverdict")
	for _, q := range r.summary.Requests {
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
	}
	tw.Flush()
	faults := 0
	for _, ev := range r.events {
		if ev.Kind == trace.KindFault {
			if faults == 0 {
				fmt.Fprintln(w)
				fmt.Fprintln(w, "faults that fired")
			}
			faults++
			fmt.Fprintf(w, "  %s  %-16s %s %s\n", secs(ev.T), line(ev.Name), line(ev.Dir), line(ev.Text))
		}
	}
	fmt.Fprintln(w)
	s := r.summary
	fmt.Fprintf(w, "oracle: %s; %d never answered by the agent\n", counts(s), s.Lost)
	if len(s.Resyncs) > 0 {
		fmt.Fprintf(w, "resync: %d episodes, median %v, worst %v\n", len(s.Resyncs),
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
	verdict := "PASS"
	if !r.Pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%s   seed %d   virtual %ss   wall %v\n", verdict, r.cfg.Seed, secs(r.virtual), r.wall.Round(time.Microsecond))
}

func counts(s check.Summary) string {
	var parts []string
	for _, v := range check.Verdicts {
		if n := s.Counts[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	if len(parts) == 0 {
		return "no requests"
	}
	return strings.Join(parts, ", ")
}

// reportFormat is the version of the JSON report (docs/report-format.md):
// raised when a field changes meaning or goes away, not when one is added.
const reportFormat = 1

// jsonReport is the machine form of a report.
type jsonReport struct {
	Format    int                `json:"format"`
	Scenario  string             `json:"scenario"`
	File      string             `json:"file"`
	Seed      uint64             `json:"seed"`
	Transport string             `json:"transport"`
	Strategy  string             `json:"strategy"`
	Pass      bool               `json:"pass"`
	VirtualNS int64              `json:"virtual_ns"`
	WallNS    int64              `json:"wall_ns"`
	Requests  []jsonRequest      `json:"requests"`
	Counts    map[string]int     `json:"counts"`
	Lost      int                `json:"lost"`
	Resync    jsonResync         `json:"resync"`
	Faults    []jsonFault        `json:"faults"`
	Expect    []scenarios.Result `json:"expect"`
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
		Resync:   jsonResync{Episodes: len(r.summary.Resyncs), MedianNS: r.summary.MedianResync, MaxNS: r.summary.MaxResync},
		Requests: []jsonRequest{}, Faults: []jsonFault{}}
	for v, n := range r.summary.Counts {
		j.Counts[string(v)] = n
	}
	for _, q := range r.summary.Requests {
		j.Requests = append(j.Requests, jsonRequest{Req: q.Req, Command: q.Cmd, IssuedNS: q.Issued, EndedNS: q.Ended,
			Outcome: q.Outcome, Reply: string(q.Reply), Detail: q.Detail, Verdict: string(q.Verdict), Why: q.Why,
			GotReplyOf: q.GotReplyOf, Answered: q.Answered})
	}
	for _, ev := range r.events {
		if ev.Kind == trace.KindFault {
			j.Faults = append(j.Faults, jsonFault{T: ev.T, Name: ev.Name, Dir: ev.Dir, Text: ev.Text})
		}
	}
	return j
}
