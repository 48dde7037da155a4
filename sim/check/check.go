package check

import (
	"sort"
	"strconv"

	"github.com/qgasim/qgasim/sim/trace"
)

// Verdict is the oracle's judgement of one request.
type Verdict string

// Verdicts.
const (
	Correct       Verdict = "correct"
	Misattributed Verdict = "misattributed"
	Corrupted     Verdict = "corrupted"
	Garbled       Verdict = "garbled"
	// NotExecuted is a reply to the caller's own bytes that is not the
	// reply to its command: the agent read the request glued to other bytes
	// (a dead client's fragment), so its message was a parse error or
	// another command, and the command the caller asked for never ran.
	NotExecuted Verdict = "not executed"
	TimedOut    Verdict = "timed out"
	Failed      Verdict = "failed"
	Hung        Verdict = "hung"
	Unfinished  Verdict = "unfinished"
)

// Verdicts lists every verdict in report order.
var Verdicts = verdicts[:]

// verdicts is Verdicts, of a size known when compiling: the Checker counts
// in an array.
var verdicts = [...]Verdict{Correct, NotExecuted, Misattributed, Corrupted, Garbled, TimedOut, Failed, Hung, Unfinished}

// Request is one caller request as the oracle saw it.
type Request struct {
	Req     int
	Cmd     string
	Issued  int64 // virtual time
	Ended   int64 // virtual time of the outcome, -1 for none
	Outcome string
	Reply   []byte
	Detail  string
	Verdict Verdict
	// GotReplyOf is, for a misattributed reply, the request whose reply the
	// caller got (0: the client's own bytes or a raw write).
	GotReplyOf int
	// Answered reports whether the agent wrote a reply for this request.
	Answered bool
	Why      string // one line that explains the verdict
}

// Resync is one episode of a client out of sync.
type Resync struct {
	No       int   // its number, from 1, in the order the episodes started
	From, To int64 // virtual times; To is -1 when the run ended first
	States   []string
}

// Summary is the oracle's view of a whole run.
type Summary struct {
	// Requests lists the requests in issue order: all of them, or for a
	// long run the first and the last Options.List and the kept ones
	// (Total says how many there were; Request finds one by number).
	Requests []Request
	Total    int
	Counts   map[Verdict]int // over every request
	Lost     int             // requests the agent never answered
	// Dropped counts replies the agent made but could not write (qemu-ga's
	// write failing with "Illegal seek" while GLib's read buffer holds bytes).
	Dropped int
	// LostToAgent and LostToHost are the bytes named lost in flight
	// (transport.drop and fault events) in each direction.
	LostToAgent, LostToHost int64
	// Resyncs lists the episodes as Requests lists requests, an unfinished
	// one (To -1) last; Episodes counts them all, UnfinishedResyncs those
	// that never finished (0 or 1: only the last one can be open).
	Resyncs           []Resync
	Episodes          int
	UnfinishedResyncs int
	// MedianResync and MaxResync are over finished episodes, in ns. The
	// median is exact unless ApproxMedian (a run with more than 16,384
	// episodes: then within 0.2 %).
	MedianResync, MaxResync int64
	ApproxMedian            bool
}

// Request returns request number n (from 1) if the summary lists it.
func (s *Summary) Request(n int) (Request, bool) {
	k := sort.Search(len(s.Requests), func(i int) bool { return s.Requests[i].Req >= n })
	if k < len(s.Requests) && s.Requests[k].Req == n {
		return s.Requests[k], true
	}
	return Request{}, false
}

// addLost counts the bytes an event names lost in flight. A drop with no
// spans (bytes a real agent wrote while the World held it dead) counts
// its N.
func (s *Summary) addLost(ev *trace.Event) {
	n := trace.Total(ev.Lost)
	if n == 0 && ev.Kind == trace.KindDrop {
		n = ev.N
	}
	switch ev.Dir {
	case trace.H2A:
		s.LostToAgent += n
	case trace.A2H:
		s.LostToHost += n
	}
}

// notExecutedWhy says what the agent made of a request it never executed.
func notExecutedWhy(r *Request, ref *trace.ReplyRef) string {
	if ref.Cmd == "" {
		return "the agent never ran " + r.Cmd + ": the reply is its parse error for bytes that included the request"
	}
	return "the agent never ran " + r.Cmd + ": its bytes ended a message that ran " + ref.Cmd
}

// judge gives a finished request its verdict.
// n is how many received bytes the caller's reply took (its line with
// the newline): 0 only for a success the client reports without a reply.
func judge(r *Request, ref *trace.ReplyRef, n int64) {
	switch r.Outcome {
	case "timed out":
		r.Verdict, r.Why = TimedOut, "the caller saw a timeout: "+r.Detail
		return
	case "returned", "error":
	default:
		r.Verdict, r.Why = Failed, "the caller saw an error without a reply: "+r.Detail
		return
	}
	if ref == nil || ref.Status == "none" {
		if n == 0 {
			// e.g. Proxmox counts EOF after the sync as guest-shutdown's success.
			r.Verdict, r.Why = Correct, "success without a reply: "+r.Detail
			return
		}
		r.Verdict, r.Why = Misattributed, "the bytes handed over were written by no agent (another writer or a fault put them there)"
		return
	}
	switch ref.Status {
	case "mixed":
		r.Verdict, r.Why = Garbled, "the line handed over was spliced from several replies"
	case "corrupted":
		if ref.OriginReq == r.Req {
			r.Verdict, r.Why = Corrupted, "its own reply, with bytes a fault changed"
		} else {
			r.Verdict, r.GotReplyOf, r.Why = Misattributed, ref.OriginReq, "another request's reply, and corrupted"
		}
	default:
		if ref.OriginReq == r.Req && ref.Cmd != r.Cmd {
			// The agent's message ended in the caller's bytes, but it was
			// not the caller's command: its bytes were glued to others.
			r.Verdict, r.Why = NotExecuted, notExecutedWhy(r, ref)
			return
		}
		if ref.OriginReq == r.Req {
			r.Verdict, r.Why = Correct, "its own reply"
			return
		}
		r.Verdict, r.GotReplyOf = Misattributed, ref.OriginReq
		if ref.OriginReq == 0 {
			r.Why = "got the reply to bytes the client sent for itself (" + ref.Cmd + ")"
		} else {
			r.Why = "got the reply to request #" + strconv.Itoa(ref.OriginReq) + " (" + ref.Cmd + ")"
		}
	}
}
