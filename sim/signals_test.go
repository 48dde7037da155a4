package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

func atT(d time.Duration) *time.Duration { return &d }

func once(d time.Duration) fault.Trigger { return fault.Trigger{At: atT(d), Max: 1} }

func kinds(w *sim.World, kind string) []trace.Event {
	var out []trace.Event
	for _, ev := range w.Trace() {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// A paused agent (SIGSTOP) keeps its port open: libvirt hears no
// VSERPORT_CHANGE, its call times out ("not available for now", 0.13), and
// the agent answers once continued; a killed one closes the port and the
// call fails at once ("not connected", 0.11).
func TestPausedAgentKeepsThePortOpen(t *testing.T) {
	cfg := sim.Config{Seed: 3, Duration: 30 * time.Second, Client: client.Spec{Strategy: "libvirt"},
		Faults: []fault.Spec{{Kind: "pause-agent", Params: fault.Params{"for": fault.Dur(8 * time.Second)}, Trigger: once(time.Second)}},
		Steps: []sim.Step{
			{Send: &sim.Send{Execute: "guest-ping"}},
			{Sleep: &sim.Sleep{D: 2 * time.Second}},
			{Send: &sim.Send{Execute: "guest-get-time"}},
			{Sleep: &sim.Sleep{D: 10 * time.Second}},
			{Send: &sim.Send{Execute: "guest-ping"}},
		}}
	w, sum := judged(t, cfg)
	if n := len(kinds(w, trace.KindPort)); n != 1 {
		t.Errorf("seed %d: %d port events, want only the first open: a paused agent keeps its port", cfg.Seed, n)
	}
	if n := len(kinds(w, trace.KindAgentRestart)); n != 0 {
		t.Errorf("seed %d: the paused agent died", cfg.Seed)
	}
	r := sum.Requests[1]
	if r.Verdict != check.TimedOut || !strings.Contains(r.Detail, "not available for now") {
		t.Errorf("seed %d: #2 during the pause: %s %q", cfg.Seed, r.Verdict, r.Detail)
	}
	if r := sum.Requests[2]; r.Verdict != check.Correct {
		t.Errorf("seed %d: #3 after SIGCONT: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
	var reads []int64
	for _, ev := range kinds(w, trace.KindAgentRead) {
		reads = append(reads, ev.T)
	}
	for _, at := range reads {
		if at > int64(time.Second) && at < int64(9*time.Second) {
			t.Errorf("seed %d: the paused agent read at %v", cfg.Seed, time.Duration(at))
		}
	}
	conts := 0
	for _, ev := range kinds(w, trace.KindFault) {
		if ev.Text == "agent continued (SIGCONT)" && ev.T == int64(9*time.Second) {
			conts++
		}
	}
	if conts != 1 {
		t.Errorf("seed %d: %d SIGCONT events at 9 s, want 1", cfg.Seed, conts)
	}
	if err := sim.CheckAccounting(w.Trace()); err != nil {
		t.Errorf("seed %d: %v", cfg.Seed, err)
	}
}

// A paused process makes no write() calls: the rest of a reply it was
// blocked in stays with it, even when the host starts reading again.
func TestPausedAgentKeepsTheRestOfItsWrite(t *testing.T) {
	cfg := sim.Config{Seed: 4, Duration: 20 * time.Second, Transport: "isa-serial", Client: client.Spec{Strategy: "none"},
		Faults: []fault.Spec{{Kind: "pause-agent", Trigger: once(5 * time.Millisecond)},
			{Kind: "continue-agent", Trigger: once(3 * time.Second)}},
		Steps: []sim.Step{{Send: &sim.Send{Execute: "guest-info", Timeout: 10 * time.Second}}}}
	w, sum := judged(t, cfg)
	if r := sum.Requests[0]; r.Verdict != check.Correct {
		t.Fatalf("seed %d: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
	var last int64
	for _, ev := range kinds(w, trace.KindDeliver) {
		if ev.Dir == "a2h" {
			last = ev.T
		}
	}
	// guest-info's reply is over 3 KB: at 115200 baud it takes about
	// 0.3 s, so most of it waits for the SIGCONT at 3 s.
	if last < int64(3*time.Second) {
		t.Errorf("seed %d: the reply was all delivered at %v, before the agent continued", cfg.Seed, time.Duration(last))
	}
}

// docs/lab.md, H3: SIGTERM to an agent that holds a reply with no host
// connected (virtio-serial). It lives on until the next host comes, writes
// the held reply, then exits; that client's own first request is lost with
// the process, and the next agent answers the one after.
func TestStopAgentDeliversTheHeldReplyBeforeExit(t *testing.T) {
	cfg := sim.Config{Seed: 5, Duration: 30 * time.Second, Client: client.Spec{Strategy: "none"},
		Agent:  agentLatency("guest-sync", 2*time.Second),
		Faults: []fault.Spec{{Kind: "stop-agent", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: once(3 * time.Second)}},
		Steps: []sim.Step{
			{Send: &sim.Send{Execute: "guest-sync", Arguments: `{"id":811}`, Timeout: 500 * time.Millisecond}},
			{Disconnect: true},
			{Sleep: &sim.Sleep{D: 5 * time.Second}},
			{Reconnect: true},
			{Send: &sim.Send{Execute: "guest-sync", Arguments: `{"id":813}`, Timeout: 2 * time.Second}},
			{Sleep: &sim.Sleep{D: 2 * time.Second}},
			{Send: &sim.Send{Execute: "guest-sync", Arguments: `{"id":814}`, Timeout: 3 * time.Second}},
		}}
	w, sum := judged(t, cfg)
	if r := sum.Requests[1]; r.Verdict != check.Misattributed || string(r.Reply) != `{"return": 811}` {
		t.Errorf("seed %d: #2 (813) got %q: %s, want the held 811", cfg.Seed, r.Reply, r.Verdict)
	}
	if r := sum.Requests[2]; r.Verdict != check.Correct {
		t.Errorf("seed %d: #3 (814): %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
	if sum.Requests[1].Answered {
		t.Errorf("seed %d: 813 was answered; the stopping agent reads nothing more", cfg.Seed)
	}
	deaths := kinds(w, trace.KindAgentRestart)
	if len(deaths) != 1 || deaths[0].T < int64(5*time.Second) || !strings.Contains(deaths[0].Text, "SIGTERM") {
		t.Fatalf("seed %d: deaths %+v, want one SIGTERM exit after the host came back at ~5.5 s", cfg.Seed, deaths)
	}
	if err := sim.CheckAccounting(w.Trace()); err != nil {
		t.Errorf("seed %d: %v", cfg.Seed, err)
	}
}

// A command in hand when SIGTERM comes is finished and answered; then the
// agent exits, and the next one starts down after the exit.
func TestStopAgentFinishesTheCommandInHand(t *testing.T) {
	cfg := sim.Config{Seed: 6, Duration: 30 * time.Second, Client: client.Spec{Strategy: "delimited"},
		Agent:  agentLatency("guest-get-time", 3*time.Second),
		Faults: []fault.Spec{{Kind: "stop-agent", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: once(time.Second)}},
		Steps:  []sim.Step{{Send: &sim.Send{Execute: "guest-get-time"}}, {Sleep: &sim.Sleep{D: 5 * time.Second}}, {Send: &sim.Send{Execute: "guest-ping"}}}}
	w, sum := judged(t, cfg)
	if r := sum.Requests[0]; r.Verdict != check.Correct {
		t.Errorf("seed %d: #1 in hand at SIGTERM: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
	if r := sum.Requests[1]; r.Verdict != check.Correct {
		t.Errorf("seed %d: #2 with the next agent: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
	deaths, starts := kinds(w, trace.KindAgentRestart), kinds(w, trace.KindAgentStart)
	if len(deaths) != 1 || len(starts) != 2 {
		t.Fatalf("seed %d: %d deaths, %d starts", cfg.Seed, len(deaths), len(starts))
	}
	var replied int64
	for _, ev := range kinds(w, trace.KindAgentReply) {
		if ev.Cmd == "guest-get-time" {
			replied = ev.T
		}
	}
	if got := deaths[0].T - replied; got != int64(sim.GracefulExit) {
		t.Errorf("seed %d: exit %v after the reply, want %v", cfg.Seed, time.Duration(got), sim.GracefulExit)
	}
	if got := starts[1].T - deaths[0].T; got != int64(time.Second) {
		t.Errorf("seed %d: the next agent started %v after the exit, want 1s", cfg.Seed, time.Duration(got))
	}
}

// qemu-ga ignores SIGTERM while frozen (docs/protocol.md §2.6): the agent
// goes on answering.
func TestFrozenAgentIgnoresSIGTERM(t *testing.T) {
	ag := agentLatency("guest-ping", 0)
	ag.StartFrozen = true
	cfg := sim.Config{Seed: 7, Duration: 10 * time.Second, Client: client.Spec{Strategy: "delimited"}, Agent: ag,
		Faults: []fault.Spec{{Kind: "stop-agent", Trigger: once(time.Second)}},
		Steps:  []sim.Step{{Sleep: &sim.Sleep{D: 2 * time.Second}}, {Send: &sim.Send{Execute: "guest-ping"}}}}
	w, sum := judged(t, cfg)
	if len(kinds(w, trace.KindAgentRestart)) != 0 {
		t.Errorf("seed %d: the frozen agent exited on SIGTERM", cfg.Seed)
	}
	ignored := false
	for _, ev := range kinds(w, trace.KindFault) {
		ignored = ignored || strings.HasPrefix(ev.Text, "SIGTERM ignored: the agent is frozen")
	}
	if !ignored {
		t.Errorf("seed %d: no trace says SIGTERM was ignored", cfg.Seed)
	}
	if r := sum.Requests[0]; r.Verdict != check.Correct {
		t.Errorf("seed %d: ping: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
}

func agentLatency(cmd string, d time.Duration) agent.Config {
	return agent.Config{Latency: map[string]time.Duration{cmd: d}}
}
