package check

import (
	"testing"

	"github.com/qgasim/qgasim/sim/trace"
)

// Hand-checked transcripts: each is the part of a trace the oracle reads.
// The agent answers a request when a reply's origin is a byte of its
// writes.
func TestVerdicts(t *testing.T) {
	evs := []trace.Event{
		{T: 0, Kind: trace.KindIssue, Req: 1, Cmd: "guest-info"},
		{T: 0, Kind: trace.KindHostWrite, Req: 1, Off: 0, N: 30},
		{T: 1, Kind: trace.KindClientState, State: "in sync"},
		{T: 5e9, Kind: trace.KindOutcome, Req: 1, Outcome: "timed out", Text: "read timeout"},
		{T: 6e9, Kind: trace.KindIssue, Req: 2, Cmd: "guest-ping"},
		{T: 6e9, Kind: trace.KindHostWrite, Req: 2, Off: 30, N: 30},
		{T: 7e9, Kind: trace.KindAgentReply, N: 3000, Origin: &trace.Origin{Status: "write", Req: 1, Off: 29}},
		{T: 7e9, Kind: trace.KindOutcome, Req: 2, Outcome: "returned", Bytes: []byte(`{"return": {...}}`),
			Reply: &trace.ReplyRef{Status: "reply", OriginReq: 1, Cmd: "guest-info"}},
		{T: 8e9, Kind: trace.KindIssue, Req: 3, Cmd: "guest-ping"},
		{T: 8e9, Kind: trace.KindClientState, State: "waiting for 0xFF"},
		{T: 8e9 + 5e8, Kind: trace.KindClientState, State: "waiting for sync id"},
		{T: 9e9, Kind: trace.KindClientState, State: "in sync"},
		{T: 8e9, Kind: trace.KindHostWrite, Req: 3, Off: 60, N: 30},
		{T: 9e9, Kind: trace.KindAgentReply, N: 15, Origin: &trace.Origin{Status: "write", Req: 3, Off: 89}},
		{T: 9e9, Kind: trace.KindOutcome, Req: 3, Outcome: "returned", Bytes: []byte(`{"return": {}}`),
			Reply: &trace.ReplyRef{Status: "reply", OriginReq: 3, Cmd: "guest-ping"}},
		{T: 10e9, Kind: trace.KindIssue, Req: 4, Cmd: "guest-ping"},
		{T: 10e9, Kind: trace.KindOutcome, Req: 4, Outcome: "returned", Bytes: []byte(`{"return": {}}`),
			Reply: &trace.ReplyRef{Status: "corrupted", OriginReq: 4}},
		{T: 11e9, Kind: trace.KindIssue, Req: 5, Cmd: "guest-ping"},
		{T: 11e9, Kind: trace.KindOutcome, Req: 5, Outcome: "error", Bytes: []byte(`{"error": {}}`),
			Reply: &trace.ReplyRef{Status: "reply", OriginReq: 0, Cmd: ""}},
		{T: 12e9, Kind: trace.KindIssue, Req: 6, Cmd: "guest-ping"},
		{T: 12e9, Kind: trace.KindOutcome, Req: 6, Outcome: "returned", Reply: &trace.ReplyRef{Status: "mixed"}},
		{T: 13e9, Kind: trace.KindIssue, Req: 7, Cmd: "guest-ping"},
		{T: 13e9, Kind: trace.KindOutcome, Req: 7, Outcome: "failed", Text: "poisoned"},
		{T: 14e9, Kind: trace.KindIssue, Req: 8, Cmd: "guest-ping"},
		{T: 14e9, Kind: trace.KindAgentReply, State: "dropped", Text: "reply dropped: error writing to channel: Illegal seek"},
		// A dead client's fragment swallowed the ping: the message that
		// ended in its bytes was a parse error (no command).
		{T: 15e9, Kind: trace.KindIssue, Req: 9, Cmd: "guest-ping"},
		{T: 15e9, Kind: trace.KindHostWrite, Req: 9, Off: 120, N: 25},
		{T: 15e9, Kind: trace.KindAgentReply, N: 80, Origin: &trace.Origin{Status: "write", Req: 9, Off: 130}},
		{T: 15e9, Kind: trace.KindOutcome, Req: 9, Outcome: "error", Bytes: []byte(`{"error": {"class": "GenericError", "desc": "JSON parse error, stray '-p'"}}`),
			Reply: &trace.ReplyRef{Status: "reply", OriginReq: 9, Cmd: ""}},
		// The fragment made another command of the caller's bytes.
		{T: 16e9, Kind: trace.KindIssue, Req: 10, Cmd: "guest-info"},
		{T: 16e9, Kind: trace.KindHostWrite, Req: 10, Off: 145, N: 25},
		{T: 16e9, Kind: trace.KindAgentReply, N: 15, Origin: &trace.Origin{Status: "write", Req: 10, Off: 169}},
		{T: 16e9, Kind: trace.KindOutcome, Req: 10, Outcome: "returned", Bytes: []byte(`{"return": {}}`),
			Reply: &trace.ReplyRef{Status: "reply", OriginReq: 10, Cmd: "guest-ping"}},
	}
	want := map[int]Verdict{1: TimedOut, 2: Misattributed, 3: Correct, 4: Corrupted, 5: Misattributed, 6: Garbled, 7: Failed, 8: Hung,
		9: NotExecuted, 10: NotExecuted}
	s := Analyze(evs, false)
	for _, r := range s.Requests {
		if r.Verdict != want[r.Req] {
			t.Errorf("#%d %s: verdict %q (%s), want %q", r.Req, r.Cmd, r.Verdict, r.Why, want[r.Req])
		}
	}
	if s.Requests[1].GotReplyOf != 1 {
		t.Errorf("#2 got the reply of #%d, want #1", s.Requests[1].GotReplyOf)
	}
	if s.Counts[Misattributed] != 2 || s.Counts[Correct] != 1 || s.Counts[NotExecuted] != 2 {
		t.Errorf("counts %v", s.Counts)
	}
	// Requests 2, 4..8 were never answered by the agent (only 1 and 3 were).
	if s.Dropped != 1 {
		t.Errorf("dropped %d, want 1", s.Dropped)
	}
	if !s.Requests[8].Answered || !s.Requests[9].Answered {
		t.Errorf("the agent answered the bytes of #9 and #10 (with an error, another command)")
	}
	if s.Lost != 6 {
		t.Errorf("lost %d, want 6", s.Lost)
	}
	if len(s.Resyncs) != 1 || s.MaxResync != 1e9 || s.Resyncs[0].States[1] != "waiting for sync id" {
		t.Errorf("resyncs %+v max %d", s.Resyncs, s.MaxResync)
	}
	if u := Analyze(evs, true); u.Requests[7].Verdict != Unfinished {
		t.Errorf("with a timer pending #8 is %q, want unfinished", u.Requests[7].Verdict)
	}
}

