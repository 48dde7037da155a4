package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/check"
)

func dur(d time.Duration) *time.Duration { return &d }

// summary is a run of three requests and two resync episodes, the second
// never finished, with bytes lost both ways.
func summary() check.Summary {
	return check.Summary{
		Requests: []check.Request{
			{Req: 1, Cmd: "guest-ping", Issued: 0, Ended: int64(time.Second), Outcome: "returned", Reply: []byte(`{"return": {}}`), Verdict: check.Correct},
			{Req: 2, Cmd: "guest-info", Issued: int64(time.Second), Ended: int64(8 * time.Second), Outcome: "returned", Reply: []byte(`{"return": 7}`), Verdict: check.Misattributed},
			{Req: 3, Cmd: "guest-get-time", Issued: int64(9 * time.Second), Ended: -1, Verdict: check.Hung},
		},
		Counts:      map[check.Verdict]int{check.Correct: 1, check.Misattributed: 1, check.Hung: 1},
		Lost:        1,
		LostToAgent: 12, LostToHost: 0,
		Resyncs:  []check.Resync{{No: 1, From: int64(2 * time.Second), To: int64(3 * time.Second)}, {No: 2, From: int64(9 * time.Second), To: -1}},
		Episodes: 2, Total: 3,
	}
}

func TestNewExpectations(t *testing.T) {
	twelve, zero, two, one := int64(12), int64(0), 2, 1
	cases := []struct {
		e     Expect
		what  string
		pass  bool
		whyIn string
	}{
		{Expect{Never: []string{"garbled"}}, "never: garbled", true, "none"},
		{Expect{Never: []string{"misattributed"}}, "never: misattributed", false, "#2 guest-info"},
		{Expect{Never: []string{"lost"}}, "never: lost", false, "1 in the run"},
		{Expect{Never: []string{"timed-out"}}, "never: timed-out", true, ""},
		{Expect{LostBytes: LostBytes{ToAgent: &twelve}}, "lost-bytes.to-agent: 12", true, "12 bytes"},
		{Expect{LostBytes: LostBytes{ToHost: &twelve}}, "lost-bytes.to-host: 12", false, "0 bytes"},
		{Expect{LostBytes: LostBytes{ToHost: &zero}}, "lost-bytes.to-host: 0", true, ""},
		{Expect{ResyncEpisodes: &two}, "resync-episodes: 2", true, ""},
		{Expect{ResyncEpisodes: &one}, "resync-episodes: 1", false, "2 resync-episodes"},
		{Expect{Requests: []RequestExpect{{Request: 2, NotContains: "7"}}}, `request 2: does not contain "7"`, false, "contains"},
		{Expect{Requests: []RequestExpect{{Request: 1, NotContains: "error"}}}, `request 1: does not contain "error"`, true, ""},
		{Expect{Requests: []RequestExpect{{Request: 2, OutcomeAfter: dur(7 * time.Second), OutcomeBefore: dur(9 * time.Second)}}},
			"request 2: outcome at or after 7s, outcome before 9s", true, "at 8s"},
		{Expect{Requests: []RequestExpect{{Request: 2, OutcomeBefore: dur(8 * time.Second)}}}, "request 2: outcome before 8s", false, "came at 8s"},
		{Expect{Requests: []RequestExpect{{Request: 3, OutcomeAfter: dur(0)}}}, "request 3: outcome at or after 0s", false, "no outcome"},
		{Expect{Resyncs: []ResyncExpect{{Episode: 1, StartsAfter: dur(2 * time.Second), LastsAtMost: dur(time.Second)}}},
			"resync 1: starts at or after 2s, lasts at most 1s", true, "from 2s to 3s (1s)"},
		{Expect{Resyncs: []ResyncExpect{{Episode: 1, EndsBefore: dur(3 * time.Second)}}}, "resync 1: ends before 3s", false, "did not end in time"},
		{Expect{Resyncs: []ResyncExpect{{Episode: 2, LastsAtMost: dur(time.Hour)}}}, "resync 2: lasts at most 1h0m0s", false, "never back in sync"},
		{Expect{Resyncs: []ResyncExpect{{Episode: 3}}}, "resync 3: happens", false, "only 2 resync episodes"},
	}
	for _, c := range cases {
		res := Evaluate(c.e, summary())
		if len(res) != 1 {
			t.Fatalf("%s: %d results", c.what, len(res))
		}
		r := res[0]
		if r.What != c.what || r.Pass != c.pass || !strings.Contains(r.Why, c.whyIn) {
			t.Errorf("got %q pass=%v why %q; want %q pass=%v why containing %q", r.What, r.Pass, r.Why, c.what, c.pass, c.whyIn)
		}
		// Hold keeps what held and says what it changed.
		held, changed := c.e.Hold(summary())
		again := Evaluate(held, summary())
		for _, a := range again {
			if !a.Pass {
				t.Errorf("%s: after Hold still fails: %s (%s); changed %q", c.what, a.What, a.Why, changed)
			}
		}
		if c.pass != (len(changed) == 0) {
			t.Errorf("%s: Hold changed %q", c.what, changed)
		}
	}
}

// A never result's text is the same whatever the run shows, so that a
// sweep can count the runs that broke it.
func TestNeverWhatIsStable(t *testing.T) {
	a := Evaluate(Expect{Never: []string{"misattributed"}}, summary())[0]
	b := Evaluate(Expect{Never: []string{"misattributed"}}, check.Summary{Counts: map[check.Verdict]int{}})[0]
	if a.What != b.What || a.Pass || !b.Pass {
		t.Fatalf("%+v %+v", a, b)
	}
}
