package sim_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qgasim/qgasim/sim"
	"github.com/qgasim/qgasim/sim/check"
	"github.com/qgasim/qgasim/sim/client"
	"github.com/qgasim/qgasim/sim/fault"
)

var compareSeeds = flag.Int("compare-seeds", 1000, "seeds per strategy in TestStrategiesUnderFaults")

// faultyRun is one random run: a host program of commands and pauses over a
// link that drops, truncates and corrupts, with agent restarts and host
// reconnects. The seed decides everything.
func faultyRun(seed uint64, strategy string) sim.Config {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	cmds := []struct{ exec, args string }{
		{"guest-ping", ""}, {"guest-get-host-name", ""}, {"guest-info", ""}, {"guest-get-time", ""},
		{"guest-get-osinfo", ""}, {"guest-sync", `{"id":4242}`}, {"guest-fsfreeze-status", ""},
	}
	var steps []sim.Step
	for range 8 {
		c := cmds[r.IntN(len(cmds))]
		steps = append(steps, sim.Step{Send: &sim.Send{Execute: c.exec, Arguments: c.args}})
		if d := time.Duration(r.IntN(2000)) * time.Millisecond; d > 0 {
			steps = append(steps, sim.Step{Sleep: &sim.Sleep{D: d}})
		}
	}
	every := func(d time.Duration) fault.Trigger { return fault.Trigger{Every: d, Probability: 0.4} }
	faults := []fault.Spec{
		{Kind: "drop", Dir: "h2a", Params: fault.Params{"p": fault.Num(0.0005)}},
		{Kind: "drop", Dir: "a2h", Params: fault.Params{"p": fault.Num(0.0002)}},
		{Kind: "corrupt", Dir: "a2h", Params: fault.Params{"p": fault.Num(0.0001)}},
		{Kind: "truncate", Dir: "a2h", Params: fault.Params{"p": fault.Num(0.02)}},
		{Kind: "restart-agent", Dir: "a2h", Params: fault.Params{"down": fault.Dur(time.Second)}, Trigger: every(7 * time.Second)},
		{Kind: "reconnect-host", Params: fault.Params{"down": fault.Dur(100 * time.Millisecond)}, Trigger: every(9 * time.Second)},
	}
	return sim.Config{
		Seed: seed, Duration: 5 * time.Minute, Transport: "virtio-serial", Steps: steps, Faults: faults,
		Client: client.Spec{Strategy: strategy},
	}
}

type tally struct {
	counts  map[check.Verdict]int
	resyncs []int64
	worst   uint64 // the seed of the worst resync
	runs    int
	lost    int // requests the agent never answered
	bad     []string
}

// TestStrategiesUnderFaults runs every strategy over the same seeds and
// requires the documented one to hand no caller a wrong reply and to leave
// no caller hanging. It prints the table of outcomes per strategy.
func TestStrategiesUnderFaults(t *testing.T) {
	seeds := *compareSeeds
	if testing.Short() {
		seeds = 100
	}
	names := client.Names()
	results := make(map[string]*tally)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tl := &tally{counts: map[check.Verdict]int{}}
			var worst int64
			for s := 1; s <= seeds; s++ {
				cfg := faultyRun(uint64(s), name)
				w, err := sim.New(cfg)
				if err != nil {
					tl.bad = append(tl.bad, fmt.Sprintf("seed %d: %v", s, err))
					continue
				}
				w.Run()
				_, pending := w.ClientNextTimer()
				sum := check.Analyze(w.Trace(), pending)
				for v, n := range sum.Counts {
					tl.counts[v] += n
				}
				tl.lost += sum.Lost
				for _, e := range sum.Resyncs {
					if e.To >= 0 {
						tl.resyncs = append(tl.resyncs, e.To-e.From)
						if e.To-e.From > worst {
							worst, tl.worst = e.To-e.From, uint64(s)
						}
					}
				}
				if name == "delimited" && (sum.Counts[check.Misattributed] > 0 || sum.Counts[check.Hung] > 0) {
					for _, r := range sum.Requests {
						if r.Verdict == check.Misattributed || r.Verdict == check.Hung {
							tl.bad = append(tl.bad, fmt.Sprintf("seed %d: #%d %s %s: %s", s, r.Req, r.Cmd, r.Verdict, r.Why))
						}
					}
				}
				tl.runs++
			}
			mu.Lock()
			results[name] = tl
			mu.Unlock()
		}()
	}
	wg.Wait()
	var b strings.Builder
	fmt.Fprintf(&b, "outcomes over seeds 1..%d (8 requests a run; drops, truncations, corruption, restarts, reconnects)\n", seeds)
	fmt.Fprintf(&b, "%-11s", "strategy")
	for _, v := range check.Verdicts {
		fmt.Fprintf(&b, " %13s", v)
	}
	fmt.Fprintf(&b, " %6s %12s %12s\n", "lost", "resync med", "resync worst")
	for _, name := range names {
		tl := results[name]
		fmt.Fprintf(&b, "%-11s", name)
		for _, v := range check.Verdicts {
			fmt.Fprintf(&b, " %13d", tl.counts[v])
		}
		med, max := "-", "-"
		if n := len(tl.resyncs); n > 0 {
			sort.Slice(tl.resyncs, func(i, j int) bool { return tl.resyncs[i] < tl.resyncs[j] })
			med = time.Duration(tl.resyncs[n/2]).Round(time.Microsecond).String()
			max = fmt.Sprintf("%v (seed %d)", time.Duration(tl.resyncs[n-1]).Round(time.Microsecond), tl.worst)
		}
		fmt.Fprintf(&b, " %6d %12s %12s\n", tl.lost, med, max)
	}
	fmt.Print(b.String())
	for _, name := range names {
		for _, msg := range results[name].bad {
			t.Errorf("%s: %s", name, msg)
		}
	}
}
