package model

import (
	"fmt"
	"strings"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Entry is one line of the timeline.
type Entry struct {
	T, Seq int64
	Who    string // host, agent, link, fault, client, caller, step, transport
	Text   string
	Alarm  bool // worth a colour: a fault, a restart, a wrong outcome
}

// Describe turns an event into a timeline line; ok is false for events too
// fine-grained for the timeline (agent reads and parser changes, which the
// agent pane shows).
func Describe(ev trace.Event) (e Entry, ok bool) {
	e = Entry{T: ev.T, Seq: ev.Seq}
	switch ev.Kind {
	case trace.KindAgentRead, trace.KindAgentParser, trace.KindHostRead:
		return e, false
	case trace.KindStep:
		e.Who, e.Text = "step", fmt.Sprintf("%d: %s", ev.Step, ev.Text)
	case trace.KindNote:
		e.Who, e.Text = "note", ev.Text
	case trace.KindIssue:
		e.Who, e.Text = "caller", fmt.Sprintf("asks for %s (#%d)", ev.Cmd, ev.Req)
	case trace.KindHostWrite:
		e.Who, e.Text = "host", fmt.Sprintf("writes %s, %s bytes", label(ev.Text), bytefmt.Count(ev.N))
	case trace.KindDeliver:
		to := "the agent"
		if ev.Dir == trace.A2H {
			to = "the host"
		}
		e.Who, e.Text = "link", fmt.Sprintf("delivers %s bytes to %s", bytefmt.Count(ev.N), to)
		if n := ev.N - srcKnown(ev.Src); n > 0 {
			e.Text += fmt.Sprintf(" (%d added by a fault)", n)
		}
	case trace.KindAgentReply:
		e.Who = "agent"
		cmd := ev.Cmd
		if cmd == "" {
			cmd = "a bad message"
		}
		for_ := ""
		if o := ev.Origin; o != nil && o.Status == "write" && o.Req > 0 {
			for_ = fmt.Sprintf(" (#%d)", o.Req)
		}
		switch {
		case ev.N == 0:
			e.Text = fmt.Sprintf("handles %s%s: no reply", cmd, for_)
		case ev.Dir == "":
			// A real agent's reply: its bytes went out in its writes; the
			// line has just ended.
			what := "the " + cmd + " reply" + for_
			if ev.Cmd == "" {
				what = "an error for a bad message (a 0xFF, garbage)"
			}
			e.Text = fmt.Sprintf("has written %s, %s bytes", what, bytefmt.Count(ev.N))
		case ev.Class != "":
			e.Text = fmt.Sprintf("answers %s%s with %s, %s bytes", cmd, for_, ev.Class, bytefmt.Count(ev.N))
		default:
			e.Text = fmt.Sprintf("writes the %s reply%s, %s bytes", cmd, for_, bytefmt.Count(ev.N))
		}
		if ev.State == "delimited" {
			e.Text += ", after a 0xFF"
		}
	case trace.KindAgentEffect:
		e.Who = "agent"
		switch ev.State {
		case "frozen":
			e.Text = "the guest's file systems are frozen: only the allowlist runs"
		case "thawed":
			e.Text = "the guest's file systems are thawed"
		default:
			e.Text = "the guest: " + ev.State
		}
		if ev.Text != "" {
			e.Text += " (" + ev.Text + ")"
		}
	case trace.KindAgentRestart:
		e.Who, e.Alarm = "agent", true
		e.Text = fmt.Sprintf("process %d dies", ev.Inc)
		if ev.Text != "" {
			e.Text += ": " + ev.Text
		}
		if ev.Until > 0 {
			e.Text += ", back at " + bytefmt.Time(ev.Until)
		}
	case trace.KindAgentStart:
		e.Who, e.Text = "agent", fmt.Sprintf("process %d opens the port", ev.Inc)
		if ev.State == "frozen" {
			e.Text += ", and finds the guest frozen"
		}
	case trace.KindFault:
		name := ev.Name
		if name == "" {
			name = ev.Fault
		}
		e.Who, e.Alarm = "fault", true
		e.Text = name
		if ev.Dir != "" {
			e.Text += " on " + ev.Dir
		}
		if n := trace.Total(ev.Lost); n > 0 {
			e.Text += fmt.Sprintf(": drops %d", n)
		}
		if n := trace.Total(ev.Changed); n > 0 {
			e.Text += fmt.Sprintf(": changes %d", n)
		}
		if ev.Added > 0 {
			e.Text += fmt.Sprintf(": adds %d", ev.Added)
		}
		if ev.Text != "" {
			e.Text += " (" + ev.Text + ")"
		}
	case trace.KindClientState:
		e.Who, e.Text = "client", ev.State
		if why := Why(ev.State, ev.Text); why != "" {
			e.Text += ": " + why
		}
	case trace.KindOutcome:
		e.Who = "client"
		e.Text = fmt.Sprintf("#%d %s", ev.Req, ev.Outcome)
		if rr := ev.Reply; rr != nil {
			switch {
			case rr.Status == "reply" && rr.OriginReq == ev.Req && rr.Cmd == "":
				e.Text += ": the agent's parse error for bytes that included the request: not executed"
				e.Alarm = true
			case rr.Status == "reply" && rr.OriginReq != ev.Req:
				e.Text += fmt.Sprintf(": hands over #%d's reply, misattributed", rr.OriginReq)
				e.Alarm = true
			case rr.Status == "mixed" || rr.Status == "corrupted":
				e.Text += ": the reply is " + rr.Status
				e.Alarm = true
			}
		}
		if ev.Outcome == "timed out" || ev.Outcome == "failed" {
			e.Alarm = true
		}
		if ev.Text != "" {
			e.Text += " (" + ev.Text + ")"
		}
	case trace.KindConnect:
		e.Who, e.Text = "host", fmt.Sprintf("opens connection %d", ev.Conn)
	case trace.KindClose:
		e.Who, e.Text = "host", fmt.Sprintf("connection %d closed: %s", ev.Conn, ev.Text)
	case trace.KindHold:
		e.Who, e.Text = "link", fmt.Sprintf("holds %d bytes on %s: %s", ev.N, ev.Dir, ev.Text)
	case trace.KindDrop:
		e.Who, e.Alarm = "link", true
		e.Text = fmt.Sprintf("loses %d bytes on %s: %s", trace.Total(ev.Lost), ev.Dir, ev.Text)
	case trace.KindDiscard:
		e.Who = "client"
		e.Text = fmt.Sprintf("throws away %s received bytes unread", bytefmt.Count(trace.Total(ev.Src)))
		if ev.Text != "" {
			e.Text += ": " + ev.Text
		}
	case trace.KindPort:
		e.Who = "link"
		e.Text = "the guest port is " + ev.State
		if ev.Text != "" {
			e.Text += ": " + ev.Text
		}
	case trace.KindSession:
		e.Who, e.Text = "session", "a live session starts"
		if s := ev.Session; s != nil {
			e.Text = fmt.Sprintf("a live %s session of %s starts (%s, seed %d)", s.Mode, s.Scenario, s.Transport, s.Seed)
		}
	case trace.KindAgentWrite:
		e.Who, e.Text = "agent", fmt.Sprintf("the real agent writes %s bytes", bytefmt.Count(ev.N))
	case trace.KindEnd:
		e.Who = "end"
		dir := "to the agent"
		if ev.Dir == trace.A2H {
			dir = "to the host"
		}
		e.Text = fmt.Sprintf("the run ends with %s bytes %s still in flight", bytefmt.Count(ev.N), dir)
		if ev.Text != "" {
			e.Text += " (" + ev.Text + ")"
		}
	default:
		// A kind this UI does not know yet: say who by its prefix, and
		// what happened in the event's own words.
		who, what, _ := strings.Cut(ev.Kind, ".")
		if who == "transport" {
			who = "link"
		}
		e.Who, e.Text = who, strings.TrimSpace(what+" "+ev.Text)
	}
	return e, true
}

func label(s string) string {
	if s == "" {
		return "bytes"
	}
	return s
}

func srcKnown(src []trace.Span) int64 {
	var n int64
	for _, s := range src {
		if s.Off >= 0 {
			n += s.N
		}
	}
	return n
}

func (m *Model) timeline(ev trace.Event) {
	e, ok := Describe(ev)
	if !ok {
		return
	}
	m.Timeline = append(m.Timeline, e)
	if n := len(m.Timeline); n > 2*m.limits.Timeline {
		m.Timeline = append([]Entry(nil), m.Timeline[n-m.limits.Timeline:]...)
		m.evictedTL += int64(n - m.limits.Timeline)
	}
}

// Why is a client's reason without the state it starts with (strategies
// write "in sync: guest-info sent"; the pane shows the state already).
func Why(state, why string) string {
	if rest, ok := strings.CutPrefix(why, state); ok {
		if rest == "" {
			return ""
		}
		if r, ok := strings.CutPrefix(rest, ": "); ok {
			return r
		}
	}
	return why
}
