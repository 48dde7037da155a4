package model

import (
	"bufio"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/live"
	"github.com/qgasim/qgasim/sim/trace"
)

// liveEvents records a serve session in fake time: a naive client sends
// guest-info, which takes 1.5 s, gives up after 1 s and sends
// guest-get-time, whose line is guest-info's late reply; then it reads
// guest-get-time's own reply, and a sync.
func liveEvents(t *testing.T) []trace.Event {
	var evs []trace.Event
	synctest.Test(t, func(t *testing.T) {
		cfg := sim.Config{Seed: 1, Agent: agent.Config{Latency: map[string]time.Duration{"guest-info": 1500 * time.Millisecond}}}
		s, err := live.New(cfg, live.Options{Session: &trace.Session{Mode: "serve", Scenario: "slow"},
			Sink: func(ev trace.Event) { evs = append(evs, ev) }})
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Dial()
		if err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReader(c)
		c.Write([]byte(`{"execute":"guest-info"}`))
		time.Sleep(time.Second)
		c.Write([]byte(`{"execute":"guest-get-time"}`))
		for range 2 {
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
		}
		c.Write([]byte(`{"execute":"guest-sync","arguments":{"id":9}}`))
		if _, err := r.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		c.Close()
		if _, err := s.Close(); err != nil {
			t.Fatal(err)
		}
	})
	return evs
}

// A live session's request table comes from the wire oracle: each request
// as the client's bytes complete it, its verdict as its reply arrives;
// host writes and replies are named by their requests, and a reply byte's
// story gives the verdict.
func TestLiveRequestsFromTheWire(t *testing.T) {
	evs := liveEvents(t)
	m := New(Info{}, Limits{})
	var seen []string // the table as it changed, one line per request and state
	for _, ev := range evs {
		m.Apply(ev)
		for _, r := range m.Requests {
			line := itoa(r.Req) + " " + r.Cmd + ": " + r.Verdict()
			if len(seen) == 0 || !contains(seen, line) {
				seen = append(seen, line)
			}
		}
	}
	if !m.LiveClient() {
		t.Fatal("the session event did not make the model follow a real client")
	}
	want := []string{
		"1 guest-info: waiting",
		"2 guest-get-time: waiting",
		"1 guest-info: answered, in the link",
		"1 guest-info: MISATTRIBUTED (came after #2)",
		"2 guest-get-time: ok",
		"3 guest-sync: waiting",
		"3 guest-sync: ok",
	}
	for _, w := range want {
		if !contains(seen, w) {
			t.Errorf("the table never showed %q; it showed:\n%s", w, strings.Join(seen, "\n"))
		}
	}
	if len(m.Requests) != 3 || !m.Requests[0].Wrong() || m.Requests[1].Wrong() || m.Requests[0].Latency() != "1.500s" {
		t.Errorf("rows: %+v", m.Requests)
	}
	if m.Client.State != "idle" || m.Client.Why != "3 sent: 2 correct, 1 misattributed" {
		t.Errorf("client pane: %+v", m.Client)
	}
	var labels []string
	for _, seg := range append(append([]*Segment(nil), m.H2A.Segs...), m.A2H.Segs...) {
		if seg.Kind == SegWrite {
			labels = append(labels, seg.Label)
		}
	}
	for _, l := range []string{"guest-info #1", "guest-get-time #2", "guest-sync #3", "reply to guest-info #1", "reply to guest-sync #3"} {
		if !contains(labels, l) {
			t.Errorf("no segment %q among %q", l, labels)
		}
	}
	seg, i := m.A2H.locate(0)
	story := strings.Join(m.Story(m.A2H, seg, i), "\n")
	if !strings.Contains(story, "the agent wrote it answering request #1 (guest-info)") ||
		!strings.Contains(story, "request #1: MISATTRIBUTED (came after #2): its reply arrived after request 2 was sent") {
		t.Errorf("the story of the first reply byte:\n%s", story)
	}

	// The fold is pure: folding again to any point gives the same table.
	for _, k := range []int{len(evs) / 3, len(evs) / 2, len(evs)} {
		a, b := New(Info{}, Limits{}), New(Info{}, Limits{})
		for _, ev := range evs[:k] {
			a.Apply(ev)
		}
		for _, ev := range evs[:k] {
			b.Apply(ev)
		}
		if !reflect.DeepEqual(rows(a), rows(b)) {
			t.Errorf("folding %d events twice: %v and %v", k, rows(a), rows(b))
		}
	}
}

func rows(m *Model) []string {
	var out []string
	for _, r := range m.Requests {
		out = append(out, r.Cmd+" "+r.Verdict()+" "+r.Latency())
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
