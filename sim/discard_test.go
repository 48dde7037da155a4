package sim_test

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/agent"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/trace"
)

// The late reply the delimited client skips while it resyncs is named, byte
// for byte, by client.discard events, in the agent's writer offsets.
func TestDiscardNamesTheSkippedReply(t *testing.T) {
	cfg := sim.Config{
		Seed:  5,
		Agent: agent.Config{Latency: map[string]time.Duration{"guest-info": 7 * time.Second}},
		Steps: []sim.Step{
			{Send: &sim.Send{Execute: "guest-info", Timeout: 5 * time.Second}},
			{Send: &sim.Send{Execute: "guest-ping"}},
		},
		Client: client.Spec{Strategy: "delimited"},
	}
	w, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Run()
	var info *trace.Event
	discarded := map[int64]bool{}
	for _, ev := range w.Trace() {
		switch {
		case ev.Kind == trace.KindAgentReply && ev.Cmd == "guest-info":
			e := ev
			info = &e
		case ev.Kind == trace.KindDiscard:
			for _, sp := range ev.Src {
				for o := sp.Off; o >= 0 && o < sp.Off+sp.N; o++ {
					discarded[o] = true
				}
			}
		}
	}
	if info == nil || info.N == 0 {
		t.Fatalf("seed %d: no guest-info reply in the trace", cfg.Seed)
	}
	for o := info.Off; o < info.Off+info.N; o++ {
		if !discarded[o] {
			t.Fatalf("seed %d: byte %d of the late guest-info reply (a2h %d..%d) is not named as discarded",
				cfg.Seed, o, info.Off, info.Off+info.N)
		}
	}
}
