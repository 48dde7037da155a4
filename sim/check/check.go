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
	TimedOut      Verdict = "timed out"
	Failed        Verdict = "failed"
	Hung          Verdict = "hung"
	Unfinished    Verdict = "unfinished"
)

// Verdicts lists every verdict in report order.
var Verdicts = []Verdict{Correct, Misattributed, Corrupted, Garbled, TimedOut, Failed, Hung, Unfinished}

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
	From, To int64 // virtual times; To is -1 when the run ended first
	States   []string
}

// Summary is the oracle's view of a whole run.
type Summary struct {
	Requests []Request
	Counts   map[Verdict]int
	Lost     int // requests the agent never answered
	// Dropped counts replies the agent made but could not write (qemu-ga's
	// write failing with "Illegal seek" while GLib's read buffer holds bytes).
	Dropped int
	// LostToAgent and LostToHost are the bytes named lost in flight
	// (transport.drop and fault events) in each direction.
	LostToAgent, LostToHost int64
	Resyncs                 []Resync
	// MedianResync and MaxResync are over finished episodes, in ns.
	MedianResync, MaxResync int64
}

// resyncStates are the client states that mean "not yet in sync".
var resyncStates = map[string]bool{
	"waiting for 0xFF": true, "waiting for sync id": true, "discarding": true,
}

// Analyze judges every request of a trace. timersPending says whether, at
// the end, the client still had a timer that would end a waiting request
// (requests without an outcome are then unfinished rather than hung).
func Analyze(events []trace.Event, timersPending bool) Summary {
	s := Summary{Counts: map[Verdict]int{}}
	byReq := map[int]*Request{}
	answered := map[int]bool{}
	var order []int
	var cur *Resync
	for _, ev := range events {
		switch ev.Kind {
		case trace.KindIssue:
			r := &Request{Req: ev.Req, Cmd: ev.Cmd, Issued: ev.T, Ended: -1}
			byReq[ev.Req] = r
			order = append(order, ev.Req)
		case trace.KindAgentReply:
			if ev.State == "dropped" {
				s.Dropped++
			}
			if ev.Origin != nil && ev.Origin.Status == "write" && ev.Origin.Req != 0 && ev.N > 0 {
				answered[ev.Origin.Req] = true
			}
		case trace.KindOutcome:
			r := byReq[ev.Req]
			if r == nil {
				continue
			}
			r.Ended, r.Outcome, r.Reply, r.Detail = ev.T, ev.Outcome, ev.Bytes, ev.Text
			judge(r, ev.Reply, ev.N)
		case trace.KindDrop, trace.KindFault:
			s.addLost(&ev)
		case trace.KindClientState:
			if resyncStates[ev.State] {
				if cur == nil {
					cur = &Resync{From: ev.T, To: -1}
				}
				if len(cur.States) == 0 || cur.States[len(cur.States)-1] != ev.State {
					cur.States = append(cur.States, ev.State)
				}
			} else if cur != nil && ev.State != "poisoned" {
				// Back to work (idle, in sync) or a call ended with its
				// connection (Proxmox): the episode is over. A client that
				// poisoned itself never got back: the episode stays open.
				cur.To = ev.T
				s.Resyncs = append(s.Resyncs, *cur)
				cur = nil
			}
		}
	}
	if cur != nil {
		s.Resyncs = append(s.Resyncs, *cur)
	}
	for _, id := range order {
		r := byReq[id]
		r.Answered = answered[id]
		if r.Ended < 0 {
			if timersPending {
				r.Verdict, r.Why = Unfinished, "the run ended while the client still waited, with a timer set"
			} else {
				r.Verdict, r.Why = Hung, "no outcome, and nothing would ever end the wait"
			}
		}
		if !r.Answered {
			s.Lost++
		}
		s.Counts[r.Verdict]++
		s.Requests = append(s.Requests, *r)
	}
	var d []int64
	for _, e := range s.Resyncs {
		if e.To >= 0 {
			d = append(d, e.To-e.From)
		}
	}
	if len(d) > 0 {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		s.MedianResync = d[len(d)/2]
		s.MaxResync = d[len(d)-1]
	}
	return s
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
