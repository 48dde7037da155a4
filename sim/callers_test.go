package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// twoCallers is caller 1 (a blocking guest-get-time, as libvirt's built-in
// APIs block) and, 1 s later, caller 2 (a guest-ping with a 2 s timeout),
// with the agent paused for 8 s from 0.5 s: docs/libvirt.md, B4.
func twoCallers(strategy string, seed uint64) sim.Config {
	return sim.Config{Seed: seed, Duration: 60 * time.Second, Client: client.Spec{Strategy: strategy},
		Faults: []fault.Spec{{Kind: "pause-agent", Params: fault.Params{"for": fault.Dur(8 * time.Second)}, Trigger: once(500 * time.Millisecond)}},
		Steps: []sim.Step{
			{Send: &sim.Send{Execute: "guest-ping"}},
			{Sleep: &sim.Sleep{D: 500 * time.Millisecond}},
			{Send: &sim.Send{Execute: "guest-get-time", Timeout: -1, NoWait: true}},
			{Sleep: &sim.Sleep{D: time.Second}},
			{Send: &sim.Send{Execute: "guest-ping", Timeout: 2 * time.Second}},
		}}
}

// libvirt's agent job serialises the callers: the second waits behind the
// blocked first, then runs bare (the connection is in sync) and gets its
// own reply; the wait does not count against its 2 s timeout.
func TestLibvirtJobLockSerialisesCallers(t *testing.T) {
	cfg := twoCallers("libvirt", 8)
	w, sum := judged(t, cfg)
	for _, r := range sum.Requests {
		if r.Verdict != check.Correct {
			t.Errorf("seed %d: #%d %s: %s (%s)", cfg.Seed, r.Req, r.Cmd, r.Verdict, r.Why)
		}
	}
	var getTimeReply, pingWrite int64 = -1, -1
	syncs := 0
	for _, ev := range w.Trace() {
		switch {
		case ev.Kind == trace.KindDeliver && ev.Dir == "a2h" && strings.Contains(string(ev.Bytes), `"return": 17`):
			getTimeReply = ev.T
		case ev.Kind == trace.KindHostWrite && ev.Req == 3:
			pingWrite = ev.T
		case ev.Kind == trace.KindHostWrite && strings.HasPrefix(ev.Text, "guest-sync"):
			syncs++
		}
	}
	if pingWrite < getTimeReply || getTimeReply < 0 {
		t.Errorf("seed %d: caller 2 wrote at %v, caller 1's reply came at %v: not serialised", cfg.Seed, time.Duration(pingWrite), time.Duration(getTimeReply))
	}
	if syncs != 1 {
		t.Errorf("seed %d: %d syncs, want only the first connection's", cfg.Seed, syncs)
	}
	if r := sum.Requests[2]; r.Ended-r.Issued < int64(6500*time.Millisecond) {
		t.Errorf("seed %d: caller 2 took %v; it waits for the job (about 7 s)", cfg.Seed, time.Duration(r.Ended-r.Issued))
	}
}

