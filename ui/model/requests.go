package model

import (
	"strings"

	"github.com/qgasim/qgasim/sim/trace"
	"github.com/qgasim/qgasim/ui/bytefmt"
)

// Request is one row of the request table.
type Request struct {
	Req    int
	Cmd    string
	Issued int64 // when the caller asked
	Sent   int64 // the first host write carrying it
	sent   bool

	Done    bool
	At      int64  // when the client ended it
	Outcome string // returned, error, timed out, failed
	Detail  string
	Reply   *trace.ReplyRef
	LateAt  int64 // a reply to it arrived after it ended (0: none)
	TakenBy int   // its late reply was handed to another request

	// Wire is set for a live session's request, which the wire oracle
	// found in a real client's bytes and judges (its Verdict is the
	// oracle's).
	Wire *WireState
}

// Short is the verdict in at most 18 columns, for narrow screens.
func (r *Request) Short() string {
	v := r.Verdict()
	if r.Wire != nil {
		switch {
		case strings.HasPrefix(v, "MISATTRIBUTED (came after "):
			return "MISATTR. after " + strings.TrimSuffix(strings.TrimPrefix(v, "MISATTRIBUTED (came after "), ")")
		case v == "answered, in the link":
			return "in the link"
		case v == "late, skipped by a resync":
			return "skipped (resync)"
		}
		return v
	}
	switch {
	case strings.HasPrefix(v, "MISATTRIBUTED (got #"):
		return "MISATTR. " + strings.TrimPrefix(strings.TrimSuffix(v, ")"), "MISATTRIBUTED (got ")
	case strings.HasPrefix(v, "MISATTRIBUTED"):
		return "MISATTR. sync"
	case strings.HasPrefix(v, "NOT EXECUTED"):
		return "NOT EXECUTED"
	case strings.HasPrefix(v, "timed out; reply went to "):
		return "timed out -> " + strings.TrimPrefix(v, "timed out; reply went to ")
	case strings.HasPrefix(v, "timed out; stale"):
		return "timed out, stale"
	}
	return v
}

// Verdict is what the table says about a request: the judgment of the
// trace format (right when the reply came unchanged from one agent reply
// whose origin is this request), in words a user reads at a glance.
func (r *Request) Verdict() string {
	if r.Wire != nil {
		return r.wireVerdict()
	}
	if !r.Done {
		return "waiting"
	}
	switch r.Outcome {
	case "returned", "error":
		word := "ok"
		if r.Outcome == "error" {
			word = "error"
		}
		rr := r.Reply
		if rr == nil {
			return word
		}
		switch rr.Status {
		case "mixed":
			return "MIXED REPLY"
		case "corrupted":
			return "CORRUPTED"
		case "reply":
			if r.notExecuted() {
				if rr.Cmd != "" {
					return "NOT EXECUTED (ran " + rr.Cmd + ")"
				}
				return "NOT EXECUTED (parse error)"
			}
			if rr.OriginReq != r.Req {
				if rr.OriginReq == 0 {
					return "MISATTRIBUTED (got a sync reply)"
				}
				return "MISATTRIBUTED (got #" + itoa(rr.OriginReq) + "'s)"
			}
		}
		return word
	case "timed out":
		switch {
		case r.TakenBy > 0:
			return "timed out; reply went to #" + itoa(r.TakenBy)
		case r.LateAt > 0:
			return "timed out; stale reply at " + bytefmt.Time(r.LateAt)
		}
		return "timed out"
	case "failed":
		return "failed"
	}
	return r.Outcome
}

// Wrong reports whether the verdict is one a user should notice.
func (r *Request) Wrong() bool {
	if !r.Done {
		return false
	}
	if r.Wire != nil {
		return r.wireWrong()
	}
	if r.Outcome == "timed out" || r.Outcome == "failed" {
		return true
	}
	rr := r.Reply
	return rr != nil && (rr.Status == "mixed" || rr.Status == "corrupted" || (rr.Status == "reply" && rr.OriginReq != r.Req)) ||
		r.notExecuted()
}

// notExecuted says what the oracle calls "not executed": the reply answers
// a message that ended in this request's bytes but was not its command (a
// parse error, when a dead client's fragment swallowed the request).
func (r *Request) notExecuted() bool {
	rr := r.Reply
	return r.Done && rr != nil && rr.Status == "reply" && rr.OriginReq == r.Req && r.Cmd != "" && rr.Cmd != r.Cmd
}

// Latency is from the issue to the end, or "" while waiting.
func (r *Request) Latency() string {
	if !r.Done {
		return ""
	}
	if r.Wire != nil && r.At == r.Issued {
		return "" // no byte of a reply reached the client
	}
	return bytefmt.Duration(r.At - r.Issued)
}

func (m *Model) issue(ev trace.Event) {
	r := &Request{Req: ev.Req, Cmd: ev.Cmd, Issued: ev.T}
	m.reqs[ev.Req] = r
	m.addRow(r)
}

// addRow appends a row to the table, forgetting the oldest beyond the
// limit.
func (m *Model) addRow(r *Request) {
	m.Requests = append(m.Requests, r)
	if n := len(m.Requests); n > m.limits.Requests {
		drop := n - m.limits.Requests
		for _, old := range m.Requests[:drop] {
			delete(m.reqs, old.Req)
			if m.wire != nil {
				delete(m.wire.rows, old.Req)
			}
		}
		m.Requests = append([]*Request(nil), m.Requests[drop:]...)
		m.evictedReqs += int64(drop)
	}
}

func (m *Model) outcome(ev trace.Event) {
	r := m.reqs[ev.Req]
	if r == nil {
		r = &Request{Req: ev.Req}
		m.reqs[ev.Req] = r
		m.Requests = append(m.Requests, r)
	}
	r.Done, r.At, r.Outcome, r.Detail, r.Reply = true, ev.T, ev.Outcome, ev.Text, ev.Reply
	rr := ev.Reply
	if rr != nil && rr.Status != "none" {
		if owner, ok := m.lateBy[replyKey{rr.Inc, rr.ASeq}]; ok && owner != ev.Req {
			if o := m.reqs[owner]; o != nil {
				o.TakenBy = ev.Req
			}
		}
		if rr.OriginReq != ev.Req {
			if seg := m.A2H.reply(rr.Inc, rr.ASeq); seg != nil {
				seg.Label += " -> #" + itoa(ev.Req)
			}
		}
	}
	// Colour the bytes the caller got: by their received offsets when the
	// event gives them, else the whole agent reply it names.
	if ev.N > 0 {
		for r := ev.Off; r < ev.Off+ev.N; r++ {
			w, _, ok := m.A2H.readerToWriter(r)
			if ok && w >= 0 {
				if seg, i := m.A2H.locate(w); seg != nil {
					seg.Flags[i] |= bytefmt.FAccepted
				}
			}
		}
	} else if rr != nil && (rr.Status == "reply" || rr.Status == "corrupted") {
		if seg := m.A2H.reply(rr.Inc, rr.ASeq); seg != nil {
			for i := range seg.Flags {
				if seg.Flags[i]&bytefmt.FDelivered != 0 {
					seg.Flags[i] |= bytefmt.FAccepted
				}
			}
		}
	}
}
