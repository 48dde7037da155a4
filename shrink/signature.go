package shrink

import (
	"fmt"

	"github.com/qgasim/qgasim/scenarios"
	"github.com/qgasim/qgasim/sim/check"
)

// Signature is what makes a failure the same failure: the expectation
// that failed, and the request it is about, by its command and the
// oracle's verdict. A run shows the signature when that expectation fails
// and a request of that command has that verdict (and, for a lost
// request, the agent never answered one of that command). A failure about
// no request (dropped replies, the longest resync) is its expectation
// alone.
type Signature struct {
	// Expect is the failed expectation alone, as the minimal scenario
	// keeps it; What is how the report writes it ("misattributed: 0").
	Expect scenarios.Expect
	What   string
	// Cmd and Verdict are the request the failure is about ("" none);
	// Unanswered asks that the agent never answered it.
	Cmd        string
	Verdict    check.Verdict
	Unanswered bool
	// step is the index (in the original program) of the send step of an
	// expectation about one request (request N), -1 otherwise: when steps
	// are removed, the expectation follows that send.
	step int
}

// Absence says the failure is something that did not happen: the request
// that shows it was judged correct (two callers were expected to swap
// replies and each got its own). A run in which nothing goes wrong shows
// such a failure too, so the smallest scenario that keeps it says little
// about the original run; shrink says so rather than let it pass for a
// reproduction.
func (s Signature) Absence() bool {
	return s.Cmd != "" && s.Verdict == check.Correct && !s.Unanswered
}

func (s Signature) String() string {
	out := s.What
	if s.Cmd != "" {
		out += fmt.Sprintf(", shown by a %s request", s.Cmd)
		switch {
		case s.Unanswered:
			out += " the agent never answered"
		case s.Verdict != "":
			out += " judged " + string(s.Verdict)
		}
	}
	return out
}

// single lists the expectations of e one by one, in the order Evaluate
// checks them (TestSingleFollowsEvaluate keeps the two in step).
func single(e scenarios.Expect) []scenarios.Expect {
	var out []scenarios.Expect
	add := func(x scenarios.Expect, set bool) {
		if set {
			out = append(out, x)
		}
	}
	add(scenarios.Expect{AllAnswered: e.AllAnswered}, e.AllAnswered != nil)
	add(scenarios.Expect{Correct: e.Correct}, e.Correct != nil)
	add(scenarios.Expect{Misattributed: e.Misattributed}, e.Misattributed != nil)
	add(scenarios.Expect{NotExecuted: e.NotExecuted}, e.NotExecuted != nil)
	add(scenarios.Expect{Lost: e.Lost}, e.Lost != nil)
	add(scenarios.Expect{Hung: e.Hung}, e.Hung != nil)
	add(scenarios.Expect{TimedOut: e.TimedOut}, e.TimedOut != nil)
	add(scenarios.Expect{Failed: e.Failed}, e.Failed != nil)
	add(scenarios.Expect{Dropped: e.Dropped}, e.Dropped != nil)
	add(scenarios.Expect{MaxResync: e.MaxResync}, e.MaxResync != nil)
	add(scenarios.Expect{ResyncEpisodes: e.ResyncEpisodes}, e.ResyncEpisodes != nil)
	add(scenarios.Expect{LostBytes: scenarios.LostBytes{ToAgent: e.LostBytes.ToAgent}}, e.LostBytes.ToAgent != nil)
	add(scenarios.Expect{LostBytes: scenarios.LostBytes{ToHost: e.LostBytes.ToHost}}, e.LostBytes.ToHost != nil)
	for _, n := range e.Never {
		out = append(out, scenarios.Expect{Never: []string{n}})
	}
	for _, r := range e.Resyncs {
		out = append(out, scenarios.Expect{Resyncs: []scenarios.ResyncExpect{r}})
	}
	for _, r := range e.Requests {
		out = append(out, scenarios.Expect{Requests: []scenarios.RequestExpect{r}})
	}
	return out
}

// findSignature is the signature of a failing run: its first failed
// expectation, and the request that shows it. ok is false when every
// expectation held.
func findSignature(sc *scenarios.Scenario, sum *check.Summary) (Signature, bool) {
	for _, e := range single(sc.Expect) {
		res := scenarios.Evaluate(e, *sum)
		if res[0].Pass {
			continue
		}
		sig := Signature{Expect: e, What: res[0].What, step: -1}
		reqs := sum.Requests
		first := func(ok func(check.Request) bool) {
			for _, r := range reqs {
				if ok(r) {
					sig.Cmd, sig.Verdict = r.Cmd, r.Verdict
					return
				}
			}
		}
		notCorrect := func(r check.Request) bool { return r.Verdict != check.Correct }
		anyOf := func(check.Request) bool { return true }
		// more: the run had more requests of verdict v than expected, so
		// one of them shows it; fewer: it had fewer, so the request that
		// did not get v shows it, the first one that went wrong (or the
		// first one).
		byCount := func(want *int, v check.Verdict) {
			if *want < sum.Counts[v] {
				first(func(r check.Request) bool { return r.Verdict == v })
				return
			}
			first(notCorrect)
			if sig.Cmd == "" {
				first(anyOf)
			}
		}
		switch {
		case e.AllAnswered != nil:
			if *e.AllAnswered {
				first(notCorrect)
			} else {
				first(anyOf)
			}
		case e.Correct != nil:
			byCount(e.Correct, check.Correct)
		case e.Misattributed != nil:
			byCount(e.Misattributed, check.Misattributed)
		case e.NotExecuted != nil:
			byCount(e.NotExecuted, check.NotExecuted)
		case len(e.Never) == 1:
			// "never: misattributed": the first request judged so.
			first(func(r check.Request) bool { return string(r.Verdict) == e.Never[0] })
		case e.Hung != nil:
			byCount(e.Hung, check.Hung)
		case e.TimedOut != nil:
			byCount(e.TimedOut, check.TimedOut)
		case e.Failed != nil:
			byCount(e.Failed, check.Failed)
		case e.Lost != nil:
			if *e.Lost < sum.Lost {
				first(func(r check.Request) bool { return !r.Answered })
				sig.Unanswered, sig.Verdict = sig.Cmd != "", ""
			} else {
				first(anyOf)
			}
		case len(e.Requests) == 1:
			n := e.Requests[0].Request
			if r, ok := sum.Request(n); ok {
				sig.Cmd, sig.Verdict = r.Cmd, r.Verdict
			}
			sig.step = sendStep(sc, n)
		}
		return sig, true
	}
	return Signature{}, false
}

// sendStep is the index of the n-th send step (from 1), -1 if none.
func sendStep(sc *scenarios.Scenario, n int) int {
	for i, st := range sc.Steps {
		if st.Send != nil {
			n--
			if n == 0 {
				return i
			}
		}
	}
	return -1
}

// shows reports whether a run's summary shows the signature; expect is the
// signature's expectation with its request renumbered for the scenario
// that ran.
func (s Signature) shows(expect scenarios.Expect, sum *check.Summary) bool {
	if scenarios.Evaluate(expect, *sum)[0].Pass {
		return false
	}
	if s.Cmd == "" {
		return true
	}
	if len(expect.Requests) == 1 {
		r, ok := sum.Request(expect.Requests[0].Request)
		return ok && r.Cmd == s.Cmd && r.Verdict == s.Verdict
	}
	for _, r := range sum.Requests {
		if r.Cmd != s.Cmd {
			continue
		}
		if s.Unanswered && !r.Answered {
			return true
		}
		if !s.Unanswered && r.Verdict == s.Verdict {
			return true
		}
	}
	return false
}
