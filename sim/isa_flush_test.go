package sim

import (
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// docs/lab.md, D2 on isa-serial: a request written while the agent is
// down, the host closes before the restart; the request is lost and the next
// connection works normally ({"return": 412}) in every run. Over many seeds
// no byte of the closed connection may reach the restarted agent.
func TestISAClosedConnectionLeavesNoFlushTail(t *testing.T) {
	at := 100 * time.Millisecond
	for seed := uint64(1); seed <= 60; seed++ {
		w := run(t, Config{Seed: seed, Transport: "isa-serial",
			Faults: []fault.Spec{{Kind: "restart-agent", Params: fault.Params{"down": fault.Dur(2 * time.Second)},
				Trigger: fault.Trigger{At: &at, Max: 1}}},
			Steps: []Step{
				sleep(200 * time.Millisecond),
				{Raw: &Raw{Bytes: []byte(`{"execute":"guest-sync","arguments":{"id":411}}`)}},
				sleep(time.Second),
				{Disconnect: true},
				sleep(2 * time.Second),
				{Reconnect: true},
				send("guest-sync", `{"id":412}`),
			}})
		outs := kinds(w.Trace(), trace.KindOutcome)
		if len(outs) != 1 || string(outs[0].Bytes) != `{"return": 412}` {
			t.Fatalf("seed %d: outcomes %+v, want {\"return\": 412} (lab D2); trace:\n%s", seed, outs, dump(w.Trace()))
		}
		for _, ev := range kinds(w.Trace(), trace.KindAgentReply) {
			if ev.Cmd != "guest-sync" || ev.Class != "" {
				t.Fatalf("seed %d: the restarted agent answered %q: a tail of the closed connection reached it", seed, ev.Bytes)
			}
		}
	}
}
