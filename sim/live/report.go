package live

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qgasim/qgasim/internal/termsafe"
	"github.com/qgasim/qgasim/sim/check"
)

// Report is what a live session prints at the end: the session's facts and
// the wire oracle's judgement, in the words of run's report.
type Report struct {
	Mode      string // "serve" or "proxy"
	Scenario  string
	File      string
	Seed      uint64
	Transport string
	Speed     float64
	Wall      time.Duration
	Virtual   int64 // virtual time at the end, ns
	Summary   check.WireSummary
	// Faults are the fault firings, in order (at most the last 1000), and
	// the agent's exits that no fault caused (named SelfExit).
	Faults []FaultFiring
}

// FaultFiring is one fault that fired.
type FaultFiring struct {
	T    int64  `json:"t_ns"`
	Name string `json:"name"`
	Dir  string `json:"dir,omitempty"`
	Text string `json:"text,omitempty"`
}

func secs(t int64) string { return fmt.Sprintf("%.3f", float64(t)/1e9) }

// Text writes the report for people.
func (r *Report) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	s := r.Summary
	fmt.Fprintf(ew, "%s %s   seed %d   %s   speed x%g\n", r.Mode, r.Scenario, r.Seed, r.Transport, r.Speed)
	if r.Speed != 1 && r.Speed != 0 {
		// A client measures wall time; the report's times are virtual.
		fmt.Fprintf(ew, "  times are virtual: a second here is %v of the wall clock\n", time.Duration(float64(time.Second)/r.Speed).Round(time.Microsecond))
	}
	fmt.Fprintln(ew)
	fmt.Fprintln(ew, "requests (as the client sent them; judged from the bytes alone)")
	WireTable(ew, s)
	if len(r.Faults) > 0 {
		fmt.Fprintln(ew)
		fmt.Fprintln(ew, "faults that fired")
		for _, f := range r.Faults {
			fmt.Fprintf(ew, "  %s  %-16s %s %s\n", secs(f.T), f.Name, f.Dir, f.Text)
		}
	}
	fmt.Fprintln(ew)
	WireLines(ew, s)
	fmt.Fprintln(ew)
	fmt.Fprintf(ew, "DONE   seed %d   virtual %ss   wall %v\n", r.Seed, secs(r.Virtual), r.Wall.Round(time.Millisecond))
	return ew.err
}

// WireTable writes the wire oracle's requests as a table, one a line: the
// report's, and run's for a program of raw steps.
func WireTable(w io.Writer, s check.WireSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tconn\tcommand\tsent\treply\tlatency\tverdict")
	if n := s.Total - len(s.Requests); n > 0 {
		fmt.Fprintf(tw, "  ...\t\t(%d earlier requests counted below, not listed)\t\t\t\t\n", n)
	}
	for _, q := range s.Requests {
		cmd := q.Cmd
		if q.SyncID != "" {
			cmd += " id=" + q.SyncID
		}
		reply, lat := "-", "-"
		switch {
		case q.NoReply:
			reply = "(none)"
		case q.Answered && q.Delivered > 0:
			reply = fmt.Sprintf("%d B", q.Delivered)
			lat = time.Duration(q.Last - q.Sent).Round(time.Microsecond).String()
		case q.Answered:
			reply = "not delivered"
		}
		verdict := string(q.Verdict)
		if q.Verdict != check.Correct {
			verdict = strings.ToUpper(verdict) + ": " + q.Why
		}
		// The command and its id are the client's bytes: escaped, so that
		// none moves the cursor or clears the terminal the report is on.
		fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%s\t%s\t%s\n", q.N, q.Conn, termsafe.Line(cmd), secs(q.Sent), reply, lat, verdict)
	}
	tw.Flush()
}

// WireLines writes the wire oracle's sums: the verdicts, the syncs, the
// stray replies, the resync episodes.
func WireLines(ew io.Writer, s check.WireSummary) {
	fmt.Fprintf(ew, "oracle: %s; %d never answered by the agent\n", Counts(s), s.Unanswered)
	if s.Syncs > 0 {
		fmt.Fprintf(ew, "syncs: %d sent, %d matched their id, %d got another id\n", s.Syncs, s.SyncsMatched, s.SyncsMismatched)
	}
	if s.Stray > 0 {
		fmt.Fprintf(ew, "stray replies: %d reached the client answering none of its requests (an error for a 0xFF or for garbage)\n", s.Stray)
	}
	if s.Dropped > 0 {
		fmt.Fprintf(ew, "dropped by the agent: %d replies (Illegal seek: GLib's read buffer held bytes)\n", s.Dropped)
	}
	if len(s.Resyncs) > 0 {
		fmt.Fprintf(ew, "resync: %d episodes, median %v, worst %v\n", len(s.Resyncs), time.Duration(s.MedianResync), time.Duration(s.MaxResync))
	}
}

