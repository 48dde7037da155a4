package sim

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim/fault"
)

// randomConfigWithCallers is randomConfig with the agent signals (pause,
// continue, stop) among its faults and concurrent callers, stop-reading,
// wait-all and restart-client among its steps. The additions draw from a
// stream of their own, so randomConfig's draws are untouched.
func randomConfigWithCallers(seed uint64) Config {
	cfg := randomConfig(seed)
	r := rand.New(rand.NewPCG(seed, 0xca11e5))
	at := func(max time.Duration) *time.Duration { d := time.Duration(r.Int64N(int64(max))); return &d }
	for i := r.IntN(4); i > 0; i-- {
		switch r.IntN(3) {
		case 0:
			cfg.Faults = append(cfg.Faults, fault.Spec{Kind: "pause-agent",
				Params: fault.Params{"for": fault.Dur(time.Duration(r.IntN(3000)) * time.Millisecond)}, Trigger: fault.Trigger{At: at(6 * time.Second)}})
		case 1:
			cfg.Faults = append(cfg.Faults, fault.Spec{Kind: "continue-agent", Trigger: fault.Trigger{At: at(8 * time.Second)}})
		case 2:
			cfg.Faults = append(cfg.Faults, fault.Spec{Kind: "stop-agent",
				Params: fault.Params{"down": fault.Dur(time.Duration(r.IntN(1500)) * time.Millisecond)}, Trigger: fault.Trigger{At: at(8 * time.Second)}})
		}
	}
	var steps []Step
	for _, st := range cfg.Steps {
		if st.Send != nil && r.IntN(3) == 0 {
			s := *st.Send
			s.NoWait = true
			st.Send = &s
		}
		steps = append(steps, st)
		switch r.IntN(12) {
		case 0:
			steps = append(steps, Step{WaitAll: true})
		case 1:
			steps = append(steps, Step{StopReading: &StopReading{D: time.Duration(r.IntN(3000)) * time.Millisecond}})
		case 2:
			steps = append(steps, Step{RestartClient: &RestartClient{Down: time.Duration(r.IntN(1500)) * time.Millisecond}})
		}
	}
	cfg.Steps = steps
	return cfg
}

// Runs with signals, concurrent callers, a host that stops reading and a
// host program that restarts: the same trace twice and under GOMAXPROCS 1
// and 2, every byte accounted for, and the same trace whatever the World
// forgets.
func TestCallersAndSignalsDeterministicAndAccounted(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	n := uint64(400)
	if testing.Short() {
		n = 60
	}
	for seed := uint64(1); seed <= n; seed++ {
		cfg := randomConfigWithCallers(seed)
		runtime.GOMAXPROCS(1)
		a := traceWith(t, cfg, ForgetNothing)
		runtime.GOMAXPROCS(2)
		b := traceWith(t, cfg, ForgetEagerly)
		if !bytes.Equal(a, b) {
			t.Fatalf("seed %d (%s): traces differ\n%s", seed, describe(cfg), firstDiff(a, b))
		}
		w := run(t, cfg)
		if err := CheckAccounting(w.Trace()); err != nil {
			t.Fatalf("seed %d (%s): %v", seed, describe(cfg), err)
		}
	}
}
