package sim_test

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// docs/libvirt.md, 0.9 and E2: garbage poisons libvirt's agent; libvirt
// then stops reading the socket (qemuAgentRegister asks for no input once
// an error is set), and a restart libvirt sees (a 1.3 s gap) closes the
// agent and clears the poison: the next ping is answered correctly. Bytes
// that reach the channel while it is poisoned stay unread and are lost with
// the socket; the oracle must still map the next reply to its request.
func TestLibvirtClearedPoisonKeepsReplyOffsets(t *testing.T) {
	ms := func(n int) *time.Duration { d := time.Duration(n) * time.Millisecond; return &d }
	cfg := sim.Config{Seed: 22, Duration: 10 * time.Second, Transport: "virtio-serial",
		Faults: []fault.Spec{
			{Kind: "inject", Dir: "a2h", Params: fault.Params{"bytes": fault.Raw([]byte("garbage\n"))}, Trigger: fault.Trigger{At: ms(250), Max: 1}},
			{Name: "after-poison", Kind: "inject", Dir: "a2h", Params: fault.Params{"bytes": fault.Raw([]byte("{\"return\": {}}\n"))}, Trigger: fault.Trigger{At: ms(400), Max: 1}},
			{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(1300 * time.Millisecond)}, Trigger: fault.Trigger{At: ms(1000), Max: 1}},
		},
		Steps: []sim.Step{
			{Sleep: &sim.Sleep{D: 500 * time.Millisecond}},
			{Send: &sim.Send{Execute: "guest-ping"}},
			{Sleep: &sim.Sleep{D: 3 * time.Second}},
			{Send: &sim.Send{Execute: "guest-get-host-name"}},
		},
		Client: client.Spec{Strategy: "libvirt"},
	}
	w, sum := judged(t, cfg)
	if r := sum.Requests[0]; r.Verdict != check.Failed || r.Detail != "Guest agent is not responding: QEMU guest agent is not available due to an error" {
		t.Errorf("seed %d: #1 while poisoned: %s %q", cfg.Seed, r.Verdict, r.Detail)
	}
	if r := sum.Requests[1]; r.Verdict != check.Correct {
		t.Errorf("seed %d: #2 after the poison was cleared: %s (%s)", cfg.Seed, r.Verdict, r.Why)
	}
	// The line that came after the poison was never read: it went with the
	// socket libvirt closed on the port's open:false.
	var lostUnread int64
	for _, ev := range w.Trace() {
		if ev.Kind == trace.KindDrop && ev.Dir == "a2h" && ev.Text == "host closed: unread agent bytes lost" {
			lostUnread += ev.N
		}
		if ev.Kind == trace.KindDeliver && ev.Dir == "a2h" && string(ev.Bytes) == "{\"return\": {}}\n" && ev.T < int64(time.Second) {
			t.Errorf("seed %d: libvirt read %q while poisoned (it stops reading)", cfg.Seed, ev.Bytes)
		}
	}
	if lostUnread != int64(len("{\"return\": {}}\n")) {
		t.Errorf("seed %d: %d unread bytes lost with the socket, want the 15 of the line after the poison", cfg.Seed, lostUnread)
	}
	if err := sim.CheckAccounting(w.Trace()); err != nil {
		t.Errorf("seed %d: %v", cfg.Seed, err)
	}
}