// A caller waits 30 s for libvirt's agent job, then fails with libvirt's
// text, its command never written.
func TestLibvirtJobWaitTimesOut(t *testing.T) {
	cfg := twoCallers("libvirt", 9)
	cfg.Faults[0].Params = fault.Params{"for": fault.Dur(50 * time.Second)}
	w, sum := judged(t, cfg)
	r := sum.Requests[2]
	if r.Verdict != check.Failed || !strings.Contains(r.Detail, "cannot acquire state change lock (held by agent=") {
		t.Fatalf("seed %d: caller 2: %s %q", cfg.Seed, r.Verdict, r.Detail)
	}
	if got := r.Ended - r.Issued; got != int64(30*time.Second) {
		t.Errorf("seed %d: caller 2 gave up after %v, want 30s", cfg.Seed, time.Duration(got))
	}
	for _, ev := range w.Trace() {
		if ev.Kind == trace.KindHostWrite && ev.Req == 3 {
			t.Errorf("seed %d: caller 2's command was written", cfg.Seed)
		}
	}
	if r := sum.Requests[1]; r.Verdict != check.Correct {
		t.Errorf("seed %d: caller 1: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
}

// The naive client takes no lock: both callers write at once and each takes
// "the next line", whichever goroutine's read returns first. Over seeds,
// sometimes each gets its own reply and sometimes they swap.
func TestNoneCallersInterleave(t *testing.T) {
	swapped, right := 0, 0
	for seed := uint64(1); seed <= 24; seed++ {
		cfg := sim.Config{Seed: seed, Duration: 10 * time.Second, Client: client.Spec{Strategy: "none"},
			Steps: []sim.Step{
				{Send: &sim.Send{Execute: "guest-get-host-name", NoWait: true}},
				{Send: &sim.Send{Execute: "guest-ping", NoWait: true}},
				{WaitAll: true},
				{Note: "both callers have their outcome"},
			}}
		w, sum := judged(t, cfg)
		a, b := sum.Requests[0], sum.Requests[1]
		switch {
		case a.Verdict == check.Correct && b.Verdict == check.Correct:
			right++
		case a.Verdict == check.Misattributed && b.Verdict == check.Misattributed && a.GotReplyOf == 2 && b.GotReplyOf == 1:
			swapped++
		default:
			t.Errorf("seed %d: #1 %s, #2 %s", seed, a.Verdict, b.Verdict)
		}
		// The note comes after both outcomes: wait-all waited.
		var lastOutcome, note int64 = -1, -1
		for _, ev := range w.Trace() {
			switch ev.Kind {
			case trace.KindOutcome:
				lastOutcome = ev.Seq
			case trace.KindNote:
				note = ev.Seq
			}
		}
		if note < lastOutcome {
			t.Errorf("seed %d: the step after wait-all ran before the last outcome", seed)
		}
	}
	if swapped == 0 || right == 0 {
		t.Errorf("over 24 seeds: %d runs right, %d swapped; want both", right, swapped)
	}
}

// The host stops reading: on isa-serial the agent's reply fills the 278
// bytes the host side holds, the agent blocks in its write and reads
// nothing; the next request is read only after the host reads again.
func TestStopReadingBlocksTheAgent(t *testing.T) {
	cfg := sim.Config{Seed: 10, Duration: 30 * time.Second, Transport: "isa-serial", Client: client.Spec{Strategy: "none"},
		Steps: []sim.Step{
			{StopReading: &sim.StopReading{D: 5 * time.Second}},
			{Send: &sim.Send{Execute: "guest-info", Timeout: 10 * time.Second, NoWait: true}},
			{Sleep: &sim.Sleep{D: time.Second}},
			{Raw: &sim.Raw{Bytes: []byte(`{"execute":"guest-ping"}`)}},
		}}
	w, sum := judged(t, cfg)
	if r := sum.Requests[0]; r.Verdict != check.Correct || r.Ended < int64(5*time.Second) {
		t.Errorf("seed %d: guest-info: %s at %v", cfg.Seed, r.Verdict, time.Duration(r.Ended))
	}
	// guest-info's request is 24 bytes; the ping's bytes come after.
	pingRead := false
	for _, ev := range kinds(w, trace.KindAgentRead) {
		if ev.Off >= 24 {
			pingRead = true
			if ev.T < int64(5*time.Second) {
				t.Errorf("seed %d: the agent read the ping at %v, while its write was blocked", cfg.Seed, time.Duration(ev.T))
			}
		}
	}
	if !pingRead {
		t.Errorf("seed %d: the agent never read the ping", cfg.Seed)
	}
	held := false
	for _, ev := range kinds(w, trace.KindHold) {
		held = held || (ev.Dir == "a2h" && ev.Text == "buffer full")
	}
	if !held {
		t.Errorf("seed %d: the agent's write was never held", cfg.Seed)
	}
	for _, ev := range kinds(w, trace.KindDeliver) {
		if ev.Dir == "a2h" && ev.T < int64(5*time.Second) {
			t.Errorf("seed %d: the host read at %v while it had stopped reading", cfg.Seed, time.Duration(ev.T))
		}
	}
	if err := sim.CheckAccounting(w.Trace()); err != nil {
		t.Errorf("seed %d: %v", cfg.Seed, err)
	}
}

// The host program restarts with the channel kept (libvirtd restart): its
// waiting caller fails, and the reply still on its way reaches the new
// client. libvirt's fresh connection syncs first and skips it; the naive
// client hands it to its next caller.
func TestRestartClientKeepsTheChannel(t *testing.T) {
	for _, c := range []struct {
		strategy string
		want     check.Verdict
	}{{"libvirt", check.Correct}, {"none", check.Misattributed}} {
		cfg := sim.Config{Seed: 11, Duration: 30 * time.Second, Client: client.Spec{Strategy: c.strategy},
			Agent: agentLatency("guest-get-time", 3*time.Second),
			Steps: []sim.Step{
				{Send: &sim.Send{Execute: "guest-ping"}},
				{Send: &sim.Send{Execute: "guest-get-time", Timeout: -1, NoWait: true}},
				{Sleep: &sim.Sleep{D: time.Second}},
				{RestartClient: &sim.RestartClient{Down: time.Second}},
				{Sleep: &sim.Sleep{D: 3 * time.Second}},
				{Send: &sim.Send{Execute: "guest-ping"}},
			}}
		w, sum := judged(t, cfg)
		if r := sum.Requests[1]; r.Verdict != check.Failed || !strings.Contains(r.Detail, "host program restarted") {
			t.Errorf("%s seed %d: the caller in the old program: %s %q", c.strategy, cfg.Seed, r.Verdict, r.Detail)
		}
		if r := sum.Requests[2]; r.Verdict != c.want {
			t.Errorf("%s seed %d: the new program's first call: %s (%s), want %s", c.strategy, cfg.Seed, r.Verdict, r.Why, c.want)
		}
		conns := kinds(w, trace.KindConnect)
		if len(conns) != 2 || conns[1].T < int64(2*time.Second) || conns[1].T > int64(2010*time.Millisecond) {
			t.Errorf("%s seed %d: connects %+v, want a second one at 2s", c.strategy, cfg.Seed, conns)
		}
		if err := sim.CheckAccounting(w.Trace()); err != nil {
			t.Errorf("%s seed %d: %v", c.strategy, cfg.Seed, err)
		}
	}
}

// On a unix socket the agent's exit ends the connection once the host has
// read what it wrote; a host that has stopped reading is waited for at the
// end of its pause, not polled every nanosecond until then.
func TestAgentExitWaitsForAHostThatStoppedReading(t *testing.T) {
	cfg := sim.Config{Seed: 13, Duration: 30 * time.Second, Transport: "unix-socket", Client: client.Spec{Strategy: "none"},
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: once(time.Second)}},
		Steps: []sim.Step{
			{StopReading: &sim.StopReading{D: 10 * time.Second}},
			{Send: &sim.Send{Execute: "guest-ping", Timeout: 20 * time.Second}},
		}}
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for w.Step() {
		steps++
		if steps > 10_000 {
			t.Fatalf("seed %d: more than 10,000 steps by %v: the World polls", cfg.Seed, time.Duration(w.Now()))
		}
	}
	var closed int64 = -1
	for _, ev := range w.Trace() {
		if ev.Kind == trace.KindClose {
			closed = ev.T
		}
	}
	if closed < int64(10*time.Second) {
		t.Errorf("seed %d: the connection closed at %v, before the host read the pong", cfg.Seed, time.Duration(closed))
	}
}
