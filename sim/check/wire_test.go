package check_test

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

func run(t *testing.T, strategy string, cfg sim.Config) []trace.Event {
	t.Helper()
	cfg.Client = client.Spec{Strategy: strategy}
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	return w.Trace()
}

func wire(evs []trace.Event) check.WireSummary {
	o := check.NewWire(0)
	for _, ev := range evs {
		o.Observe(&ev)
	}
	return o.Summary()
}

func send(cmd string, timeout time.Duration) sim.Step {
	return sim.Step{Send: &sim.Send{Execute: cmd, Timeout: timeout}}
}

func sleep(d time.Duration) sim.Step { return sim.Step{Sleep: &sim.Sleep{D: d}} }

func verdicts(s check.WireSummary) map[string]check.Verdict {
	m := map[string]check.Verdict{}
	for _, r := range s.Requests {
		m[r.Cmd] = r.Verdict
	}
	return m
}

// The library's stale-reply lesson seen from the bytes alone: the naive
// client gives up on guest-info and sends guest-get-time, and guest-info's
// reply arrives after it.
func TestWireStaleReply(t *testing.T) {
	cfg := sim.Config{Seed: 42, Agent: agent.Config{Latency: map[string]time.Duration{"guest-info": 7 * time.Second}},
		Steps: []sim.Step{send("guest-info", 5*time.Second), send("guest-get-time", 5*time.Second)}}
	s := wire(run(t, "none", cfg))
	v := verdicts(s)
	if v["guest-info"] != check.Misattributed || v["guest-get-time"] != check.Correct {
		t.Fatalf("verdicts %v: %+v", v, s.Requests)
	}
	if s.Requests[0].LaterReq != 2 {
		t.Errorf("later request %d, want 2", s.Requests[0].LaterReq)
	}
	// The delimited client resyncs past the late reply: nothing is
	// misattributed. (Its 0xFF on an idle parser draws an error reply, a
	// stray line it skips.)
	s = wire(run(t, "delimited", cfg))
	if s.Counts[check.Misattributed] != 0 || s.Counts[check.Skipped] == 0 || s.Stray == 0 {
		t.Fatalf("delimited: %v\n%+v", s.Counts, s.Requests)
	}
	if s.Syncs == 0 || s.SyncsMatched == 0 || len(s.Resyncs) == 0 {
		t.Errorf("delimited: syncs %d matched %d resyncs %d", s.Syncs, s.SyncsMatched, len(s.Resyncs))
	}
}

// Lost, cut and unanswered replies.
func TestWireLostAndCut(t *testing.T) {
	at := func(d time.Duration) *time.Duration { return &d }
	cfg := sim.Config{Seed: 1, Transport: "isa-serial",
		Faults: []fault.Spec{
			{Kind: "truncate", Dir: "a2h", Params: fault.Params{"after": fault.Int(5)}, Trigger: fault.Trigger{At: at(0), Max: 1}},
			{Kind: "drop", Dir: "h2a", Trigger: fault.Trigger{On: []byte(`"guest-ping"}`)}},
		},
		Steps: []sim.Step{send("guest-info", time.Second), sleep(time.Second), send("guest-ping", 500*time.Millisecond),
			sleep(time.Second), send("guest-get-time", time.Second)}}
	s := wire(run(t, "none", cfg))
	v := verdicts(s)
	if v["guest-info"] != check.Garbled || v["guest-ping"] != check.Unanswered {
		t.Fatalf("verdicts %v\n%+v", v, s.Requests)
	}
	// The lost '}' leaves ping's message open in the agent's parser, and
	// the next request's bytes only nest deeper: neither is answered.
	if s.Unanswered != 2 {
		t.Errorf("unanswered %d", s.Unanswered)
	}
}

// Requests Wire finds are the requests the client sent, in order.
func TestWireFindsRequests(t *testing.T) {
	for _, strategy := range []string{"none", "libvirt", "proxmox", "python-qga", "delimited"} {
		cfg := sim.Config{Seed: 3, Steps: []sim.Step{send("guest-ping", 0), send("guest-info", 0), send("guest-get-time", 0)}}
		evs := run(t, strategy, cfg)
		s := wire(evs)
		run := check.Analyze(evs, false)
		var cmds []string
		for _, r := range s.Requests {
			if r.SyncID == "" {
				cmds = append(cmds, r.Cmd)
			}
			if r.Verdict != check.Correct {
				t.Errorf("%s: #%d %s: %s (%s)", strategy, r.N, r.Cmd, r.Verdict, r.Why)
			}
		}
		if !subsequence([]string{"guest-ping", "guest-info", "guest-get-time"}, cmds) {
			t.Errorf("%s: requests %v", strategy, cmds)
		}
		if run.Counts[check.Correct] != 3 {
			t.Errorf("%s: the run's oracle says %v", strategy, run.Counts)
		}
	}
}

func subsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// A real agent's reply (proxy) is known only when its line ends: its
// first bytes may reach the client before. Wire still follows every byte:
// a reply written in two parts, the first delivered before the second is
// written, is correct; one whose first part a fault dropped is garbled.
func TestWireRealAgentReplyInParts(t *testing.T) {
	const ms = int64(time.Millisecond)
	for _, c := range []struct {
		name   string
		faults []fault.Spec
		want   check.Verdict
	}{
		{"whole", nil, check.Correct},
		{"first part dropped", []fault.Spec{{Kind: "drop", Dir: "a2h", Trigger: fault.Trigger{AfterBytes: ptr(int64(3)), Max: 1}}}, check.Garbled},
	} {
		t.Run(c.name, func(t *testing.T) {
			var evs []trace.Event
			var toAgent []byte
			w, err := sim.New(sim.Config{Seed: 1, NoKeep: true, Faults: c.faults, Sink: func(ev *trace.Event) { evs = append(evs, *ev) },
				Host:          &sim.ExternalHost{Deliver: func(int64, []byte) {}, Closed: func(int64, string) {}},
				ExternalAgent: &sim.ExternalAgent{Deliver: func(_ int64, b []byte) { toAgent = append(toAgent, b...) }, Process: func(int64, sim.ProcessAction) {}}})
			if err != nil {
				t.Fatal(err)
			}
			w.AgentConnect(true)
			w.HostConnect()
			w.HostWrite([]byte(`{"execute":"guest-info"}`))
			w.RunUntil(5 * ms)
			if len(toAgent) == 0 {
				t.Fatal("the request never reached the agent")
			}
			reply := []byte(`{"return": {"version": "7.2.0", "supported_commands": []}}` + "\n")
			w.AgentWrite(reply[:20])
			w.RunUntil(10 * ms) // the first part reaches the client
			w.AgentWrite(reply[20:])
			w.RunUntil(20 * ms)
			w.Stop()
			s := wire(evs)
			if s.Total != 1 {
				t.Fatalf("%d requests: %+v", s.Total, s.Requests)
			}
			r := s.Requests[0]
			if r.Verdict != c.want || r.Delivered+r.LostBytes != int64(len(reply)) || r.First < 0 || r.First >= 10*ms {
				t.Errorf("verdict %s (%s), delivered %d lost %d of %d, first byte at %d", r.Verdict, r.Why, r.Delivered, r.LostBytes, len(reply), r.First)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