// Counts is the verdict counts in report order, as run's report words them.
func Counts(s check.WireSummary) string { return check.CountWords(check.WireVerdicts, s.Counts) }

// JSONReport is the machine form of a report.
type JSONReport struct {
	Mode      string  `json:"mode"`
	Scenario  string  `json:"scenario"`
	File      string  `json:"file"`
	Seed      uint64  `json:"seed"`
	Transport string  `json:"transport"`
	Speed     float64 `json:"speed"`
	VirtualNS int64   `json:"virtual_ns"`
	WallNS    int64   `json:"wall_ns"`
	JSONWire
	Faults []FaultFiring `json:"faults"`
}

// JSONWire is the wire oracle's judgement, for machines: the report's, and
// run's for a program of raw steps.
type JSONWire struct {
	Total        int            `json:"total"`
	Requests     []JSONRequest  `json:"requests"`
	Counts       map[string]int `json:"counts"`
	Unanswered   int            `json:"unanswered"`
	Syncs        int            `json:"syncs"`
	SyncsMatched int            `json:"syncs_matched"`
	SyncsOther   int            `json:"syncs_mismatched"`
	Stray        int            `json:"stray"`
	Dropped      int            `json:"dropped"`
	Resync       JSONResync     `json:"resync"`
}

// JSONRequest is one request of a JSONReport.
type JSONRequest struct {
	N         int    `json:"n"`
	Conn      int    `json:"conn"`
	Command   string `json:"command"`
	ID        string `json:"id,omitempty"`
	SyncID    string `json:"sync_id,omitempty"`
	SentNS    int64  `json:"sent_ns"`
	Answered  bool   `json:"answered"`
	Reply     string `json:"reply,omitempty"`
	Delivered int64  `json:"delivered"`
	Lost      int64  `json:"lost"`
	FirstNS   int64  `json:"first_ns"`
	LastNS    int64  `json:"last_ns"`
	LaterReq  int    `json:"later_request,omitempty"`
	Verdict   string `json:"verdict"`
	Why       string `json:"why"`
}

// JSONResync sums up the resync episodes.
type JSONResync struct {
	Episodes int   `json:"episodes"`
	MedianNS int64 `json:"median_ns"`
	MaxNS    int64 `json:"max_ns"`
}

// JSON is the report for machines.
func (r *Report) JSON() JSONReport {
	s := r.Summary
	return JSONReport{Mode: r.Mode, Scenario: r.Scenario, File: r.File, Seed: r.Seed, Transport: r.Transport, Speed: r.Speed,
		VirtualNS: r.Virtual, WallNS: r.Wall.Nanoseconds(), JSONWire: WireJSON(s), Faults: append([]FaultFiring{}, r.Faults...)}
}

// WireJSON is the machine form of the wire oracle's judgement.
func WireJSON(s check.WireSummary) JSONWire {
	j := JSONWire{Total: s.Total, Counts: map[string]int{}, Unanswered: s.Unanswered,
		Syncs: s.Syncs, SyncsMatched: s.SyncsMatched, SyncsOther: s.SyncsMismatched, Stray: s.Stray, Dropped: s.Dropped,
		Resync:   JSONResync{Episodes: len(s.Resyncs), MedianNS: s.MedianResync, MaxNS: s.MaxResync},
		Requests: []JSONRequest{}}
	for v, n := range s.Counts {
		j.Counts[string(v)] = n
	}
	for _, q := range s.Requests {
		j.Requests = append(j.Requests, JSONRequest{N: q.N, Conn: q.Conn, Command: q.Cmd, ID: q.ID, SyncID: q.SyncID, SentNS: q.Sent,
			Answered: q.Answered, Reply: string(q.Reply), Delivered: q.Delivered, Lost: q.LostBytes, FirstNS: q.First, LastNS: q.Last,
			LaterReq: q.LaterReq, Verdict: string(q.Verdict), Why: q.Why})
	}
	return j
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, nil
}