// A resync that ends in poison never finished; an empty line no agent wrote
// is not a reply-less success.
func TestPoisonAndEmptyLine(t *testing.T) {
	evs := []trace.Event{
		{T: 0, Kind: trace.KindIssue, Req: 1, Cmd: "guest-ping"},
		{T: 0, Kind: trace.KindClientState, State: "waiting for sync id"},
		{T: 1e6, Kind: trace.KindClientState, State: "poisoned"},
		{T: 1e6, Kind: trace.KindOutcome, Req: 1, Outcome: "failed", Text: "cannot parse json"},
		{T: 2e9, Kind: trace.KindIssue, Req: 2, Cmd: "guest-info"},
		{T: 2e9, Kind: trace.KindOutcome, Req: 2, Outcome: "returned", N: 1, Reply: &trace.ReplyRef{Status: "none"}},
		{T: 3e9, Kind: trace.KindIssue, Req: 3, Cmd: "guest-shutdown"},
		{T: 3e9, Kind: trace.KindOutcome, Req: 3, Outcome: "returned", Reply: &trace.ReplyRef{Status: "none"}},
	}
	s := Analyze(evs, false)
	if len(s.Resyncs) != 1 || s.Resyncs[0].To != -1 {
		t.Errorf("resyncs %+v: the poisoned one must stay unfinished", s.Resyncs)
	}
	if v := s.Requests[1].Verdict; v != Misattributed {
		t.Errorf("an empty line from no agent: %s, want misattributed", v)
	}
	if v := s.Requests[2].Verdict; v != Correct {
		t.Errorf("success without a reply: %s, want correct", v)
	}
}

// The bytes named lost in flight are summed per direction, from the
// transport's drops and the faults' lost spans (not their changed ones).
func TestLostBytesPerDirection(t *testing.T) {
	evs := []trace.Event{
		{Kind: trace.KindDrop, Dir: "h2a", Lost: []trace.Span{{Off: 0, N: 5}}, N: 5},
		{Kind: trace.KindFault, Dir: "a2h", Lost: []trace.Span{{Off: 10, N: 2}, {Off: 20, N: 1}}, Changed: []trace.Span{{Off: 30, N: 4}}, N: 7},
		{Kind: trace.KindFault, Dir: "h2a", Changed: []trace.Span{{Off: 1, N: 1}}, N: 1},
		{Kind: trace.KindDrop, Dir: "a2h", N: 9, Text: "written by an agent the World holds dead"},
	}
	s := Analyze(evs, false)
	if s.LostToAgent != 5 || s.LostToHost != 12 {
		t.Fatalf("lost to agent %d, to host %d; want 5, 12", s.LostToAgent, s.LostToHost)
	}
}

// CountWords words the counts in report order, leaving out zeros.
func TestCountWords(t *testing.T) {
	for _, c := range []struct {
		counts map[Verdict]int
		want   string
	}{
		{nil, "no requests"},
		{map[Verdict]int{Correct: 0, Hung: 0}, "no requests"},
		{map[Verdict]int{Unfinished: 1, Correct: 12, Misattributed: 2}, "12 correct, 2 misattributed, 1 unfinished"},
		{map[Verdict]int{Lost: 3}, "no requests"}, // not a verdict of this order
	} {
		if got := CountWords(Verdicts, c.counts); got != c.want {
			t.Errorf("%v: %q, want %q", c.counts, got, c.want)
		}
	}
	if got := CountWords(WireVerdicts, map[Verdict]int{Lost: 3, Correct: 1}); got != "1 correct, 3 lost" {
		t.Errorf("wire verdicts: %q", got)
	}
}
