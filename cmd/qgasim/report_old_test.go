package main

// The report as it was built from a run's kept events, before runs were
// streamed: TestReportUnchanged compares it with the new one.

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/trace"
)

// report is the result of one run, for people (Text) and machines (JSON).
type oldReport struct {
	sc      *scenarios.Scenario
	cfg     sim.Config
	events  []trace.Event
	summary check.Summary
	results []scenarios.Result
	virtual int64
	wall    time.Duration
}

func (r *oldReport) Pass() bool {
	for _, res := range r.results {
		if !res.Pass {
			return false
		}
	}
	return true
}


func (r *oldReport) strategy() string { return r.sc.Client.Strategy }

func (r *oldReport) Text(w io.Writer) {
	fmt.Fprintf(w, "%s   seed %d   %s   client %s\n", r.sc.Name, r.cfg.Seed, r.sc.Transport, r.strategy())
	if d := strings.TrimSpace(r.sc.Description); d != "" {
		for _, line := range strings.Split(d, "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
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
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\n", secs(ev.T), ev.Step, ev.Text, notes[ev.Step])
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
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", q.Req, q.Cmd, secs(q.Issued), out, lat, verdict)
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
			fmt.Fprintf(w, "  %s  %-16s %s %s\n", secs(ev.T), ev.Name, ev.Dir, ev.Text)
		}
	}
	fmt.Fprintln(w)
	s := r.summary
	fmt.Fprintf(w, "oracle: %s; %d never answered by the agent\n", oldCounts(s), s.Lost)
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
			fmt.Fprintf(w, "  %s  %s  (%s)\n", mark, res.What, res.Why)
		}
	}
	fmt.Fprintln(w)
	verdict := "PASS"
	if !r.Pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%s   seed %d   virtual %ss   wall %v\n", verdict, r.cfg.Seed, secs(r.virtual), r.wall.Round(time.Microsecond))
}

func oldCounts(s check.Summary) string {
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

// oldJsonReport is the machine form of a report.
type oldJsonReport struct {
	Scenario  string             `json:"scenario"`
	File      string             `json:"file"`
	Seed      uint64             `json:"seed"`
	Transport string             `json:"transport"`
	Strategy  string             `json:"strategy"`
	Pass      bool               `json:"pass"`
	VirtualNS int64              `json:"virtual_ns"`
	WallNS    int64              `json:"wall_ns"`
	Requests  []oldJsonRequest      `json:"requests"`
	Counts    map[string]int     `json:"counts"`
	Lost      int                `json:"lost"`
	Resync    oldJsonResync         `json:"resync"`
	Faults    []oldJsonFault        `json:"faults"`
	Expect    []scenarios.Result `json:"expect"`
}

type oldJsonRequest struct {
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

type oldJsonResync struct {
	Episodes int   `json:"episodes"`
	MedianNS int64 `json:"median_ns"`
	MaxNS    int64 `json:"max_ns"`
}

type oldJsonFault struct {
	T    int64  `json:"t_ns"`
	Name string `json:"name"`
	Dir  string `json:"dir,omitempty"`
	Text string `json:"text,omitempty"`
}

func (r *oldReport) JSON() oldJsonReport {
	j := oldJsonReport{Scenario: r.sc.Name, File: r.sc.File, Seed: r.cfg.Seed, Transport: r.sc.Transport,
		Strategy: r.strategy(), Pass: r.Pass(), VirtualNS: r.virtual, WallNS: r.wall.Nanoseconds(),
		Counts: map[string]int{}, Lost: r.summary.Lost, Expect: r.results,
		Resync:   oldJsonResync{Episodes: len(r.summary.Resyncs), MedianNS: r.summary.MedianResync, MaxNS: r.summary.MaxResync},
		Requests: []oldJsonRequest{}, Faults: []oldJsonFault{}}
	for v, n := range r.summary.Counts {
		j.Counts[string(v)] = n
	}
	for _, q := range r.summary.Requests {
		j.Requests = append(j.Requests, oldJsonRequest{Req: q.Req, Command: q.Cmd, IssuedNS: q.Issued, EndedNS: q.Ended,
			Outcome: q.Outcome, Reply: string(q.Reply), Detail: q.Detail, Verdict: string(q.Verdict), Why: q.Why,
			GotReplyOf: q.GotReplyOf, Answered: q.Answered})
	}
	for _, ev := range r.events {
		if ev.Kind == trace.KindFault {
			j.Faults = append(j.Faults, oldJsonFault{T: ev.T, Name: ev.Name, Dir: ev.Dir, Text: ev.Text})
		}
	}
	return j
}
