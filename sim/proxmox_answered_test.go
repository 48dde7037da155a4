package sim_test

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
)

// The lost fsfreeze Proxmox reported (pve-devel, September 2025,
// docs/protocol.md §5, item 4): the agent reads guest-sync-delimited and
// guest-fsfreeze-freeze, which Proxmox sends in one write, answers the sync
// and dies before the freeze's reply. The freeze was never answered: the
// oracle must say so, although the sync's reply came from the same write.
func TestProxmoxRequestAnsweredOnlyByItsOwnReply(t *testing.T) {
	at := 2 * time.Second
	cfg := sim.Config{Seed: 13, Duration: 2 * time.Hour, Transport: "virtio-serial",
		Agent:  agent.Config{Latency: map[string]time.Duration{"guest-fsfreeze-freeze": 30 * time.Second}},
		Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(5 * time.Second)}, Trigger: fault.Trigger{At: &at, Max: 1}}},
		Steps:  []sim.Step{{Send: &sim.Send{Execute: "guest-fsfreeze-freeze"}}, {Send: &sim.Send{Execute: "guest-ping"}}},
		Client: client.Spec{Strategy: "proxmox", Options: client.Options{PID: 2000}},
	}
	_, sum := judged(t, cfg)
	freeze, ping := sum.Requests[0], sum.Requests[1]
	if freeze.Verdict != check.TimedOut || freeze.Answered {
		t.Errorf("seed %d: freeze %s, answered %v; want timed out and never answered (only its sync was)", cfg.Seed, freeze.Verdict, freeze.Answered)
	}
	if !ping.Answered || ping.Verdict != check.Correct {
		t.Errorf("seed %d: ping %s, answered %v; want its own reply", cfg.Seed, ping.Verdict, ping.Answered)
	}
	if sum.Lost != 1 {
		t.Errorf("seed %d: lost %d, want 1 (the freeze)", cfg.Seed, sum.Lost)
	}
}
